/// SHA-256 (FIPS 180-4), for content hashes of records. Small and dependency-free; not used
/// for anything secret.
public struct SHA256: Sendable {
    private var state: [UInt32] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    ]
    private var buffer: [UInt8] = []
    private var length: UInt64 = 0

    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    private var schedule = [UInt32](repeating: 0, count: 64)

    public init() {}

    public mutating func update(_ bytes: some Sequence<UInt8>) {
        let array = Array(bytes)
        array.withUnsafeBytes { update($0) }
    }

    public mutating func update(_ text: String) {
        var t = text
        t.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    /// Feeds raw bytes; whole 64-byte blocks are compressed straight from the caller's memory.
    /// - Complexity: O(n).
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var i = 0
        let n = bytes.count
        length &+= UInt64(n)
        if !buffer.isEmpty {
            while i < n, buffer.count < 64 { buffer.append(bytes[i]); i += 1 }
            if buffer.count == 64 {
                let block = buffer
                block.withUnsafeBytes { compress($0, at: 0) }
                buffer.removeAll(keepingCapacity: true)
            }
        }
        while n - i >= 64 {
            compress(bytes, at: i)
            i += 64
        }
        while i < n { buffer.append(bytes[i]); i += 1 }
    }

    /// The 32-byte digest; the hasher is consumed.
    public consuming func finalize() -> [UInt8] {
        let bitLength = length &* 8
        var tail = buffer
        tail.append(0x80)
        while tail.count % 64 != 56 { tail.append(0) }
        for i in (0..<8).reversed() { tail.append(UInt8(truncatingIfNeeded: bitLength >> (UInt64(i) * 8))) }
        tail.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count { compress(raw, at: offset); offset += 64 }
        }
        var out: [UInt8] = []
        for word in state { for i in (0..<4).reversed() { out.append(UInt8(truncatingIfNeeded: word >> (UInt32(i) * 8))) } }
        return out
    }

    /// Lower-case hex of the digest of `text`.
    public static func hex(_ text: String) -> String {
        var h = SHA256()
        h.update(text)
        return hexString(h.finalize())
    }

    public static func hexString(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        var s = ""
        for b in bytes { s.append(digits[Int(b >> 4)]); s.append(digits[Int(b & 15)]) }
        return s
    }

    private mutating func compress(_ block: UnsafeRawBufferPointer, at offset: Int) {
        @inline(__always) func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
        schedule.withUnsafeMutableBufferPointer { w in
            for i in 0..<16 {
                let o = offset + 4 * i
                w[i] = UInt32(block[o]) << 24 | UInt32(block[o + 1]) << 16 | UInt32(block[o + 2]) << 8 | UInt32(block[o + 3])
            }
            for i in 16..<64 {
                let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
                let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
                w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
            }
            var a = state[0], b = state[1], c = state[2], d = state[3]
            var e = state[4], f = state[5], g = state[6], h = state[7]
            SHA256.k.withUnsafeBufferPointer { k in
                for i in 0..<64 {
                    let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                    let ch = (e & f) ^ (~e & g)
                    let t1 = h &+ s1 &+ ch &+ k[i] &+ w[i]
                    let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                    let maj = (a & b) ^ (a & c) ^ (b & c)
                    let t2 = s0 &+ maj
                    h = g; g = f; f = e; e = d &+ t1
                    d = c; c = b; b = a; a = t1 &+ t2
                }
            }
            state[0] &+= a; state[1] &+= b; state[2] &+= c; state[3] &+= d
            state[4] &+= e; state[5] &+= f; state[6] &+= g; state[7] &+= h
        }
    }
}

/// An order-independent content hash of a multiset of records: each record's canonical text is
/// hashed with SHA-256, the digests are added as 256-bit integers modulo 2²⁵⁶, and the sum and
/// count are hashed once more. The same records give the same hash whatever order they were
/// imported or read in; changing any field of any record changes it.
public struct RecordHasher: Sendable {
    /// The method name recorded with the hash.
    public static let method = "sha256-multiset-v1"
    private var lanes: [UInt64] = [0, 0, 0, 0]
    public private(set) var count = 0

    public init() {}

    public mutating func add(_ canonical: String) {
        var h = SHA256()
        h.update(canonical)
        let d = h.finalize()
        var carry: UInt64 = 0
        for lane in (0..<4).reversed() {
            var word: UInt64 = 0
            for i in 0..<8 { word = word << 8 | UInt64(d[lane * 8 + i]) }
            let (s1, o1) = lanes[lane].addingReportingOverflow(word)
            let (s2, o2) = s1.addingReportingOverflow(carry)
            lanes[lane] = s2
            carry = (o1 ? 1 : 0) + (o2 ? 1 : 0)
        }
        count += 1
    }

    public mutating func add(_ procedure: Procedure) { add(RecordHasher.canonical(procedure)) }
    public mutating func add(_ exposure: Exposure) { add(RecordHasher.canonical(exposure)) }

    /// `sha256-multiset-v1:<hex>`.
    public func finalize() -> String {
        var h = SHA256()
        h.update("\(RecordHasher.method)|\(count)|")
        for lane in lanes { h.update(String(lane, radix: 16)); h.update("|") }
        return "\(RecordHasher.method):" + SHA256.hexString(h.finalize())
    }

    static func num(_ x: Double?) -> String { x.map { "\($0)" } ?? "" }

    /// The canonical text of a procedure: every field, unit-named, unit-separator-joined.
    public static func canonical(_ p: Procedure) -> String {
        ["P", p.studyUID, p.startedAt, p.room, p.specialty, p.procedureType, num(p.kapGyCm2), num(p.kapFluoroGyCm2),
         num(p.kapAcqGyCm2), num(p.fluoroTimeS), num(p.kaRPMilliGy), num(p.refDosimeterMicroSv)].joined(separator: "\u{1F}")
    }

    public static func canonical(_ e: Exposure) -> String {
        ["E", e.studyUID, e.operatorID, e.dosimeterID, e.role?.rawValue ?? "", num(e.hp10MicroSv),
         num(e.hp10FluoroMicroSv), num(e.hp10AcqMicroSv)].joined(separator: "\u{1F}")
    }
}
