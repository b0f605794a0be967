/// Finds, after a pass, what the wording of duplicate rejections needs: the first row of each
/// duplicated key, and whether a later row is byte-identical to it. Runs only when a file has
/// duplicates, so the passes keep no line or content per key: only, every 1 024 records, where
/// a rescan can start (``Block``).
///
/// A rescan reads the pass's byte ranges again, one thread each, and within a range only the
/// blocks that can hold a wanted record; a record that is not wanted costs the record scanner
/// and a comparison (for exposures also the key digest and a bit test). With a few duplicates
/// this reads a few blocks; with duplicates everywhere, the whole files.
struct ContentRescan {
    struct Found: Sendable {
        var line: Int
        var content: UInt64
        var uid: String
        var operatorID: String?
    }

    /// A byte range of a pass, as the pass read it: records from `begin` up to the first one
    /// that starts at or after `stop`; its first record is on line `lineBase` + 1 and is the
    /// range's first claiming record's ordinal `ordinalBase`.
    struct Range: Sendable {
        var begin: Int
        var stop: Int
        var lineBase: Int
        var ordinalBase: Int
        /// Where a rescan can start; the first one is the range's start.
        var blocks: [Block]
    }

    /// The runs of consecutive blocks among `needed` (sorted, distinct), as (first block, byte
    /// offset where the run's reading stops).
    private static func runs(of needed: [Int], in range: Range) -> [(first: Int, stop: Int)] {
        var runs: [(first: Int, stop: Int)] = []
        var k = 0
        while k < needed.count {
            var last = k
            while last + 1 < needed.count, needed[last + 1] == needed[last] + 1 { last += 1 }
            let after = needed[last] + 1
            runs.append((needed[k], after < range.blocks.count ? range.blocks[after].offset : range.stop))
            k = last + 1
        }
        return runs
    }

    /// A place in a range where a rescan can start: a record's byte offset, the line feeds
    /// and claiming records (procedures) before it from the range's start, and the procedure
    /// rows the range's records from there to the next block joined (exposures; all when
    /// not known).
    struct Block: Sendable {
        var offset: Int
        var lineBase: Int
        var ordinal = 0
        var lowRow = 0
        var highRow = Int.max
    }

    struct Pair: Hashable, Sendable {
        var uid: KeyDigest
        var operatorID: [UInt8]
    }

    /// Procedure rows by ordinal (the records that claim a key, ``ProcedureColumns/claims(_:)``,
    /// numbered from 0 in file order), with their lines. Only the blocks holding a wanted row
    /// are read.
    static func rows(_ wanted: Set<Int>, path: String, ranges: [Range], columns: ProcedureColumns) throws -> [Int: Found] {
        let sorted = wanted.sorted()
        let parts = try parallelMap(ranges.count) { k -> Result<[Int: Found], any Error> in
            Result {
                let range = ranges[k]
                let upper = k + 1 < ranges.count ? ranges[k + 1].ordinalBase : Int.max
                let mine = Array(sorted[sorted.partitionedIndex { $0 >= range.ordinalBase }..<sorted.partitionedIndex { $0 >= upper }])
                var out: [Int: Found] = [:]
                guard !mine.isEmpty else { return out }
                let needed = Array(Set(mine.map { o in range.blocks.partitionedIndex { range.ordinalBase + $0.ordinal > o } - 1 })).sorted()
                var next = 0
                for run in runs(of: needed, in: range) {
                    let block = range.blocks[run.first]
                    var ordinal = range.ordinalBase + block.ordinal
                    while next < mine.count, mine[next] < ordinal { next += 1 }
                    let s = try RecordScanner(path: path, offset: block.offset)
                    while next < mine.count, try s.next(stopAt: run.stop) {
                        guard columns.claims(s) else { continue }
                        if ordinal == mine[next] {
                            out[ordinal] = Found(line: range.lineBase + block.lineBase + s.relativeLine, content: s.contentDigest(),
                                                 uid: String(decoding: s.bytes(of: columns.uid), as: UTF8.self), operatorID: nil)
                            next += 1
                        }
                        ordinal += 1
                    }
                }
                return out
            }
        }.map { try $0.get() }
        return parts.reduce(into: [:]) { $0.merge($1) { first, _ in first } }
    }

    /// The exposures a duplicate pair's rejection needs: the record on each duplicate's line,
    /// by line, and the first record carrying each duplicate's pair (right field count, both
    /// keys not blank), by pair; `row` is the pair's procedure row (-1 for a study that is
    /// not a procedure). A pair is looked for only in the range of its duplicate's line (the
    /// engine's ranges never share a pair), and only in the blocks up to the duplicate's whose
    /// records joined that row (all of them up to the duplicate's for -1).
    static func exposures(duplicates: [(pair: Pair, line: Int, row: Int)], path: String, ranges: [Range],
                          columns: ExposureColumns) throws -> (firsts: [Pair: Found], lines: [Int: Found]) {
        let parts = try parallelMap(ranges.count) { k -> Result<([Pair: Found], [Int: Found]), any Error> in
            Result {
                let range = ranges[k], blocks = range.blocks
                let upper = k + 1 < ranges.count ? ranges[k + 1].lineBase : Int.max
                let mine = duplicates.filter { $0.line > range.lineBase && $0.line <= upper }
                var firsts: [Pair: Found] = [:], lines: [Int: Found] = [:]
                guard !mine.isEmpty else { return (firsts, lines) }
                let wantedLines = Set(mine.map(\.line)).sorted(), pairs = Set(mine.map(\.pair))
                // The blocks to read: each duplicate's own, and the earlier ones whose records
                // joined its row; past a budget of block tests, every block up to the last
                // duplicate's.
                let ownBlocks = mine.map { d in blocks.partitionedIndex { range.lineBase + $0.lineBase + 1 > d.line } - 1 }
                var needed = Set<Int>()
                if ownBlocks.reduce(0, +) <= 1 << 22 {
                    for (d, own) in zip(mine, ownBlocks) {
                        needed.insert(own)
                        for b in 0..<own where d.row < 0 || (blocks[b].lowRow <= d.row && d.row <= blocks[b].highRow) { needed.insert(b) }
                    }
                } else {
                    needed = Set(0...(ownBlocks.max() ?? 0))
                }
                // One bit per key, by the key's low bits: most records are passed over on a bit test.
                var bits = 64
                while bits < 64 * pairs.count { bits <<= 1 }
                var filter = [UInt64](repeating: 0, count: bits / 64)
                for p in pairs {
                    let slot = Int(truncatingIfNeeded: p.uid.key) & (bits - 1)
                    filter[slot >> 6] |= 1 << UInt64(slot & 63)
                }
                var next = 0
                for run in runs(of: needed.sorted(), in: range) {
                    let lineBase = range.lineBase + blocks[run.first].lineBase
                    let s = try RecordScanner(path: path, offset: blocks[run.first].offset)
                    while try s.next(stopAt: run.stop) {
                        let line = lineBase + s.relativeLine
                        while next < wantedLines.count, wantedLines[next] < line { next += 1 }
                        if next < wantedLines.count, line == wantedLines[next], s.fieldCount > max(columns.uid, columns.operatorID) {
                            lines[line] = found(s, line: line, columns: columns)
                        }
                        guard s.fieldCount == columns.count else { continue }
                        let uid = s.bytes(of: columns.uid)
                        let key = keyDigest(uid)
                        let slot = Int(truncatingIfNeeded: key.key) & (bits - 1)
                        guard filter[slot >> 6] >> UInt64(slot & 63) & 1 == 1 else { continue }
                        let op = s.bytes(of: columns.operatorID)
                        guard !isBlank(uid), !isBlank(op) else { continue }
                        let pair = Pair(uid: key, operatorID: Array(op))
                        guard pairs.contains(pair), firsts[pair] == nil else { continue }
                        firsts[pair] = found(s, line: line, columns: columns)
                    }
                }
                return (firsts, lines)
            }
        }.map { try $0.get() }
        var firsts: [Pair: Found] = [:], lines: [Int: Found] = [:]
        for (f, l) in parts {
            firsts.merge(f) { first, _ in first }
            lines.merge(l) { first, _ in first }
        }
        return (firsts, lines)
    }

    private static func found(_ s: RecordScanner, line: Int, columns: ExposureColumns) -> Found {
        Found(line: line, content: s.contentDigest(), uid: String(decoding: s.bytes(of: columns.uid), as: UTF8.self),
              operatorID: String(decoding: s.bytes(of: columns.operatorID), as: UTF8.self))
    }
}

extension Array {
    /// The index of the first element for which `isAbove` holds, in an array where it holds
    /// for a suffix (binary search); `count` when it holds for none.
    func partitionedIndex(where isAbove: (Element) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if isAbove(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
