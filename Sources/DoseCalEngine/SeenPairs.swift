/// The (procedure row, operator) pairs one part has seen: per procedure row up to two operator
/// ids + 1 inline (16 bits each, 4 bytes a row, in mapped memory so that the rows a part never
/// sees cost nothing), the rest (and operator ids of 65 535 and more) in a set.
struct SeenPairs {
    /// Written only by the part that owns it (``ExposureScan``).
    private let inline: ZeroedWords
    private(set) var more = Set<UInt64>()
    /// The lowest and highest procedure row of any pair (`Int.max`, `Int.min` when none).
    private(set) var lowest = Int.max
    private(set) var highest = Int.min

    init(rows: Int) { inline = ZeroedWords(count: rows, hugePages: true) }

    /// Hints the cache to load the word of procedure row `r`.
    @inline(__always)
    func prefetch(row r: Int) { inline.prefetch(r) }

    /// Records the pair; `false` when it was already there.
    @inline(__always)
    mutating func insert(row r: Int, operator op: Int) -> Bool {
        lowest = min(lowest, r)
        highest = max(highest, r)
        let tag = UInt32(op + 1)
        guard tag <= 0xFFFF else { return more.insert(UInt64(r) << 24 | UInt64(op)).inserted }
        let s = inline[r]
        if s & 0xFFFF == tag || s >> 16 == tag { return false }
        if s & 0xFFFF == 0 {
            inline[r] = tag
            return true
        }
        if s >> 16 == 0 {
            inline[r] = s | tag << 16
            return true
        }
        return more.insert(UInt64(r) << 24 | UInt64(op)).inserted
    }

    func contains(row r: Int, operator op: Int) -> Bool {
        let tag = UInt32(op + 1)
        let s = inline[r]
        if tag <= 0xFFFF && (s & 0xFFFF == tag || s >> 16 == tag) { return true }
        return more.contains(UInt64(r) << 24 | UInt64(op))
    }

    /// Every pair whose procedure row is in `rows` (all when `nil`), as (procedure row, operator id).
    func forEach(rows: Range<Int>? = nil, _ body: (Int, Int) -> Void) {
        let all = 0..<inline.count
        for r in rows?.clamped(to: all) ?? all {
            let s = inline[r]
            guard s != 0 else { continue }
            if s & 0xFFFF != 0 { body(r, Int(s & 0xFFFF) - 1) }
            if s >> 16 != 0 { body(r, Int(s >> 16) - 1) }
        }
        for p in more where rows?.contains(Int(p >> 24)) ?? true { body(Int(p >> 24), Int(p & 0xFF_FFFF)) }
    }
}
