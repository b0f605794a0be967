import DoseCalCSV

// Numbers of the join read straight from their digits. A plain decimal (digits with an
// optional `.` and digits, at most 19 digits, as almost every dose and KAP is written) is
// exactly significand / 10^decimals, and that quotient of two exact doubles, rounded once, is
// the correctly rounded value `parseDouble` returns too. Small ones are kept in 32 bits
// (``ValueCode``); everything else goes through `numberField`, the record sources' rule.

/// 10^k for 0 ≤ k ≤ 22, every one exact in a `Double`.
@inline(__always)
func exactPowerOfTen(_ k: Int) -> Double {
    switch k {
    case 0: 1e0
    case 1: 1e1
    case 2: 1e2
    case 3: 1e3
    case 4: 1e4
    case 5: 1e5
    case 6: 1e6
    case 7: 1e7
    case 8: 1e8
    case 9: 1e9
    case 10: 1e10
    case 11: 1e11
    case 12: 1e12
    case 13: 1e13
    case 14: 1e14
    case 15: 1e15
    case 16: 1e16
    case 17: 1e17
    case 18: 1e18
    case 19: 1e19
    case 20: 1e20
    case 21: 1e21
    default: 1e22
    }
}

/// A plain decimal field (no sign, exponent or whitespace; at least one and at most 19
/// digits): its digits as an integer and the number of digits after the point.
///
/// `padded`: eight bytes from the field's start may be read even past its end (the record
/// scanner's buffers keep that slack), so a field of up to eight bytes is read in one word,
/// without a branch per byte (``plainDecimalWord(_:count:)``).
@inline(__always)
func plainDecimal(_ bytes: UnsafeRawBufferPointer, padded: Bool = false) -> (significand: UInt64, decimals: Int)? {
    let n = bytes.count
    if padded && n >= 1 && n <= 8 { return plainDecimalWord(bytes.baseAddress!, count: n) }
    guard n > 0 && n <= 20 else { return nil }
    var significand: UInt64 = 0
    var i = 0
    while i < n {
        let d = bytes[i] &- 48
        guard d < 10 else { break }
        significand = significand &* 10 &+ UInt64(d)
        i += 1
    }
    var digits = i
    var decimals = 0
    if i < n && bytes[i] == 46 {
        i += 1
        while i < n {
            let d = bytes[i] &- 48
            guard d < 10 else { break }
            significand = significand &* 10 &+ UInt64(d)
            i += 1
            decimals += 1
        }
        digits += decimals
    }
    guard i == n, digits > 0, digits <= 19 else { return nil }
    return (significand, decimals)
}

/// The ``plainDecimal(_:padded:)`` of the `count` (1...8) bytes at `base`, read as one
/// little-endian word (the bytes after them are read and ignored): digits and at most one
/// point are found with byte-parallel arithmetic, the point is squeezed out, and the digits
/// are combined pairwise (D. Lemire's eight-digit reduction).
@inline(__always)
func plainDecimalWord(_ base: UnsafeRawPointer, count n: Int) -> (significand: UInt64, decimals: Int)? {
    let (d, nonDigit, points) = decimalWordMasks(base, count: n)
    guard nonDigit == points, points & (points &- 1) == 0 else { return nil }
    var digits = d
    var count = n
    var decimals = 0
    if points != 0 {
        guard n > 1 else { return nil }
        let at = points.trailingZeroBitCount / 8
        digits = (d & ((1 &<< UInt64(8 * at)) &- 1)) | ((d >> UInt64(8 * (at + 1))) << UInt64(8 * at))
        count = n - 1
        decimals = n - 1 - at
    }
    // Leading zeros up to eight digits (the first digit is the lowest byte), then pairs,
    // quadruples and the whole.
    var v = digits << UInt64(8 * (8 - count))
    v = v &* 10 &+ (v >> 8)
    v = (((v & 0x0000_00FF_0000_00FF) &* 0x000F_4240_0000_0064)
        &+ (((v >> 16) & 0x0000_00FF_0000_00FF) &* 0x0000_2710_0000_0001)) >> 32
    return (v, decimals)
}

/// Whether the `count` (1...8) bytes at `base` are a plain decimal (``plainDecimalWord(_:count:)``
/// is not `nil`), without combining the digits: the check of an optional number whose value is
/// not used.
@inline(__always)
func isPlainDecimalWord(_ base: UnsafeRawPointer, count n: Int) -> Bool {
    let (_, nonDigit, points) = decimalWordMasks(base, count: n)
    // Every non-digit a point, at most one point, and not a lone point.
    return nonDigit == points && points & (points &- 1) == 0 && (n > 1 || points == 0)
}

/// The `count` (1...8) bytes at `base` as one little-endian word, each byte minus '0' (digits
/// 0...9, '.' 0x1E) and the bytes after the field zeroed (`digits`), with the high bit of each
/// field byte that is not a digit (`nonDigit`; no carry crosses a byte) and of each that is
/// '.' (`points`).
@inline(__always)
func decimalWordMasks(_ base: UnsafeRawPointer, count n: Int) -> (digits: UInt64, nonDigit: UInt64, points: UInt64) {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    let keep: UInt64 = n == 8 ? ~0 : (1 &<< UInt64(8 * n)) &- 1
    let d = (UInt64(littleEndian: base.loadUnaligned(as: UInt64.self)) ^ (0x30 &* ones)) & keep
    let nonDigit = (((d & (0x7F &* ones)) &+ (0x76 &* ones)) | d) & highs & keep
    // A '.' is a zero byte of e.
    let e = d ^ (0x1E &* ones)
    let points = ~(((e & (0x7F &* ones)) &+ (0x7F &* ones)) | e) & highs & keep
    return (d, nonDigit, points)
}

/// A number field as `numberField` reads it, plain decimals without the general parser
/// (`padded` as for ``plainDecimal(_:padded:)``). A plain decimal of up to eight bytes (read
/// as one word) is decoded inline; the rest is one call.
@inline(__always)
func joinNumber(_ bytes: UnsafeRawBufferPointer, padded: Bool = false) -> NumberField {
    let n = bytes.count
    // Up to eight digits: the significand is below 10⁸, exact in a double.
    if padded && n >= 1 && n <= 8, let (m, k) = plainDecimalWord(bytes.baseAddress!, count: n) {
        return .value(Double(m) / exactPowerOfTen(k))
    }
    return joinUncommonNumber(bytes, padded: padded)
}

/// ``joinNumber(_:padded:)`` for a field that is not a plain decimal of up to eight bytes
/// read as a word.
@inline(never)
func joinUncommonNumber(_ bytes: UnsafeRawBufferPointer, padded: Bool) -> NumberField {
    if let (m, k) = plainDecimal(bytes, padded: padded), m <= 1 << 53 {
        return .value(Double(m) / exactPowerOfTen(k))
    }
    return numberField(bytes)
}

/// A KAP or reference reading in 32 bits: unknown; a plain decimal with a significand below
/// 2²⁸ and at most 7 decimals (`decimals << 28 | significand`); or the index of the value in
/// its part's list of wide values (high bit set).
enum ValueCode {
    static let unknown: UInt32 = 0xFFFF_FFFF
    static let wideFlag: UInt32 = 0x8000_0000
    /// Wide values a part can hold.
    static let wideLimit = 0x7FFF_FFFF

    /// The code of a plain decimal that fits, else `nil` (`padded` as for ``plainDecimal(_:padded:)``).
    @inline(__always)
    static func compact(_ bytes: UnsafeRawBufferPointer, padded: Bool = false) -> UInt32? {
        guard let (m, k) = plainDecimal(bytes, padded: padded), m < 1 << 28, k <= 7 else { return nil }
        return UInt32(k) << 28 | UInt32(m)
    }

    /// The value of a code; `wide` holds the values of codes with the high bit.
    @inline(__always)
    static func value(_ code: UInt32, wide: [Double]) -> Double {
        if code & wideFlag == 0 { return Double(code & 0x0FFF_FFFF) / exactPowerOfTen(Int(code >> 28)) }
        if code == unknown { return .nan }
        return wide[Int(code & ~wideFlag)]
    }
}
