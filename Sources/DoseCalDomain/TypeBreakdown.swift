/// One procedure type's share of an operator's (or group's) dose (SPEC §3, paper Figure 2).
public struct TypeShare: Sendable, Hashable {
    public var procedureType: String
    public var procedures: Int
    /// Share of the total PDE, %.
    public var pctPDE: Double?
    /// Share of the total KAP (procedures with a known KAP), %.
    public var pctKAP: Double?
    /// The type's PDE/KAP (ratio of sums), µSv/(Gy·cm²).
    public var pdeKap: Double?
    public var sums: DoseAccumulator
}

/// The per-procedure-type breakdown, sorted so that the types whose PDE share most exceeds their
/// KAP share come first: that is where optimisation pays.
public struct TypeBreakdown: Sendable, Hashable {
    public var total: DoseAccumulator
    public var types: [TypeShare]

    public init(total: DoseAccumulator, byType: [String: DoseAccumulator]) {
        self.total = total
        let hp = total.hp10MicroSv.value
        let kap = total.kapGyCm2.value
        types = byType.map { type, acc in
            TypeShare(
                procedureType: type, procedures: acc.procedures,
                pctPDE: hp > 0 ? 100 * acc.hp10MicroSv.value / hp : nil,
                pctKAP: kap > 0 ? 100 * acc.kapGyCm2.value / kap : nil,
                pdeKap: acc.pdeKap, sums: acc)
        }
        types.sort { a, b in
            let da = (a.pctPDE ?? 0) - (a.pctKAP ?? 0)
            let db = (b.pctPDE ?? 0) - (b.pctKAP ?? 0)
            if da != db { return da > db }
            return a.procedureType.unicodeScalars.lexicographicallyPrecedes(b.procedureType.unicodeScalars)
        }
    }
}
