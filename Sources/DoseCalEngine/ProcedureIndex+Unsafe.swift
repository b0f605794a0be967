// The procedures' join index. Unsafe: the key claim runs on two threads that write disjoint
// halves of the table through a shared pointer.

import _EngineShims

/// The procedures of the file, keyed by `study_uid` digest: the join side of pass 2.
///
/// Rows stay in the (at most two) arrays the parts produced, in file order, addressed by a
/// global index (the row's ordinal). A table of indices finds a row by digest: open addressing
/// with linear probing, at least 1.5 slots a row, split in two halves by the digest's top bit so
/// that two threads can claim keys at once, each in its own half and each in file order. Rows
/// whose key was already claimed stay in the arrays, marked invalid, and are not in the table.
///
/// - Complexity: O(1) expected per lookup; memory 24 bytes per procedure row plus 6–12 bytes
///   of table.
struct ProcedureIndex: Sendable {
    private var first: [ProcedureRow]
    private var second: [ProcedureRow]
    private let firstWide: [Double]
    private let secondWide: [Double]
    private let split: Int
    /// Shared by copies: written only by ``claimAll(threads:)``, before the index is shared.
    private let table: ZeroedWords
    private let halfShift: Int
    private let halfMask: Int

    init(first: (rows: [ProcedureRow], wide: [Double]), second: (rows: [ProcedureRow], wide: [Double])) {
        self.first = first.rows
        self.second = second.rows
        firstWide = first.wide
        secondWide = second.wide
        split = first.rows.count
        var shift = 9
        while (2 << shift) * 2 < (first.rows.count + second.rows.count) * 3 { shift += 1 }
        halfShift = shift
        halfMask = (1 << shift) - 1
        fingerprinted = first.rows.count + second.rows.count < 0xFF_FFFF
        table = ZeroedWords(count: 2 << shift, hugePages: true)
    }

    var count: Int { first.count + second.count }

    @inline(__always)
    func row(_ i: Int) -> ProcedureRow { i < split ? first[i] : second[i - split] }

    /// Total KAP of row `i`, Gy·cm²; NaN when unknown.
    @inline(__always)
    func kap(_ row: ProcedureRow, at i: Int) -> Double { ValueCode.value(row.kapCode, wide: i < split ? firstWide : secondWide) }

    /// Reference reading of row `i`, µSv; NaN when unknown.
    @inline(__always)
    func ref(_ row: ProcedureRow, at i: Int) -> Double { ValueCode.value(row.refCode, wide: i < split ? firstWide : secondWide) }

    /// A slot holds row index + 1 (0 is empty). Below 2²⁴ − 1 rows its top 8 bits carry a
    /// fingerprint of the key (bits 48–55, independent of the home slot), so that most probes
    /// past other keys never read their rows.
    private let fingerprinted: Bool

    @inline(__always)
    static func slotValue(_ g: Int, key: UInt64, fingerprinted: Bool) -> UInt32 {
        fingerprinted ? UInt32(g + 1) | UInt32(truncatingIfNeeded: key >> 48 & 0xFF) << 24 : UInt32(g + 1)
    }

    /// The row a non-empty slot points to.
    @inline(__always)
    static func slotRow(_ slot: UInt32, fingerprinted: Bool) -> Int { Int(fingerprinted ? slot & 0xFF_FFFF : slot) - 1 }

    /// Whether a non-empty slot may hold `key` (always, without fingerprints).
    @inline(__always)
    static func slotMayHold(_ slot: UInt32, key: UInt64, fingerprinted: Bool) -> Bool {
        !fingerprinted || slot >> 24 == UInt32(truncatingIfNeeded: key >> 48 & 0xFF)
    }

    /// The home slot of a key: its half (top bit), then its low bits.
    @inline(__always)
    private func home(_ key: UInt64) -> Int { Int(key >> 63) << halfShift | (Int(truncatingIfNeeded: key) & halfMask) }

    /// The next slot in the same half.
    @inline(__always)
    private func probe(after i: Int) -> Int { (i & ~halfMask) | ((i + 1) & halfMask) }

    /// What claiming every key in file order found.
    struct Claims {
        /// Rows whose key an earlier row had claimed (`row`), with that row (`of`), by `row`.
        var duplicates: [(row: Int, of: Int)] = []
        /// Two different UIDs share a 64-bit key (the engine then uses exact strings).
        var collision = false
        /// The first and last day of the valid rows that claimed their key (`Int32.max` and
        /// `Int32.min` when there is none).
        var firstDay = Int32.max
        var lastDay = Int32.min
        /// The valid claimers per specialty and day, one count per half of the table.
        var days: [DayCounts] = []

        /// Valid claiming procedures per specialty (`specialties` ids) on the days of `days`.
        func specialtyCounts(days range: ClosedRange<Int32>, specialties: Int) -> [Int] {
            (0..<specialties).map { s in days.reduce(0) { $0 + $1.count(specialty: s, days: range) } }
        }
    }

    /// Claims every row's key in file order: the first row with a key claims it; a later row
    /// with the same key is a duplicate (then marked invalid and not a claimer); the same
    /// 64-bit key with another check is a collision. The two halves of the table are claimed
    /// on `threads` (1 or 2) threads.
    ///
    /// - Complexity: O(rows) expected.
    mutating func claimAll(threads: Int) -> Claims {
        guard count < Int(UInt32.max) else { return Claims(collision: true) }
        let partials = UnsafeMutablePointer<Claims>.allocate(capacity: 2)
        partials.initialize(repeating: Claims(), count: 2)
        defer { partials.deinitialize(count: 2); partials.deallocate() }
        let split = self.split, count = self.count, halfShift = self.halfShift, halfMask = self.halfMask
        let fingerprinted = self.fingerprinted
        first.withUnsafeBufferPointer { first in
            second.withUnsafeBufferPointer { second in
                let shared = ClaimShared(table: table.base, first: first, second: second, partials: partials)
                let work: @Sendable (Int) -> Void = { half in
                    shared.partials[half] = Self.claimHalf(half, shared: shared, split: split, count: count,
                                                           halfShift: halfShift, halfMask: halfMask, fingerprinted: fingerprinted)
                }
                if threads >= 2 {
                    parallelFor(2, work)
                } else {
                    work(0)
                    work(1)
                }
            }
        }
        var claims = Claims()
        for half in 0..<2 {
            let p = partials[half]
            claims.collision = claims.collision || p.collision
            claims.firstDay = min(claims.firstDay, p.firstDay)
            claims.lastDay = max(claims.lastDay, p.lastDay)
            claims.days += p.days
            claims.duplicates += p.duplicates
        }
        claims.duplicates.sort { $0.row < $1.row }
        for d in claims.duplicates {
            if d.row < split {
                first[d.row].valid = false
                first[d.row].claimer = false
            } else {
                second[d.row - split].valid = false
                second[d.row - split].claimer = false
            }
        }
        return claims
    }

    /// Claims, in file order, the keys of one half of the table. Rows wait in a short queue
    /// after their home slot is prefetched, so that the random probes overlap.
    private static func claimHalf(_ half: Int, shared: ClaimShared, split: Int, count: Int,
                                  halfShift: Int, halfMask: Int, fingerprinted: Bool) -> Claims {
        var out = Claims()
        let days = DayCounts()
        let t = shared.table
        @inline(__always) func row(_ g: Int) -> ProcedureRow { g < split ? shared.first[g] : shared.second[g - split] }
        /// Claims row `g` from slot `home`; `false` on a collision.
        @inline(__always) func claim(_ g: Int, _ home: Int) -> Bool {
            let r = row(g)
            var i = home
            while true {
                let slot = t[i]
                if slot == 0 {
                    t[i] = slotValue(g, key: r.key, fingerprinted: fingerprinted)
                    if r.valid {
                        out.firstDay = min(out.firstDay, r.day)
                        out.lastDay = max(out.lastDay, r.day)
                        days.add(specialty: r.specialty, day: r.day)
                    }
                    return true
                }
                if slotMayHold(slot, key: r.key, fingerprinted: fingerprinted) {
                    let o = slotRow(slot, fingerprinted: fingerprinted)
                    let other = row(o)
                    if other.key == r.key {
                        guard other.check == r.check else { return false }
                        out.duplicates.append((g, o))
                        return true
                    }
                }
                i = (i & ~halfMask) | ((i + 1) & halfMask)
            }
        }
        // Every row is written into a ring and counted only when its key is in this half (the
        // top bit is a coin toss: a branch on it would be mispredicted every other row); its
        // home slot is prefetched (the half's first slot for a row of the other half). Every
        // 16 rows, the queued rows but the last `depth` are claimed, so that each waits
        // `depth` of its half's rows after its prefetch.
        let depth = 16, ringSize = 64, ringMask = ringSize - 1
        let ring = UnsafeMutablePointer<(row: Int, home: Int)>.allocate(capacity: ringSize)
        defer { ring.deallocate() }
        let firstSlot = half << halfShift
        var written = 0, claimed = 0
        /// Claims the oldest queued row; `false` on a collision.
        @inline(__always) func claimOldest() -> Bool {
            defer { claimed += 1 }
            return claim(ring[claimed & ringMask].row, ring[claimed & ringMask].home)
        }
        for g in 0..<count {
            let key = row(g).key
            let home = firstSlot | (Int(truncatingIfNeeded: key) & halfMask)
            let mine = Int(key >> 63) == half
            ring[written & ringMask] = (g, home)
            dosecal_prefetch_for_write(t + (mine ? home : firstSlot))
            written &+= mine ? 1 : 0
            if g & 15 == 15 {
                while written - claimed > depth {
                    guard claimOldest() else { out.collision = true; return out }
                }
            }
        }
        while claimed < written {
            guard claimOldest() else { out.collision = true; return out }
        }
        out.days = [days]
        return out
    }

    /// Whether row `index` claimed its key (a row with the key of an earlier row did not).
    @inline(__always)
    func isClaimer(_ index: Int) -> Bool { row(index).claimer }

    /// Hints the cache to load the home slot of `key` (a lookup some records ahead).
    @inline(__always)
    func prefetchSlot(of key: UInt64) { dosecal_prefetch_for_read(table.base + home(key)) }

    /// Hints the cache to load the row that the first slot from the home of `key` whose
    /// fingerprint fits points to (the home slot's cache line should already be in cache; at
    /// most 7 slots after it are looked at); that row, or `nil`.
    @inline(__always)
    @discardableResult
    func prefetchRow(of key: UInt64) -> Int? {
        var i = home(key)
        var slot = table.base[i]
        var steps = 0
        while slot != 0 && !Self.slotMayHold(slot, key: key, fingerprinted: fingerprinted) && steps < 7 {
            i = probe(after: i)
            slot = table.base[i]
            steps += 1
        }
        guard slot != 0, Self.slotMayHold(slot, key: key, fingerprinted: fingerprinted) else { return nil }
        let r = Self.slotRow(slot, fingerprinted: fingerprinted)
        if r < split {
            first.withUnsafeBufferPointer { dosecal_prefetch_for_read($0.baseAddress! + r) }
        } else {
            second.withUnsafeBufferPointer { dosecal_prefetch_for_read($0.baseAddress! + (r - split)) }
        }
        return r
    }

    enum Lookup {
        case found(Int)
        case absent
        case collision
    }

    @inline(__always)
    func find(_ digest: KeyDigest) -> Lookup {
        var i = home(digest.key)
        while true {
            let slot = table.base[i]
            if slot == 0 { return .absent }
            if Self.slotMayHold(slot, key: digest.key, fingerprinted: fingerprinted) {
                let r = Self.slotRow(slot, fingerprinted: fingerprinted)
                let row = self.row(r)
                if row.key == digest.key { return row.matches(digest) ? .found(r) : .collision }
            }
            i = probe(after: i)
        }
    }
}

/// What the claim threads share: the table (each writes only its half), the rows (read only)
/// and one result slot each.
private struct ClaimShared: @unchecked Sendable {
    let table: UnsafeMutablePointer<UInt32>
    let first: UnsafeBufferPointer<ProcedureRow>
    let second: UnsafeBufferPointer<ProcedureRow>
    let partials: UnsafeMutablePointer<ProcedureIndex.Claims>
}
