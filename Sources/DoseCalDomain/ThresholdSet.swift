/// One specialty's notification values in a threshold version (alerts 2–4; alert 1 always comes
/// from the annual limits pro-rated to the evaluated period).
public struct SpecialtyThresholds: Sendable, Hashable, Codable {
    public var specialty: String
    /// Operators in the reference sample.
    public var operators: Int
    /// Procedures of the specialty in the calibration period.
    public var procedures: Int
    /// Notification values keyed by indicator raw value (`usv_per_procedure`, `pde_kap`, `pct_reference`).
    public var values: [String: NotificationValues]
    /// The Q3 each value came from (before rounding), keyed like ``values``; absent for overrides.
    public var q3: [String: Double]

    public init(specialty: String, operators: Int, procedures: Int, values: [String: NotificationValues], q3: [String: Double]) {
        self.specialty = specialty
        self.operators = operators
        self.procedures = procedures
        self.values = values
        self.q3 = q3
    }

    public func notification(_ indicator: Indicator) -> NotificationValues? { values[indicator.rawValue] }
}

/// An administrator's change to a saved version, recorded in the version it creates.
public struct ThresholdOverride: Sendable, Hashable, Codable {
    public var specialty: String
    public var indicator: String
    public var first: Double
    public var second: Double
    public var previousFirst: Double?
    public var previousSecond: Double?

    public init(specialty: String, indicator: String, first: Double, second: Double, previousFirst: Double?, previousSecond: Double?) {
        self.specialty = specialty
        self.indicator = indicator
        self.first = first
        self.second = second
        self.previousFirst = previousFirst
        self.previousSecond = previousSecond
    }
}

/// An immutable, versioned set of notification values with its provenance (SPEC §5).
public struct ThresholdSet: Sendable, Hashable, Codable {
    /// Version number, assigned by the store (1, 2, …); 0 until saved.
    public var version: Int
    /// ISO 8601 UTC creation time.
    public var createdAt: String
    public var author: String
    public var note: String
    /// The calibration period the values come from.
    public var periodFrom: CivilDate
    public var periodTo: CivilDate
    /// The quantile definition used, by name (e.g. "type 7 (linear)").
    public var quantileMethod: String
    public var estimator: RatioEstimator
    /// Rounding steps keyed by indicator raw value.
    public var rounding: [String: Double]
    public var limits: AnnualDoseLimits
    /// Records used: procedures and exposures in the calibration period.
    public var proceduresUsed: Int
    public var exposuresUsed: Int
    /// Order-independent content hash of those records (see ``RecordHasher``).
    public var contentHash: String
    /// The version this one was derived from by an override.
    public var derivedFrom: Int?
    public var overrides: [ThresholdOverride]
    public var specialties: [SpecialtyThresholds]

    public init(
        version: Int = 0, createdAt: String, author: String, note: String, periodFrom: CivilDate,
        periodTo: CivilDate, quantileMethod: String, estimator: RatioEstimator, rounding: [String: Double],
        limits: AnnualDoseLimits, proceduresUsed: Int, exposuresUsed: Int, contentHash: String,
        derivedFrom: Int? = nil, overrides: [ThresholdOverride] = [], specialties: [SpecialtyThresholds]
    ) {
        self.version = version
        self.createdAt = createdAt
        self.author = author
        self.note = note
        self.periodFrom = periodFrom
        self.periodTo = periodTo
        self.quantileMethod = quantileMethod
        self.estimator = estimator
        self.rounding = rounding
        self.limits = limits
        self.proceduresUsed = proceduresUsed
        self.exposuresUsed = exposuresUsed
        self.contentHash = contentHash
        self.derivedFrom = derivedFrom
        self.overrides = overrides
        self.specialties = specialties
    }

    public func thresholds(for specialty: String) -> SpecialtyThresholds? {
        specialties.first { $0.specialty == specialty }
    }

    /// A new, unsaved version derived from this one with one notification value replaced.
    /// - Throws: ``DomainError/invalidThreshold(_:)`` for an alert-1 override, an unknown
    ///   specialty, or `second < first`.
    public func overriding(
        specialty: String, indicator: Indicator, first: Double, second: Double?,
        createdAt: String, author: String, note: String
    ) throws -> ThresholdSet {
        guard indicator != .cumulativeMilliSv, indicator != .procedures else {
            throw DomainError.invalidThreshold("alert 1 (cumulative dose) comes from the annual limits, not from a version; only usv_per_procedure, pde_kap and pct_reference can be overridden")
        }
        guard let index = specialties.firstIndex(where: { $0.specialty == specialty }) else {
            throw DomainError.invalidThreshold("version \(version) has no specialty '\(specialty)'")
        }
        let second = second ?? 2 * first
        guard first > 0, first.isFinite, second >= first, second.isFinite else {
            throw DomainError.invalidThreshold("need 0 < first ≤ second, got first \(first), second \(second)")
        }
        var next = self
        next.version = 0
        next.createdAt = createdAt
        next.author = author
        next.note = note
        next.derivedFrom = version
        let previous = specialties[index].values[indicator.rawValue]
        next.overrides.append(ThresholdOverride(specialty: specialty, indicator: indicator.rawValue, first: first, second: second,
                                                previousFirst: previous?.first, previousSecond: previous?.second))
        next.specialties[index].values[indicator.rawValue] = NotificationValues(first: first, second: second)
        return next
    }

    /// Evaluates an operator's four alerts over a period with this version's values.
    /// An indicator without a value, or a specialty this version does not know, gives `nil`.
    public func alerts(for op: OperatorIndicators, period: Period) -> OperatorAlerts {
        let s = thresholds(for: op.specialty)
        var colours: [Indicator: AlertColour?] = [:]
        colours[.cumulativeMilliSv] = limits.notification(for: period).colour(of: op.cumulativeMilliSv)
        for indicator in [Indicator.microSvPerProcedure, .pdeKap, .pctReference] {
            colours[indicator] = s?.notification(indicator)?.colour(of: op.value(indicator, estimator: estimator))
        }
        return OperatorAlerts(colours: colours)
    }
}

/// One line of a diff between two versions.
public struct ThresholdDifference: Sendable, Hashable {
    public var specialty: String
    public var indicator: String
    public var old: NotificationValues?
    public var new: NotificationValues?
}

extension ThresholdSet {
    /// The notification values that differ between `self` and `other` (per specialty and alert),
    /// plus provenance fields that differ.
    public func diff(_ other: ThresholdSet) -> (values: [ThresholdDifference], provenance: [(field: String, old: String, new: String)]) {
        var values: [ThresholdDifference] = []
        let names = Set(specialties.map(\.specialty)).union(other.specialties.map(\.specialty)).sorted()
        for name in names {
            let a = thresholds(for: name), b = other.thresholds(for: name)
            for indicator in [Indicator.microSvPerProcedure, .pdeKap, .pctReference] {
                let x = a?.notification(indicator), y = b?.notification(indicator)
                if x != y { values.append(ThresholdDifference(specialty: name, indicator: indicator.rawValue, old: x, new: y)) }
            }
        }
        var provenance: [(String, String, String)] = []
        func field(_ name: String, _ x: String, _ y: String) { if x != y { provenance.append((name, x, y)) } }
        field("period", "\(periodFrom)..\(periodTo)", "\(other.periodFrom)..\(other.periodTo)")
        field("quantile_method", quantileMethod, other.quantileMethod)
        field("estimator", estimator.rawValue, other.estimator.rawValue)
        field("rounding", rounding.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","),
              other.rounding.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))
        field("content_hash", contentHash, other.contentHash)
        field("records", "\(proceduresUsed) procedures, \(exposuresUsed) exposures", "\(other.proceduresUsed) procedures, \(other.exposuresUsed) exposures")
        field("derived_from", derivedFrom.map(String.init) ?? "—", other.derivedFrom.map(String.init) ?? "—")
        return (values, provenance)
    }
}

/// The activation of a version from an effective date on.
public struct ThresholdActivation: Sendable, Hashable, Codable {
    public var version: Int
    public var effective: CivilDate
    /// ISO 8601 UTC time of the activation; later activations win over earlier ones on the same date.
    public var activatedAt: String
    public var sequence: Int

    public init(version: Int, effective: CivilDate, activatedAt: String, sequence: Int) {
        self.version = version
        self.effective = effective
        self.activatedAt = activatedAt
        self.sequence = sequence
    }

    /// The version in force on `date`: the activation with the latest effective date on or
    /// before it (latest activation wins a tie).
    public static func versionInForce(on date: CivilDate, among activations: [ThresholdActivation]) -> Int? {
        activations.filter { $0.effective <= date }
            .max { ($0.effective, $0.sequence) < ($1.effective, $1.sequence) }?.version
    }
}
