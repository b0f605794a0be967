import DoseCalNumerics

/// One procedure type's PDE/KAP and PDE/reference over a group of readings, with bootstrap
/// percentile intervals (SPEC §6).
///
/// Each ratio is a ratio of sums (Σ Hp(10) / Σ KAP, 100 × Σ Hp(10) / Σ reference) over the
/// readings whose denominator is known (a known 0 counts, as in ``DoseAccumulator``). Its interval resamples those readings (with replacement,
/// seeded) and recomputes the ratio of sums: the readings of one procedure type are treated as
/// independent draws, which ignores clustering by operator — say so when reporting.
public struct TypeRatio: Sendable {
    public var procedureType: String
    public var readings: Int
    /// Readings with a known KAP / reference reading.
    public var readingsWithKap: Int
    public var readingsWithRef: Int
    /// µSv/(Gy·cm²).
    public var pdeKap: QuantileIntervalEstimate?
    /// %.
    public var pctReference: QuantileIntervalEstimate?
}

/// A point estimate with its interval.
public struct QuantileIntervalEstimate: Sendable {
    public var estimate: Double
    public var interval: QuantileInterval
}

public enum TypeRatios {
    /// Per-type ratios with intervals, sorted by procedure type (code-point order).
    /// - Parameters:
    ///   - readings: (procedure type, Hp(10) µSv, KAP Gy·cm² or nil, reference µSv or nil).
    ///   - resamples: bootstrap resamples per ratio.
    ///   - seed: the generator's seed; each type and ratio draws its own reproducible stream.
    public static func compute(
        _ readings: [(type: String, hp10MicroSv: Double, kapGyCm2: Double?, refMicroSv: Double?)],
        level: Double = 0.95, resamples: Int = 2000, seed: UInt64 = 20_240_930
    ) -> [TypeRatio] {
        var byType: [String: [(Double, Double?, Double?)]] = [:]
        for r in readings { byType[r.type, default: []].append((r.hp10MicroSv, r.kapGyCm2, r.refMicroSv)) }
        let names = byType.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
        return names.enumerated().map { index, name in
            let rows = byType[name]!
            let withKap = rows.compactMap { r in r.1.map { (r.0, $0) } }
            let withRef = rows.compactMap { r in r.2.map { (r.0, $0) } }
            return TypeRatio(
                procedureType: name, readings: rows.count, readingsWithKap: withKap.count, readingsWithRef: withRef.count,
                pdeKap: ratio(withKap, scale: 1, level: level, resamples: resamples, seed: seed &+ UInt64(2 * index)),
                pctReference: ratio(withRef, scale: 100, level: level, resamples: resamples, seed: seed &+ UInt64(2 * index + 1)))
        }
    }

    static func ratio(_ pairs: [(Double, Double)], scale: Double, level: Double, resamples: Int, seed: UInt64) -> QuantileIntervalEstimate? {
        let num = pairs.map(\.0), den = pairs.map(\.1)
        guard den.reduce(0, +) > 0 else { return nil }
        func ratioOfSums(_ indices: [Double]) -> Double {
            var a = CompensatedSum(), b = CompensatedSum()
            for i in indices { a.add(num[Int(i)]); b.add(den[Int(i)]) }
            return scale * a.value / b.value
        }
        let estimate = ratioOfSums(pairs.indices.map(Double.init))
        var rng = Xoshiro256StarStar(seed: seed)
        let interval: QuantileInterval
        do {
            let dist = try BootstrapDistribution(sample: pairs.indices.map(Double.init), resamples: resamples, using: &rng, statistic: ratioOfSums)
            interval = try dist.percentileInterval(level: level)
        } catch {
            interval = QuantileInterval(method: QuantileInterval.bootstrapPercentileMethod, level: level, note: "no interval: \(error)")
        }
        return QuantileIntervalEstimate(estimate: estimate, interval: interval)
    }
}
