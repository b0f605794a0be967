/// A traffic-light colour (SPEC §4, §9).
public enum AlertColour: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case green, yellow, red

    private var rank: Int { self == .green ? 0 : self == .yellow ? 1 : 2 }
    public static func < (a: AlertColour, b: AlertColour) -> Bool { a.rank < b.rank }
}

/// First and second notification values of one alert, in the indicator's unit.
public struct NotificationValues: Sendable, Hashable, Codable {
    public var first: Double
    public var second: Double

    public init(first: Double, second: Double) {
        self.first = first
        self.second = second
    }

    /// Green below `first`; yellow from `first` up to and including `second`; red above.
    /// - Returns: `nil` when there is no value (no KAP, no reference reading): never green.
    public func colour(of value: Double?) -> AlertColour? {
        guard let value, value.isFinite else { return nil }
        if value < first { return .green }
        if value <= second { return .yellow }
        return .red
    }
}

/// Alert 1: the annual national investigation level and eye-lens limit, pro-rated to a period.
public struct AnnualDoseLimits: Sendable, Hashable, Codable {
    /// Annual investigation level, mSv (6 in the paper's country).
    public var investigationMilliSvPerYear: Double
    /// Annual eye-lens dose limit, mSv (20, Directive 2013/59/Euratom).
    public var eyeLensLimitMilliSvPerYear: Double

    public static let standard = AnnualDoseLimits(investigationMilliSvPerYear: 6, eyeLensLimitMilliSvPerYear: 20)

    public init(investigationMilliSvPerYear: Double, eyeLensLimitMilliSvPerYear: Double) {
        self.investigationMilliSvPerYear = investigationMilliSvPerYear
        self.eyeLensLimitMilliSvPerYear = eyeLensLimitMilliSvPerYear
    }

    /// The alert-1 notification values for a period (SPEC §9): the annual values × the period's
    /// share of a year. Jan–Sep gives 4.5 and 15 mSv; two whole months 1 and 3.33 mSv.
    public func notification(for period: Period) -> NotificationValues {
        NotificationValues(first: investigationMilliSvPerYear * period.shareOfYear,
                           second: eyeLensLimitMilliSvPerYear * period.shareOfYear)
    }
}

/// How first notification values are rounded up from a Q3 (SPEC §9).
public struct RoundingSteps: Sendable, Hashable, Codable {
    /// Step per alerted indicator (alerts 2–4); 0 means no rounding.
    public var steps: [Indicator: Double]

    /// 25 µSv per procedure, 0.5 µSv/(Gy·cm²), 5 %.
    public static let standard = RoundingSteps(steps: [.microSvPerProcedure: 25, .pdeKap: 0.5, .pctReference: 5])
    /// Unrounded: the first notification value is Q3 itself.
    public static let none = RoundingSteps(steps: [.microSvPerProcedure: 0, .pdeKap: 0, .pctReference: 0])

    public init(steps: [Indicator: Double]) { self.steps = steps }

    public func step(for indicator: Indicator) -> Double { steps[indicator] ?? 0 }

    /// Rounds `q3` up to a multiple of the indicator's step, never below one step (so a Q3 of 0
    /// cannot make a zero threshold). A value already on a multiple (within 1e-9 of a step) stays.
    public func firstNotification(q3: Double, indicator: Indicator) -> Double {
        let step = step(for: indicator)
        guard step > 0 else { return q3 }
        let r = q3 / step
        let nearest = r.rounded()
        let k = abs(r - nearest) <= 1e-9 ? nearest : r.rounded(.up)
        return max(k, 1) * step
    }
}

/// The colours of one operator's four alerts.
public struct OperatorAlerts: Sendable, Hashable {
    public var colours: [Indicator: AlertColour?]

    /// The worst colour over the four alerts (`nil` when none has a value).
    public var overall: AlertColour? { colours.values.compactMap { $0 }.max() }
}
