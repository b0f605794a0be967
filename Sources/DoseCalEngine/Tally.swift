import DoseCalDomain

/// Per-operator sums of one part: a ``DoseAccumulator`` per (operator, procedure type), or per
/// operator alone when no breakdown by type is wanted, and a reading count per (operator,
/// specialty), handed to the `IndicatorBuilder` once at the end.
///
/// The sums sit in a flat array indexed by interned ids (`op * typeCount + type`) while that
/// array stays small (`denseLimit` cells). Past it (a national registry: thousands of
/// operators, hundreds of procedure types, most pairs never met) they are kept per pair met,
/// found through a dictionary, so that memory follows the pairs in the data and not
/// operators × types. With `feedsBuilder` off (profiling only) the sums are still kept but
/// never handed over.
///
/// - Complexity: O(1) amortised per reading; memory O(min(operators × types, pairs met)).
struct Tally {
    let feedsBuilder: Bool
    /// Procedure types told apart (1 without a breakdown by type).
    let typeCount: Int
    let specialtyCount: Int
    /// A reading's column is `type & typeMask`: all ones, or 0 without a breakdown by type.
    let typeMask: Int
    /// Cells of the flat array past which the sums are kept per pair met: 65 536 by default
    /// (10 MB of sums).
    let denseLimit: Int

    /// Flat: the sums of operator `op`, type `t` at `op * typeCount + t` (unused while
    /// `procedures == 0`). Per pair: the sums of the pairs in the order they were met.
    private(set) var sums: [DoseAccumulator] = []
    /// Flat cells in use: an index below it is a flat one (0 once the sums are per pair).
    private var flatCells = 0
    /// The pairs' places in ``sums`` once they are kept per pair, by `op << 32 | type` (`nil`
    /// while flat).
    private var pairs: [UInt64: Int]?
    /// Readings of operator `op` in specialty `s` at `op * specialtyCount + s`.
    private(set) var specialtyReadings: [Int] = []

    /// - Parameters:
    ///   - typeBreakdown: keep sums per (operator, type); else per operator only.
    ///   - denseLimit: cells of the flat array past which sums are kept per pair met.
    init(typeCount: Int, specialtyCount: Int, feedsBuilder: Bool, typeBreakdown: Bool = true, denseLimit: Int = 1 << 16) {
        self.denseLimit = denseLimit
        self.typeCount = typeBreakdown ? max(typeCount, 1) : 1
        self.typeMask = typeBreakdown ? ~0 : 0
        self.specialtyCount = max(specialtyCount, 1)
        self.feedsBuilder = feedsBuilder
    }

    /// The place of (`op`, `type`)'s sums in ``sums``, if they are flat and allocated.
    @inline(__always)
    func flatIndex(operator op: Int, type: Int) -> Int? {
        let i = op &* typeCount &+ (type & typeMask)
        return i < flatCells ? i : nil
    }

    @inline(__always)
    mutating func add(operator op: Int, type: Int, specialty: Int, hp10: Double, kap: Double, ref: Double) {
        let i = flatIndex(operator: op, type: type) ?? place(operator: op, type: type & typeMask)
        sums[i].add(hp10MicroSv: hp10, kapGyCm2: kap.isNaN ? nil : kap, refMicroSv: ref.isNaN ? nil : ref)
        let r = op &* specialtyCount &+ specialty
        if r >= specialtyReadings.count { specialtyReadings += repeatElement(0, count: (op + 1) * specialtyCount - specialtyReadings.count) }
        specialtyReadings[r] += 1
    }

    /// The place of a pair that is not a flat cell yet: the flat array grown to its operator
    /// while it stays within `denseLimit`, else the pair's own place (sums moved to per-pair
    /// places the first time).
    @inline(never)
    private mutating func place(operator op: Int, type: Int) -> Int {
        if pairs == nil {
            let cells = (op + 1) * typeCount
            if cells <= denseLimit {
                sums += repeatElement(DoseAccumulator(), count: cells - sums.count)
                flatCells = cells
                return op * typeCount + type
            }
            var places: [UInt64: Int] = [:]
            var met: [DoseAccumulator] = []
            for (i, s) in sums.enumerated() where s.procedures > 0 {
                places[UInt64(i / typeCount) << 32 | UInt64(i % typeCount)] = met.count
                met.append(s)
            }
            sums = met
            pairs = places
            flatCells = 0
        }
        let key = UInt64(op) << 32 | UInt64(type)
        if let i = pairs![key] { return i }
        pairs![key] = sums.count
        sums.append(DoseAccumulator())
        return sums.count - 1
    }

    /// Hands the sums to `builder`, naming operators, types and specialties (per operator
    /// only, ``IndicatorBuilder/mergeTotal(operatorID:sums:)``, without a breakdown by type).
    func feed(_ builder: inout IndicatorBuilder, operators: [String], types: [String], specialties: [String]) {
        guard feedsBuilder else { return }
        func merge(_ op: Int, _ type: Int, _ s: DoseAccumulator) {
            guard s.procedures > 0 else { return }
            if typeMask == 0 {
                builder.mergeTotal(operatorID: operators[op], sums: s)
            } else {
                builder.merge(operatorID: operators[op], procedureType: types[type], sums: s)
            }
        }
        if let pairs {
            for (key, i) in pairs.sorted(by: { $0.key < $1.key }) { merge(Int(key >> 32), Int(key & 0xFFFF_FFFF), sums[i]) }
        } else {
            for i in 0..<flatCells { merge(i / typeCount, i % typeCount, sums[i]) }
        }
        for op in 0..<(specialtyReadings.count / specialtyCount) {
            for s in 0..<specialtyCount where specialtyReadings[op * specialtyCount + s] > 0 {
                builder.countReadings(operatorID: operators[op], specialty: specialties[s], readings: specialtyReadings[op * specialtyCount + s])
            }
        }
    }
}
