import DoseCalDomain

/// Per-operator sums of one part: a ``DoseAccumulator`` per (operator, procedure type) and a
/// reading count per (operator, specialty), in flat arrays indexed by interned ids, handed to
/// the `IndicatorBuilder` once at the end (``IndicatorBuilder/merge(operatorID:procedureType:sums:)``).
/// With `feedsBuilder` off (profiling only) the sums are still kept but never handed over.
struct Tally {
    let feedsBuilder: Bool
    /// Procedure types and specialties of the procedures (the strides of the flat arrays).
    let typeCount: Int
    let specialtyCount: Int
    /// Sums of operator `op`, type `t` at `op * typeCount + t`; unused while `procedures == 0`.
    private(set) var sums: [DoseAccumulator] = []
    /// Readings of operator `op` in specialty `s` at `op * specialtyCount + s`.
    private(set) var specialtyReadings: [Int] = []

    init(typeCount: Int, specialtyCount: Int, feedsBuilder: Bool) {
        self.typeCount = max(typeCount, 1)
        self.specialtyCount = max(specialtyCount, 1)
        self.feedsBuilder = feedsBuilder
    }

    @inline(__always)
    mutating func add(operator op: Int, type: Int, specialty: Int, hp10: Double, kap: Double, ref: Double) {
        let i = op * typeCount + type
        if i >= sums.count {
            sums += repeatElement(DoseAccumulator(), count: (op + 1) * typeCount - sums.count)
            specialtyReadings += repeatElement(0, count: (op + 1) * specialtyCount - specialtyReadings.count)
        }
        sums[i].add(hp10MicroSv: hp10, kapGyCm2: kap.isNaN ? nil : kap, refMicroSv: ref.isNaN ? nil : ref)
        specialtyReadings[op * specialtyCount + specialty] += 1
    }

    /// Hands the sums to `builder`, naming operators, types and specialties.
    func feed(_ builder: inout IndicatorBuilder, operators: [String], types: [String], specialties: [String]) {
        guard feedsBuilder else { return }
        for op in 0..<(sums.count / typeCount) {
            for type in 0..<typeCount where sums[op * typeCount + type].procedures > 0 {
                builder.merge(operatorID: operators[op], procedureType: types[type], sums: sums[op * typeCount + type])
            }
            for s in 0..<specialtyCount where specialtyReadings[op * specialtyCount + s] > 0 {
                builder.countReadings(operatorID: operators[op], specialty: specialties[s], readings: specialtyReadings[op * specialtyCount + s])
            }
        }
    }
}
