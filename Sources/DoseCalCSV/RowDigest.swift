/// A 128-bit digest of a row's key: MurmurHash3 x64-128 (Austin Appleby, public domain) of
/// each key field, combined by hashing the fields' digests.
///
/// Duplicate detection keeps 88 bits or so of this digest per distinct key instead of the key
/// strings (see ``DuplicateTracker``). MurmurHash3 is not cryptographic, which does not matter
/// for content the importing physicist provides.
package struct RowDigest: Hashable {
    package var low: UInt64
    package var high: UInt64
}

/// The key digest of fields `indices` of `record`: field boundaries count, so ("ab", "c") and
/// ("a", "bc") differ.
func keyDigest(of record: CSVRecord, fields indices: [Int]) -> RowDigest {
    if indices.count == 1 {
        return record.withBytes(at: indices[0]) { murmur3x64_128($0, seed: 0x5EED_D05E) }
    }
    var combined = RowDigest(low: UInt64(indices.count), high: 0x0D05_ECA1)
    for i in indices {
        let field = record.withBytes(at: i) { murmur3x64_128($0, seed: 0x5EED_D05E) }
        var pair = (combined.low, combined.high, field.low, field.high)
        combined = withUnsafeBytes(of: &pair) { murmur3x64_128($0, seed: 0xC0DE) }
    }
    return combined
}

/// A 64-bit digest of the record's bytes from its first field to its last, to tell an identical
/// duplicate row from a different row with the same key. Used only for wording.
func contentDigest(of record: CSVRecord) -> UInt64 {
    record.withRecordBytes { murmur3x64_128($0, seed: 0xC047_E27).low }
}

/// MurmurHash3_x64_128 (also used by the streaming engine, so both word "identical duplicate"
/// the same way).
package func murmur3x64_128(_ data: UnsafeRawBufferPointer, seed: UInt64) -> RowDigest {
    let c1: UInt64 = 0x87c3_7b91_1142_53d5
    let c2: UInt64 = 0x4cf5_ad43_2745_937f
    var h1 = seed
    var h2 = seed
    let length = data.count
    let blocks = length / 16

    @inline(__always) func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }
    @inline(__always) func fmix(_ k: UInt64) -> UInt64 {
        var k = k
        k ^= k >> 33
        k &*= 0xff51_afd7_ed55_8ccd
        k ^= k >> 33
        k &*= 0xc4ce_b9fe_1a85_ec53
        k ^= k >> 33
        return k
    }

    for b in 0..<blocks {
        var k1 = UInt64(littleEndian: data.loadUnaligned(fromByteOffset: b * 16, as: UInt64.self))
        var k2 = UInt64(littleEndian: data.loadUnaligned(fromByteOffset: b * 16 + 8, as: UInt64.self))
        k1 &*= c1; k1 = rotl(k1, 31); k1 &*= c2; h1 ^= k1
        h1 = rotl(h1, 27); h1 &+= h2; h1 = h1 &* 5 &+ 0x52dc_e729
        k2 &*= c2; k2 = rotl(k2, 33); k2 &*= c1; h2 ^= k2
        h2 = rotl(h2, 31); h2 &+= h1; h2 = h2 &* 5 &+ 0x3849_5ab5
    }

    let tail = blocks * 16
    var k1: UInt64 = 0
    var k2: UInt64 = 0
    let rest = length & 15
    if rest > 8 {
        for j in stride(from: rest - 1, through: 8, by: -1) {
            k2 ^= UInt64(data[tail + j]) << (UInt64(j - 8) * 8)
        }
        k2 &*= c2; k2 = rotl(k2, 33); k2 &*= c1; h2 ^= k2
    }
    if rest > 0 {
        for j in stride(from: min(rest, 8) - 1, through: 0, by: -1) {
            k1 ^= UInt64(data[tail + j]) << (UInt64(j) * 8)
        }
        k1 &*= c1; k1 = rotl(k1, 31); k1 &*= c2; h1 ^= k1
    }

    h1 ^= UInt64(length)
    h2 ^= UInt64(length)
    h1 &+= h2
    h2 &+= h1
    h1 = fmix(h1)
    h2 = fmix(h2)
    h1 &+= h2
    h2 &+= h1
    return RowDigest(low: h1, high: h2)
}

/// Remembers the first row of each key in one import, to reject later rows with the same key.
///
/// The first row *carrying* a key claims it, whether or not that row was itself valid: when two
/// rows share a key, which one is right cannot be known, so later ones are rejected and the
/// message points at the first. A later row whose fields are byte-identical to the first's is
/// still rejected, as an "identical duplicate".
///
/// Storage is an open-addressing table (linear probing, at most 3/4 full) of 16-byte slots
/// holding 80 bits of the key's digest, the first line, and 16 bits of the row's content digest.
/// Two different keys are confused only when those 80 bits match, with probability about
/// n²/2⁸¹ (≈ 4·10⁻¹¹ for n = 10⁷ rows). An identical row is told from a different one by 16
/// bits, which only affects the wording of the rejection (a different row is called identical
/// with probability 1/65536).
///
/// - Complexity: O(1) expected per row; memory 21–43 bytes per distinct key (at most 2²⁴ slots,
///   270 MB, for 10 million keys), the one part of reading that grows with the file.
struct DuplicateTracker {
    struct First {
        /// The line of the first row, or `nil` beyond 2³²−1 lines.
        var line: Int?
        var content: UInt16
    }

    private struct Slot {
        var key: UInt64
        var keyExtra: UInt16
        var content: UInt16
        /// 0 = empty (lines start at 1).
        var line: UInt32
    }

    private var slots = [Slot](repeating: Slot(key: 0, keyExtra: 0, content: 0, line: 0), count: 1024)
    private var count = 0

    static func content16(_ content: UInt64) -> UInt16 {
        UInt16(truncatingIfNeeded: content ^ (content >> 16) ^ (content >> 32) ^ (content >> 48))
    }

    /// Records the row, or returns the first row with the same key.
    mutating func claim(key: RowDigest, line: Int, content: UInt64) -> First? {
        if (count + 1) * 4 > slots.count * 3 { grow() }
        let extra = UInt16(truncatingIfNeeded: key.high)
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: key.low >> 20) & mask
        while true {
            let slot = slots[i]
            if slot.line == 0 {
                slots[i] = Slot(key: key.low, keyExtra: extra, content: Self.content16(content), line: UInt32(clamping: line))
                count += 1
                return nil
            }
            if slot.key == key.low && slot.keyExtra == extra {
                return First(line: slot.line == .max ? nil : Int(slot.line), content: slot.content)
            }
            i = (i + 1) & mask
        }
    }

    /// Whether `content` is the content digest of `first`.
    static func sameContent(_ first: First, _ content: UInt64) -> Bool {
        first.content == content16(content)
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(key: 0, keyExtra: 0, content: 0, line: 0), count: old.count * 2)
        let mask = slots.count - 1
        for slot in old where slot.line != 0 {
            var i = Int(truncatingIfNeeded: slot.key >> 20) & mask
            while slots[i].line != 0 { i = (i + 1) & mask }
            slots[i] = slot
        }
    }
}
