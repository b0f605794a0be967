/// Valid claiming procedures per (specialty id, day number), counted as the keys are claimed:
/// the period's per-specialty procedure counts come from these, without another pass over the
/// rows. One zero-filled mapped array of 2¹⁷ days per possible specialty id, addressed in one
/// step (only the pages of the days that occur are touched: about 15 KB a specialty for ten
/// years, of 128 MiB of address space).
struct DayCounts {
    private let words = ZeroedWords(count: (ProcedureRow.maximumSpecialty + 1) << dayBits)
    private static let dayBits = 17

    @inline(__always)
    func add(specialty s: UInt8, day: Int32) {
        words.base[Int(s) << Self.dayBits | Int(day)] += 1
    }

    /// Procedures of specialty `s` on the days of `days` (clamped to the days a row can hold).
    func count(specialty s: Int, days: ClosedRange<Int32>) -> Int {
        let from = max(Int(days.lowerBound), 0), to = min(Int(days.upperBound), ProcedureRow.maximumDay)
        guard s <= ProcedureRow.maximumSpecialty, from <= to else { return 0 }
        var n = 0
        for d in from...to { n += Int(words[s << Self.dayBits | d]) }
        return n
    }
}
