import _EngineShims

/// The (procedure row, operator) pairs one exposure range has seen. Per procedure row, one
/// 32-bit word shared by both ranges holds two 16-bit tags (the operator's id in its range + 1,
/// 15 bits, and the range in the top bit), set by compare-and-swap, in mapped memory so that
/// rows no range sees cost nothing; a range's further pairs of a row, and operator ids of
/// 32 767 and more, go to the range's own set. Sharing the words keeps the memory at 4 bytes a
/// row even when both ranges see every procedure (exposures out of the procedures' order).
struct SeenPairs {
    /// Shared by the ranges of one pass; each range writes only its own tags, never clearing one.
    private let words: ZeroedWords
    private let part: UInt32
    private(set) var more = Set<UInt64>()
    /// The lowest and highest procedure row of any pair (`Int.max`, `Int.min` when none).
    private(set) var lowest = Int.max
    private(set) var highest = Int.min

    /// The pairs of range `part` (0 or 1), in the pass's shared `words` (one per procedure row).
    init(words: ZeroedWords, part: Int) {
        self.words = words
        self.part = UInt32(part)
    }

    /// Hints the cache to load the word of procedure row `r`, to be written.
    @inline(__always)
    func prefetch(row r: Int) { words.prefetchForWrite(r) }

    @inline(__always)
    private func tag(_ op: Int) -> UInt32 { UInt32(op + 1) | part << 15 }

    /// Records the pair; `false` when this range had it already.
    @inline(__always)
    mutating func insert(row r: Int, operator op: Int) -> Bool {
        lowest = min(lowest, r)
        highest = max(highest, r)
        precondition(r >= 0 && r < words.count, "procedure row out of the pair words")
        guard op + 1 <= 0x7FFF else { return more.insert(UInt64(r) << 24 | UInt64(op)).inserted }
        let tag = tag(op)
        let word = words.base + r
        var s = dosecal_load_relaxed32(word)
        while true {
            let low = s & 0xFFFF, high = s >> 16
            // Tested together, not one after the other: whether the row's first tag is taken
            // (a procedure's first reading or a later one) is a coin toss from row to row.
            if (low == tag ? 1 : 0) | (high == tag ? 1 : 0) != 0 { return false }
            guard (low == 0 ? 1 : 0) | (high == 0 ? 1 : 0) != 0 else { return more.insert(UInt64(r) << 24 | UInt64(op)).inserted }
            let set = s | tag << (low == 0 ? 0 : 16)
            if dosecal_cas_relaxed32(word, s, set) != 0 { return true }
            s = dosecal_load_relaxed32(word)
        }
    }

    /// Whether this range has the pair (once the ranges are done).
    func contains(row r: Int, operator op: Int) -> Bool {
        if op + 1 <= 0x7FFF {
            let s = words[r], tag = tag(op)
            if s & 0xFFFF == tag || s >> 16 == tag { return true }
        }
        return !more.isEmpty && more.contains(UInt64(r) << 24 | UInt64(op))
    }

    /// Whether this range and `later` (the other range of the pass) hold one pair: a procedure
    /// row in `rows` that both saw with one operator. `mine[op]` is this range's id of the
    /// later range's operator `op`, `nil` when this range never saw that operator. Once the
    /// ranges are done.
    ///
    /// Each range's pair is a tag in the row's word or in the range's own set, so a shared pair
    /// is a word holding one tag of each range for one operator, or has one side in a set: the
    /// words are read once, and only the sets' pairs are looked up.
    ///
    /// - Complexity: O(`rows` + pairs in the two sets).
    func sharesPair(with later: SeenPairs, rows: Range<Int>, mine: [Int?]) -> Bool {
        let rows = rows.clamped(to: 0..<words.count)
        guard words === later.words, part != later.part else {
            var shared = false
            later.forEach(rows: rows) { row, op in
                if !shared, let op = mine[op], contains(row: row, operator: op) { shared = true }
            }
            return shared
        }
        let base = words.base
        for r in rows {
            let s = base[r]
            let low = s & 0xFFFF, high = s >> 16
            guard low != 0, high != 0, (low ^ high) >> 15 != 0 else { continue }
            let (own, theirs) = low >> 15 == part ? (low, high) : (high, low)
            if let op = mine[Int(theirs & 0x7FFF) - 1], op == Int(own & 0x7FFF) - 1 { return true }
        }
        // The later range's pairs in its set, against all of this range's.
        for p in later.more where rows.contains(Int(p >> 24)) {
            if let op = mine[Int(p & 0xFF_FFFF)], contains(row: Int(p >> 24), operator: op) { return true }
        }
        // This range's pairs in its set, against the later range's.
        guard !more.isEmpty else { return false }
        var theirs = [Int?](repeating: nil, count: (mine.compactMap { $0 }.max() ?? -1) + 1)
        for (their, own) in mine.enumerated() { if let own { theirs[own] = their } }
        for p in more where rows.contains(Int(p >> 24)) {
            let own = Int(p & 0xFF_FFFF)
            if own < theirs.count, let op = theirs[own], later.contains(row: Int(p >> 24), operator: op) { return true }
        }
        return false
    }

    /// ``sharesPair(with:rows:mine:)`` with `rows` read in `parts` slices, one thread each.
    func sharesPair(with later: SeenPairs, rows: Range<Int>, mine: [Int?], parts: Int) -> Bool {
        let n = rows.count, low = rows.lowerBound
        let slices = (0..<parts).map { low + n * $0 / parts..<low + n * ($0 + 1) / parts }
        return parallelMap(parts) { sharesPair(with: later, rows: slices[$0], mine: mine) }.contains(true)
    }

    /// This range's pairs whose procedure row is in `rows` (all when `nil`), as (procedure row,
    /// operator id); once the ranges are done.
    func forEach(rows: Range<Int>? = nil, _ body: (Int, Int) -> Void) {
        let all = 0..<words.count
        for r in rows?.clamped(to: all) ?? all {
            let s = words[r]
            guard s != 0 else { continue }
            let low = s & 0xFFFF, high = s >> 16
            if low != 0 && low >> 15 == part { body(r, Int(low & 0x7FFF) - 1) }
            if high != 0 && high >> 15 == part { body(r, Int(high & 0x7FFF) - 1) }
        }
        for p in more where rows?.contains(Int(p >> 24)) ?? true { body(Int(p >> 24), Int(p & 0xFF_FFFF)) }
    }
}
