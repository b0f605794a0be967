/// A closed range of calendar days `[from, to]`, both included.
public struct Period: Hashable, Sendable, Codable, CustomStringConvertible {
    public let from: CivilDate
    public let to: CivilDate

    /// - Throws: ``DomainError/invalidPeriod(from:to:)`` when `to` is before `from`.
    public init(from: CivilDate, to: CivilDate) throws {
        guard from <= to else { throw DomainError.invalidPeriod(from: from, to: to) }
        self.from = from
        self.to = to
    }

    /// Number of days, both ends included.
    public var days: Int { to.dayNumber - from.dayNumber + 1 }

    public func contains(_ date: CivilDate) -> Bool { from <= date && date <= to }

    /// Whole calendar months when the period starts on a 1st and ends on a month's last day.
    public var wholeMonths: Int? {
        guard from.day == 1, to.isLastDayOfMonth else { return nil }
        return (to.year - from.year) * 12 + (to.month - from.month) + 1
    }

    /// The period's share of a year for pro-rating annual limits (SPEC §9): whole calendar
    /// months / 12 when the period is exactly whole calendar months, otherwise days / 365.
    public var shareOfYear: Double {
        if let months = wholeMonths { return Double(months) / 12 }
        return Double(days) / 365
    }

    /// How ``shareOfYear`` was computed, for output.
    public var shareRule: String {
        if let months = wholeMonths { return "\(months) whole calendar month\(months == 1 ? "" : "s") / 12" }
        return "\(days) days / 365"
    }

    public var description: String { "\(from)..\(to)" }
}
