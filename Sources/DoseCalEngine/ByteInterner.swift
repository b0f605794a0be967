#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Interns byte strings (specialties, procedure types, operator ids) as dense ids `0..<count`.
///
/// A table of slots (open addressing, at most one slot in four used) holds ids; per id, one
/// 16-byte record holds the string's hash, and where its bytes start in a shared byte store
/// and how many there are. A lookup reads a slot, a record and the bytes: small arrays that
/// stay in the first-level cache beside a pass's streaming reads.
///
/// - Complexity: O(length) expected per lookup; memory O(total length of distinct strings).
struct ByteInterner {
    private struct Record {
        var hash: UInt64
        var start: UInt32
        var length: UInt32
    }

    private(set) var slots = [Int32](repeating: -1, count: 64)
    private var records: [Record] = []
    private var storage: [UInt8] = []
    /// The interned strings, by id (decoded as UTF-8; callers intern only validated text).
    private(set) var strings: [String] = []

    var count: Int { strings.count }

    /// The id of `bytes`, interning it when new.
    @inline(__always)
    mutating func id(of bytes: UnsafeRawBufferPointer) -> Int {
        id(of: bytes, hash: internHash(bytes))
    }

    /// The id of `bytes`, whose ``internHash(_:)`` is `h` (from ``prefetch(_:)``), interning it
    /// when new.
    @inline(__always)
    mutating func id(of bytes: UnsafeRawBufferPointer, hash h: UInt64) -> Int {
        let (found, slot) = find(bytes, hash: h)
        return found >= 0 ? found : insert(bytes, hash: h, slot: slot)
    }

    /// The id of `bytes` when interned.
    func lookup(_ bytes: UnsafeRawBufferPointer) -> Int? {
        let found = find(bytes, hash: internHash(bytes)).id
        return found >= 0 ? found : nil
    }

    /// The id of `text`, interning it when new.
    mutating func id(of text: String) -> Int {
        var text = text
        return text.withUTF8 { id(of: UnsafeRawBufferPointer($0)) }
    }

    /// The id of `bytes` (hashed `h`), or -1 and the empty slot where it would go.
    @inline(__always)
    private func find(_ bytes: UnsafeRawBufferPointer, hash h: UInt64) -> (id: Int, slot: Int) {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = Int(slots[i])
            if s < 0 { return (-1, i) }
            let r = records[s]
            if r.hash == h && Int(r.length) == bytes.count && equals(Int(r.start), bytes) { return (s, i) }
            i = (i + 1) & mask
        }
    }

    /// Whether the stored bytes from `start` (as many as `bytes` has) are `bytes`.
    @inline(__always)
    private func equals(_ start: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let n = bytes.count
        return storage.withUnsafeBytes { all in
            let stored = all.baseAddress! + start
            @inline(__always) func word(_ at: Int) -> Bool {
                stored.loadUnaligned(fromByteOffset: at, as: UInt64.self) == bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self)
            }
            switch n {
            case 0:
                return true
            case 1..<4:
                for i in 0..<n where stored.load(fromByteOffset: i, as: UInt8.self) != bytes[i] { return false }
                return true
            case 4..<8:
                // Operator ids ("OP-0207"): two overlapping four-byte words.
                return stored.loadUnaligned(fromByteOffset: 0, as: UInt32.self) == bytes.loadUnaligned(fromByteOffset: 0, as: UInt32.self)
                    && stored.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self) == bytes.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
            case 8...16:
                // Two overlapping eight-byte words cover the whole string.
                return word(0) && word(n - 8)
            case 17...32:
                // Procedure types ("coronary angiography"): four overlapping words.
                return word(0) && word(8) && word(n - 16) && word(n - 8)
            default:
                return memcmp(stored, bytes.baseAddress!, n) == 0
            }
        }
    }

    private mutating func insert(_ bytes: UnsafeRawBufferPointer, hash h: UInt64, slot: Int) -> Int {
        let id = strings.count
        slots[slot] = Int32(id)
        records.append(Record(hash: h, start: UInt32(storage.count), length: UInt32(bytes.count)))
        storage.append(contentsOf: bytes)
        strings.append(String(decoding: bytes, as: UTF8.self))
        // At most one slot in four used: probes rarely go past their first slot.
        if strings.count * 4 > slots.count { rehash() }
        return id
    }

    private mutating func rehash() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (id, r) in records.enumerated() {
            var i = Int(truncatingIfNeeded: r.hash) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(id)
        }
    }
}
