import DoseCalNumerics

/// Published PDE/KAP values (µSv/(Gy·cm²)) shown beside a comparison (SPEC §6, the paper's
/// discussion): ORAMED ≈ 1; other studies 0.2–5, 1–2, 0.3–3, 0.6–1; this hospital's medians
/// 0.24 (cardiology) and 0.31 (radiology).
public struct LiteratureRange: Sendable, Hashable {
    public var source: String
    public var low: Double
    public var high: Double

    public static let pdeKap: [LiteratureRange] = [
        LiteratureRange(source: "ORAMED (average, cardiology and radiology)", low: 1, high: 1),
        LiteratureRange(source: "range by procedure type (paper ref. 21)", low: 0.2, high: 5),
        LiteratureRange(source: "paper ref. 23", low: 1, high: 2),
        LiteratureRange(source: "paper ref. 13", low: 0.3, high: 3),
        LiteratureRange(source: "paper ref. 24", low: 0.6, high: 1),
        LiteratureRange(source: "San Carlos 2024 median, cardiology", low: 0.24, high: 0.24),
        LiteratureRange(source: "San Carlos 2024 median, radiology", low: 0.31, high: 0.31),
    ]
}

/// Two groups of per-operator indicator values compared with distribution-free statistics
/// (SPEC §6): medians and IQRs, Mann–Whitney U, the Hodges–Lehmann shift (B − A) with its
/// Moses interval, and a bootstrap percentile interval of Q3(B) − Q3(A).
public struct GroupComparison: Sendable {
    public var nameA: String
    public var nameB: String
    public var summaryA: Summary
    public var summaryB: Summary
    public var mannWhitney: MannWhitneyResult
    public var shift: HodgesLehmannShift
    public var q3Difference: QuantileInterval
    public var seed: UInt64

    /// - Throws: ``NumericsError`` when a group is empty or holds a non-finite value.
    public init(nameA: String, a: [Double], nameB: String, b: [Double], level: Double = 0.95, method: QuantileMethod = .linear,
                resamples: Int = 4000, seed: UInt64 = 20_240_930) throws {
        self.nameA = nameA
        self.nameB = nameB
        summaryA = try Summary(a, method: method)
        summaryB = try Summary(b, method: method)
        mannWhitney = try mannWhitneyTest(a, b)
        shift = try hodgesLehmannShift(a, b, level: level)
        var rng = Xoshiro256StarStar(seed: seed)
        q3Difference = try bootstrapQuantileDifferenceInterval(a, b, p: 0.75, method: method, level: level, resamples: resamples, using: &rng)
        self.seed = seed
    }
}

/// A projection of the eye-lens dose from the over-apron Hp(10) (SPEC §6): eye/collar ratios
/// from the literature (mean 0.75, quartiles 0.5, 0.6, 0.9; paper refs. 10–11), an optional
/// protective-eyewear factor, and the chance of passing the annual limit under a log-normal
/// fitted to the ratio's quartiles.
public struct EyeLensProjection: Sendable, Hashable {
    /// Over-apron Hp(10) in the period, mSv.
    public var periodMilliSv: Double
    public var shareOfYear: Double
    /// Projected annual over-apron Hp(10), mSv.
    public var annualHp10MilliSv: Double { periodMilliSv / shareOfYear }
    public var ratioMean: Double
    public var ratioQuartiles: (q1: Double, median: Double, q3: Double)
    /// Dose reduction factor of the eyewear (1 = none; e.g. 2–5 for lead glasses).
    public var eyewearFactor: Double
    public var limitMilliSv: Double

    public static func == (a: EyeLensProjection, b: EyeLensProjection) -> Bool {
        a.periodMilliSv == b.periodMilliSv && a.shareOfYear == b.shareOfYear && a.ratioMean == b.ratioMean
            && a.ratioQuartiles == b.ratioQuartiles && a.eyewearFactor == b.eyewearFactor && a.limitMilliSv == b.limitMilliSv
    }

    public func hash(into h: inout Hasher) { h.combine(periodMilliSv); h.combine(shareOfYear); h.combine(eyewearFactor) }

    public init(periodMilliSv: Double, shareOfYear: Double, ratioMean: Double = 0.75,
                ratioQuartiles: (q1: Double, median: Double, q3: Double) = (0.5, 0.6, 0.9),
                eyewearFactor: Double = 1, limitMilliSv: Double = 20) {
        self.periodMilliSv = periodMilliSv
        self.shareOfYear = shareOfYear
        self.ratioMean = ratioMean
        self.ratioQuartiles = ratioQuartiles
        self.eyewearFactor = eyewearFactor
        self.limitMilliSv = limitMilliSv
    }

    /// Projected annual eye-lens dose with the mean ratio, mSv.
    public var meanMilliSv: Double { annualHp10MilliSv * ratioMean / eyewearFactor }
    /// Projected annual eye-lens dose at the ratio's quartiles, mSv.
    public var quartilesMilliSv: (q1: Double, median: Double, q3: Double) {
        let k = annualHp10MilliSv / eyewearFactor
        return (k * ratioQuartiles.q1, k * ratioQuartiles.median, k * ratioQuartiles.q3)
    }

    /// P(eye-lens dose > limit) with the ratio log-normal through its quartiles.
    public func probabilityAboveLimit() throws -> Double {
        let d = try LogNormalDistribution.fromQuartiles(q1: ratioQuartiles.q1, median: ratioQuartiles.median, q3: ratioQuartiles.q3)
        let k = annualHp10MilliSv / eyewearFactor
        guard k > 0 else { return 0 }
        return 1 - d.cdf(limitMilliSv / k)
    }
}
