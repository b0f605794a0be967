/// Accumulates readings for one period into per-operator indicators and per-type breakdowns.
///
/// Feed it every (exposure, procedure) pair; pairs whose procedure date falls outside the
/// period are ignored. An operator's specialty is the roster's, or else the specialty of most of
/// its procedures in the period (ties: first in code-point order), as SPEC §9 says.
///
/// - Complexity: O(1) amortised per reading; memory O(distinct (operator, procedure type) pairs),
///   or O(operators) when fed per-operator totals only (``mergeTotal(operatorID:sums:)``).
public struct IndicatorBuilder: Sendable {
    public let period: Period
    /// Roster: operator → specialty.
    public let roster: [String: String]

    private var byOperator: [String: OperatorSums] = [:]
    /// Procedures per specialty in the period (SPEC §8: "the specialty's procedures").
    public private(set) var specialtyProcedures: [String: Int] = [:]
    /// Whether every reading's procedure type was kept, so that ``breakdown(of:)`` and
    /// ``breakdown(ofGroup:)`` can be asked; `false` once per-operator totals were merged
    /// without their types (``mergeTotal(operatorID:sums:)``).
    public private(set) var hasTypeBreakdown = true

    struct OperatorSums: Sendable {
        var total = DoseAccumulator()
        var byType: [String: DoseAccumulator] = [:]
        var specialtyCounts: [String: Int] = [:]

        mutating func add(hp10MicroSv: Double, specialty: String, procedureType: String, kapGyCm2: Double?, refMicroSv: Double?) {
            total.add(hp10MicroSv: hp10MicroSv, kapGyCm2: kapGyCm2, refMicroSv: refMicroSv)
            byType[procedureType, default: DoseAccumulator()].add(hp10MicroSv: hp10MicroSv, kapGyCm2: kapGyCm2, refMicroSv: refMicroSv)
            specialtyCounts[specialty, default: 0] += 1
        }
    }

    public init(period: Period, roster: [String: String] = [:]) {
        self.period = period
        self.roster = roster
    }

    /// Counts a procedure toward its specialty's procedure count if it is in the period. Call
    /// once per procedure (independently of its exposures).
    public mutating func countProcedure(_ procedure: Procedure) {
        guard period.contains(procedure.date) else { return }
        specialtyProcedures[procedure.specialty, default: 0] += 1
    }

    /// Counts `count` procedures of `specialty` in the period at once (a store that counts them
    /// with SQL instead of calling ``countProcedure(_:)`` for each).
    public mutating func countProcedures(specialty: String, count: Int) {
        specialtyProcedures[specialty, default: 0] += count
    }

    /// Adds one operator reading for one procedure (ignored when outside the period).
    public mutating func add(_ exposure: Exposure, of procedure: Procedure) {
        guard period.contains(procedure.date) else { return }
        add(operatorID: exposure.operatorID, hp10MicroSv: exposure.hp10MicroSv,
            specialty: procedure.specialty, procedureType: procedure.procedureType,
            kapGyCm2: procedure.kapGyCm2, refMicroSv: procedure.refDosimeterMicroSv)
    }

    /// Adds one reading already known to be in the period.
    public mutating func add(
        operatorID: String, hp10MicroSv: Double, specialty: String, procedureType: String,
        kapGyCm2: Double?, refMicroSv: Double?
    ) {
        // Mutated in place through the default subscript: no copy of the nested dictionaries.
        byOperator[operatorID, default: OperatorSums()].add(
            hp10MicroSv: hp10MicroSv, specialty: specialty, procedureType: procedureType, kapGyCm2: kapGyCm2, refMicroSv: refMicroSv)
    }

    /// Adds sums accumulated elsewhere (a streaming engine's per-operator, per-type tallies):
    /// the same as adding each of their readings, without the per-reading dictionary work.
    /// - Parameters:
    ///   - sums: the readings of `operatorID` in procedures of `procedureType`, all in the period.
    public mutating func merge(operatorID: String, procedureType: String, sums: DoseAccumulator) {
        byOperator[operatorID, default: OperatorSums()].total.merge(sums)
        byOperator[operatorID, default: OperatorSums()].byType[procedureType, default: DoseAccumulator()].merge(sums)
    }

    /// Adds an operator's sums over all its procedure types at once (a streaming engine asked
    /// for indicators alone): the indicators are as if each reading had been added, but the
    /// builder no longer has a breakdown by type (``hasTypeBreakdown`` becomes `false`).
    /// - Parameters:
    ///   - sums: the readings of `operatorID`, all in the period.
    public mutating func mergeTotal(operatorID: String, sums: DoseAccumulator) {
        hasTypeBreakdown = false
        byOperator[operatorID, default: OperatorSums()].total.merge(sums)
    }

    /// Counts `readings` readings of `operatorID` in procedures of `specialty` (what decides an
    /// operator's specialty when the roster does not), for sums added with
    /// ``merge(operatorID:procedureType:sums:)``.
    public mutating func countReadings(operatorID: String, specialty: String, readings: Int) {
        byOperator[operatorID, default: OperatorSums()].specialtyCounts[specialty, default: 0] += readings
    }

    /// The specialty an operator is grouped under.
    public func specialty(of operatorID: String) -> String {
        if let s = roster[operatorID] { return s }
        return IndicatorBuilder.majority(byOperator[operatorID]?.specialtyCounts ?? [:]) ?? "unknown"
    }

    static func majority(_ counts: [String: Int]) -> String? {
        counts.max { a, b in a.value != b.value ? a.value < b.value : a.key.unicodeScalars.lexicographicallyPrecedes(b.key.unicodeScalars) == false }?.key
    }

    /// Per-operator indicators, sorted by operator id (code-point order).
    /// - Parameters:
    ///   - operators: keep only these operators (all when `nil`).
    ///   - specialty: keep only operators of this specialty (all when `nil`).
    public func indicators(operators: Set<String>? = nil, specialty: String? = nil) -> [OperatorIndicators] {
        byOperator.compactMap { id, sums -> OperatorIndicators? in
            if let operators, !operators.contains(id) { return nil }
            let s = self.specialty(of: id)
            if let specialty, s != specialty { return nil }
            return OperatorIndicators(operatorID: id, specialty: s, sums: sums.total)
        }.sorted { $0.operatorID.unicodeScalars.lexicographicallyPrecedes($1.operatorID.unicodeScalars) }
    }

    /// The breakdown by procedure type of one operator (SPEC §3, the paper's Figure 2).
    /// - Precondition: ``hasTypeBreakdown``.
    public func breakdown(of operatorID: String) -> TypeBreakdown? {
        precondition(hasTypeBreakdown, "this builder was fed per-operator totals only: it has no breakdown by type")
        guard let sums = byOperator[operatorID] else { return nil }
        return TypeBreakdown(total: sums.total, byType: sums.byType)
    }

    /// The breakdown of a group of operators pooled together.
    /// - Precondition: ``hasTypeBreakdown``.
    public func breakdown(ofGroup operatorIDs: some Sequence<String>) -> TypeBreakdown {
        precondition(hasTypeBreakdown, "this builder was fed per-operator totals only: it has no breakdown by type")
        var total = DoseAccumulator()
        var byType: [String: DoseAccumulator] = [:]
        for id in operatorIDs {
            guard let sums = byOperator[id] else { continue }
            total.merge(sums.total)
            for (t, acc) in sums.byType { byType[t, default: DoseAccumulator()].merge(acc) }
        }
        return TypeBreakdown(total: total, byType: byType)
    }

    /// Merges another builder over the same period (for parallel accumulation).
    public mutating func merge(_ other: IndicatorBuilder) {
        hasTypeBreakdown = hasTypeBreakdown && other.hasTypeBreakdown
        for (id, o) in other.byOperator {
            var sums = byOperator[id] ?? OperatorSums()
            sums.total.merge(o.total)
            for (t, acc) in o.byType { sums.byType[t, default: DoseAccumulator()].merge(acc) }
            for (s, n) in o.specialtyCounts { sums.specialtyCounts[s, default: 0] += n }
            byOperator[id] = sums
        }
        for (s, n) in other.specialtyProcedures { specialtyProcedures[s, default: 0] += n }
    }
}
