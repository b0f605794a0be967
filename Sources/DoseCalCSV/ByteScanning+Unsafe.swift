// Byte-level helpers shared by the CSV reader and the streaming engine (DoseCalEngine), which
// scans the same RFC 4180 bytes: `package` and `@inlinable` so both hot loops inline them.

/// Whether `b` is ASCII whitespace: space, tab, LF, VT, FF, CR.
@inlinable @inline(__always)
package func isASCIIWhitespace(_ b: UInt8) -> Bool {
    b == 0x20 || (b >= 0x09 && b <= 0x0D)
}

/// `bytes` without leading and trailing ASCII whitespace.
@inlinable @inline(__always)
package func trimmingASCIIWhitespace(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
    var lo = 0
    var hi = bytes.count
    while lo < hi && isASCIIWhitespace(bytes[lo]) { lo += 1 }
    while hi > lo && isASCIIWhitespace(bytes[hi - 1]) { hi -= 1 }
    if lo == 0 && hi == bytes.count { return bytes }
    return UnsafeRawBufferPointer(rebasing: bytes[lo..<hi])
}

/// The position of the first `,`, LF, CR or `"` in `b[start..<end]`, or `end`.
///
/// Every one of those bytes is ≤ 44 (`,`), while digits, `.`, `-` and letters are above, so
/// eight bytes at a time are tested for "some byte < 45" with the SWAR expression
/// `(w − 0x2D…2D) & ~w & 0x80…80` (Mycroft's has-less-than; its lowest flagged byte is always
/// a true one, and bytes ≥ 0x80 are never flagged), and only flagged bytes are looked at.
@inlinable @inline(__always)
package func findCSVSpecial(_ b: UnsafePointer<UInt8>, from start: Int, end: Int) -> Int {
    let comma: UInt8 = 0x2C, lineFeed: UInt8 = 0x0A, carriageReturn: UInt8 = 0x0D, quote: UInt8 = 0x22
    var p = start
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highBits: UInt64 = 0x8080_8080_8080_8080
    let below45 = ones &* 45
    let raw = UnsafeRawPointer(b)
    while p + 8 <= end {
        let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: p, as: UInt64.self))
        let flagged = (w &- below45) & ~w & highBits
        if flagged == 0 {
            p += 8
            continue
        }
        let q = p + flagged.trailingZeroBitCount >> 3
        let c = b[q]
        if c == comma || c == lineFeed || c == carriageReturn || c == quote { return q }
        p = q + 1
    }
    while p < end {
        let c = b[p]
        if c <= comma && (c == comma || c == lineFeed || c == carriageReturn || c == quote) { return p }
        p += 1
    }
    return end
}
