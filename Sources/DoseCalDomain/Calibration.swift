import DoseCalNumerics

/// How the uncertainty of each Q3 is estimated (SPEC §5).
public enum Q3IntervalMethod: Sendable, Hashable {
    /// Distribution-free order-statistic interval at a level (default 0.95).
    case orderStatistics(level: Double)
    /// Bootstrap percentile interval, seeded.
    case bootstrapPercentile(level: Double, resamples: Int, seed: UInt64)
    /// Bootstrap BCa interval, seeded.
    case bootstrapBCa(level: Double, resamples: Int, seed: UInt64)

    public var level: Double {
        switch self {
        case let .orderStatistics(level), let .bootstrapPercentile(level, _, _), let .bootstrapBCa(level, _, _): return level
        }
    }
}

/// What a calibration is asked to do.
public struct CalibrationSettings: Sendable, Hashable {
    public var quantileMethod: QuantileMethod
    public var rounding: RoundingSteps
    public var interval: Q3IntervalMethod
    public var estimator: RatioEstimator
    public var limits: AnnualDoseLimits

    public init(
        quantileMethod: QuantileMethod = .hyndmanFan(7), rounding: RoundingSteps = .standard,
        interval: Q3IntervalMethod = .orderStatistics(level: 0.95),
        estimator: RatioEstimator = .ratioOfSums, limits: AnnualDoseLimits = .standard
    ) {
        self.quantileMethod = quantileMethod
        self.rounding = rounding
        self.interval = interval
        self.estimator = estimator
        self.limits = limits
    }
}

/// Quartiles of one indicator over a specialty's operators, with the uncertainty of Q3.
public struct IndicatorStats: Sendable, Equatable {
    /// Operators with a value.
    public var n: Int
    public var q1: Double
    public var median: Double
    public var q3: Double
    public var iqr: Double { q3 - q1 }
    public var q3Interval: QuantileInterval
}

/// How many operators a proposal would colour each way.
public struct ColourCounts: Sendable, Hashable {
    public var green = 0
    public var yellow = 0
    public var red = 0
    /// Operators with no value for the indicator.
    public var none = 0

    public init() {}

    public mutating func count(_ colour: AlertColour?) {
        switch colour {
        case .green: green += 1
        case .yellow: yellow += 1
        case .red: red += 1
        case nil: none += 1
        }
    }
}

/// One specialty's calibration: the reference sample's statistics, the proposed notification
/// values, and what they would have done in the calibration period itself.
public struct SpecialtyCalibration: Sendable, Equatable {
    public var specialty: String
    /// Operators of the specialty with at least one procedure in the period.
    public var operators: Int
    /// The specialty's procedures in the period.
    public var procedures: Int
    /// Statistics per indicator; an indicator with no values at all is absent.
    public var stats: [Indicator: IndicatorStats]
    /// Proposed notification values per alerted indicator (alert 1 from the annual limits).
    public var notification: [Indicator: NotificationValues]
    /// Colour counts per alerted indicator over the specialty's operators.
    public var alertCounts: [Indicator: ColourCounts]
    /// Operators whose worst colour is yellow / red under the proposal.
    public var operatorsYellow: Int
    public var operatorsRed: Int
}

/// A proposal of notification values for a period (SPEC §5).
public struct Calibration: Sendable, Equatable {
    public var period: Period
    public var settings: CalibrationSettings
    public var specialties: [SpecialtyCalibration]

    /// Calibrates every specialty present in `indicators` (or only `onlySpecialty`).
    ///
    /// The reference sample of an indicator is the per-operator values of one specialty over the
    /// period (operators with no value left out of that indicator). First notification =
    /// Q3 rounded up by `settings.rounding`; second = 2 × first; alert 1 from the annual limits
    /// pro-rated to the period.
    ///
    /// - Parameters:
    ///   - indicators: per-operator indicators over `period`.
    ///   - specialtyProcedures: the number of procedures per specialty in the period.
    /// - Complexity: O(n log n) per indicator, plus the bootstrap when asked for.
    public static func calibrate(
        period: Period, indicators: [OperatorIndicators], specialtyProcedures: [String: Int],
        settings: CalibrationSettings = CalibrationSettings(), onlySpecialty: String? = nil
    ) -> Calibration {
        var bySpecialty: [String: [OperatorIndicators]] = [:]
        for op in indicators where op.procedures > 0 { bySpecialty[op.specialty, default: []].append(op) }
        var names = Set(bySpecialty.keys)
        if let onlySpecialty { names = names.intersection([onlySpecialty]) }
        let specialties = names.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }.map { name in
            calibrateSpecialty(name, operators: bySpecialty[name] ?? [], procedures: specialtyProcedures[name] ?? 0,
                               period: period, settings: settings)
        }
        return Calibration(period: period, settings: settings, specialties: specialties)
    }

    static func calibrateSpecialty(
        _ name: String, operators: [OperatorIndicators], procedures: Int, period: Period,
        settings: CalibrationSettings
    ) -> SpecialtyCalibration {
        var stats: [Indicator: IndicatorStats] = [:]
        for indicator in Indicator.allCases {
            let values = operators.compactMap { $0.value(indicator, estimator: settings.estimator) }.sorted()
            guard !values.isEmpty else { continue }
            stats[indicator] = describe(values, settings: settings, salt: UInt64(indicator.alertNumber ?? 0))
        }
        var notification: [Indicator: NotificationValues] = [.cumulativeMilliSv: settings.limits.notification(for: period)]
        for indicator in [Indicator.microSvPerProcedure, .pdeKap, .pctReference] {
            guard let q3 = stats[indicator]?.q3 else { continue }
            let first = settings.rounding.firstNotification(q3: q3, indicator: indicator)
            notification[indicator] = NotificationValues(first: first, second: 2 * first)
        }
        var counts: [Indicator: ColourCounts] = [:]
        var yellow = 0, red = 0
        for op in operators {
            var worst: AlertColour?
            for indicator in Indicator.alerted {
                let colour = notification[indicator]?.colour(of: op.value(indicator, estimator: settings.estimator))
                counts[indicator, default: ColourCounts()].count(colour)
                if let colour { worst = max(worst ?? colour, colour) }
            }
            if worst == .yellow { yellow += 1 }
            if worst == .red { red += 1 }
        }
        return SpecialtyCalibration(specialty: name, operators: operators.count, procedures: procedures,
                                    stats: stats, notification: notification, alertCounts: counts,
                                    operatorsYellow: yellow, operatorsRed: red)
    }

    static func describe(_ sorted: [Double], settings: CalibrationSettings, salt: UInt64) -> IndicatorStats {
        let m = settings.quantileMethod
        let interval: QuantileInterval
        switch settings.interval {
        case let .orderStatistics(level):
            interval = orderStatisticInterval(sorted: sorted, p: 0.75, level: level)
        case let .bootstrapPercentile(level, resamples, seed), let .bootstrapBCa(level, resamples, seed):
            var rng = Xoshiro256StarStar(seed: seed &+ salt)
            let wantBCa: Bool
            if case .bootstrapBCa = settings.interval { wantBCa = true } else { wantBCa = false }
            do {
                let both = try bootstrapQuantileIntervals(sorted, p: 0.75, method: m, level: level, resamples: resamples, using: &rng)
                interval = wantBCa ? both.bca : both.percentile
            } catch {
                interval = QuantileInterval(
                    method: wantBCa ? QuantileInterval.bootstrapBCaMethod : QuantileInterval.bootstrapPercentileMethod,
                    level: level, lower: nil, upper: nil, coverage: nil, lowerRank: nil, upperRank: nil,
                    resamples: resamples, note: "no bootstrap interval: \(error)")
            }
        }
        return IndicatorStats(
            n: sorted.count, q1: quantile(sorted: sorted, p: 0.25, method: m),
            median: quantile(sorted: sorted, p: 0.5, method: m), q3: quantile(sorted: sorted, p: 0.75, method: m),
            q3Interval: interval)
    }
}

extension ThresholdSet {
    /// Builds an unsaved version from a calibration.
    public init(
        calibration: Calibration, createdAt: String, author: String, note: String,
        proceduresUsed: Int, exposuresUsed: Int, contentHash: String
    ) {
        self.init(
            createdAt: createdAt, author: author, note: note,
            periodFrom: calibration.period.from, periodTo: calibration.period.to,
            quantileMethod: calibration.settings.quantileMethod.name,
            estimator: calibration.settings.estimator,
            rounding: Dictionary(uniqueKeysWithValues: calibration.settings.rounding.steps.map { ($0.key.rawValue, $0.value) }),
            limits: calibration.settings.limits, proceduresUsed: proceduresUsed, exposuresUsed: exposuresUsed,
            contentHash: contentHash,
            specialties: calibration.specialties.map { s in
                var values: [String: NotificationValues] = [:]
                var q3: [String: Double] = [:]
                for indicator in [Indicator.microSvPerProcedure, .pdeKap, .pctReference] {
                    if let v = s.notification[indicator] { values[indicator.rawValue] = v }
                    if let q = s.stats[indicator]?.q3 { q3[indicator.rawValue] = q }
                }
                return SpecialtyThresholds(specialty: s.specialty, operators: s.operators, procedures: s.procedures, values: values, q3: q3)
            })
    }
}
