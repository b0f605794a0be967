/// Parses a decimal number from UTF-8 bytes, exactly as Swift's `Double(String)` would, without
/// allocating in the common case.
///
/// Accepted grammar (ASCII only, nothing around it):
///
///     [+|-] (digits [. [digits]] | . digits) [(e|E) [+|-] digits]
///
/// so `1`, `-0.5`, `.5`, `5.`, `1e-3`, `+2.5E+04` are accepted and `""`, `" 1"` (spaces are the
/// caller's business: ``CSVRecord/double(at:)`` trims them), `1,5`, `0x10`, `nan`, `inf`,
/// `1_000`, `1e` are rejected.
///
/// For every accepted input the result is bit for bit the `Double` that `Double(String)` returns,
/// rounded to nearest, ties to even; that includes `-0.0` for `-0`, `+infinity` for `1e999` and
/// `0` for `1e-999` (callers reject non-finite values). Most inputs take Clinger's fast path
/// (Clinger 1990, "How to read floating point numbers accurately", PLDI): when the decimal
/// significand `w` has at most 19 digits and `w ≤ 2^53`, and the power of ten `q` satisfies
/// `|q| ≤ 22`, both `w` and `10^|q|` are exact doubles and one IEEE multiplication or division
/// rounds correctly. A significand with a few trailing powers of ten to spare is also moved onto
/// the fast path (`w · 10^(q−22)` exact, then `× 10^22`). Everything else falls back to
/// `Double(String)` (the C library's `strtod`), which allocates a `String`.
///
/// - Parameter bytes: the text, UTF-8.
/// - Returns: the value, or `nil` when `bytes` is not a decimal number in the grammar above.
/// - Complexity: O(n), no allocation on the fast path.
public func parseDouble(_ bytes: UnsafeRawBufferPointer) -> Double? {
    let n = bytes.count
    guard n > 0 else { return nil }
    var i = 0
    var negative = false
    let first = bytes[0]
    if first == UInt8(ascii: "-") {
        negative = true
        i = 1
    } else if first == UInt8(ascii: "+") {
        i = 1
    }

    // Digits accumulate without any check: leading zeros add nothing, and with at most 19
    // significant digits the significand stays below 10^19 < 2^64; longer inputs wrap around
    // and take the slow path.
    var significand: UInt64 = 0
    let integerStart = i
    while i < n {
        let d = bytes[i] &- UInt8(ascii: "0")
        guard d < 10 else { break }
        significand = significand &* 10 &+ UInt64(d)
        i += 1
    }
    var digits = i - integerStart
    var fractionDigits = 0
    if i < n && bytes[i] == UInt8(ascii: ".") {
        i += 1
        let fractionStart = i
        while i < n {
            let d = bytes[i] &- UInt8(ascii: "0")
            guard d < 10 else { break }
            significand = significand &* 10 &+ UInt64(d)
            i += 1
        }
        fractionDigits = i - fractionStart
        digits += fractionDigits
    }
    guard digits > 0 else { return nil }
    /// Power of ten to apply to `significand`.
    var exponent = -fractionDigits

    if i < n && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
        i += 1
        var exponentNegative = false
        if i < n && (bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+")) {
            exponentNegative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        var written = 0
        var sawExponentDigit = false
        while i < n {
            let d = bytes[i] &- UInt8(ascii: "0")
            guard d < 10 else { break }
            sawExponentDigit = true
            // Beyond any double's range either way; clamp so the sum cannot overflow.
            if written < 1_000_000 { written = written * 10 + Int(d) }
            i += 1
        }
        guard sawExponentDigit else { return nil }
        exponent += exponentNegative ? -written : written
    }
    guard i == n else { return nil }

    if digits > 19 {
        var j = integerStart
        while j < n, bytes[j] == UInt8(ascii: "0") || bytes[j] == UInt8(ascii: ".") {
            if bytes[j] == UInt8(ascii: "0") { digits -= 1 }
            j += 1
        }
    }
    if digits <= 19 {
        if significand == 0 { return negative ? -0.0 : 0.0 }
        if significand <= 1 << 53 {
            if exponent >= 0 && exponent <= 22 {
                let value = Double(significand) * exactPowerOfTen(exponent)
                return negative ? -value : value
            }
            if exponent < 0 && exponent >= -22 {
                let value = Double(significand) / exactPowerOfTen(-exponent)
                return negative ? -value : value
            }
            if exponent > 22 && exponent <= 22 + 15 {
                // w · 10^(q−22) may still be an exact integer ≤ 2^53.
                let (scaled, overflow) = significand.multipliedReportingOverflow(by: exactIntegerPowerOfTen(exponent - 22))
                if !overflow && scaled <= 1 << 53 {
                    let value = Double(scaled) * 1e22
                    return negative ? -value : value
                }
            }
        }
    }
    return Double(String(decoding: bytes, as: UTF8.self))
}

/// Parses a decimal number from bytes; see ``parseDouble(_:)-(UnsafeRawBufferPointer)``.
public func parseDouble(_ bytes: some Collection<UInt8>) -> Double? {
    if let result = bytes.withContiguousStorageIfAvailable({ parseDouble(UnsafeRawBufferPointer($0)) }) {
        return result
    }
    return Array(bytes).withUnsafeBytes { parseDouble($0) }
}

/// Parses a decimal number from text; see ``parseDouble(_:)-(UnsafeRawBufferPointer)``.
public func parseDouble(_ text: String) -> Double? {
    var text = text
    return text.withUTF8 { parseDouble(UnsafeRawBufferPointer($0)) }
}

/// 10^k for 0 ≤ k ≤ 22, every one exactly representable as a `Double`.
private let powersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]

@inline(__always)
private func exactPowerOfTen(_ k: Int) -> Double { powersOfTen[k] }

/// 10^k as an integer, 1 ≤ k ≤ 15.
@inline(__always)
private func exactIntegerPowerOfTen(_ k: Int) -> UInt64 {
    var p: UInt64 = 1
    for _ in 0..<k { p &*= 10 }
    return p
}
