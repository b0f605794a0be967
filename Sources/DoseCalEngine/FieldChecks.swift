import DoseCalCSV
import DoseCalDomain

// Byte-level versions of the record sources' field rules (DoseCalCSV `RowDecoder`), for the
// common case only: anything they do not accept outright makes the row "suspicious", and a
// suspicious row is replayed through the record source itself (`outcome(ofRecord:line:)`), so
// every rejection carries exactly the record source's rule and sentence.

/// Empty or only ASCII whitespace.
@inline(__always)
func isBlank(_ bytes: UnsafeRawBufferPointer) -> Bool {
    for b in bytes where !isASCIIWhitespace(b) { return false }
    return true
}

/// Required text as the record sources accept it: not blank, valid UTF-8. `ascii`: the bytes
/// are known to be ASCII (``RecordScanner/recordIsASCII``), so only blankness is checked.
@inline(__always)
func isGoodText(_ bytes: UnsafeRawBufferPointer, ascii: Bool = false) -> Bool {
    let n = bytes.count
    guard n > 0, !(isASCIIWhitespace(bytes[0]) && isBlank(bytes)) else { return false }
    if ascii { return true }
    // ASCII (no byte with the high bit), eight bytes at a time.
    var any: UInt64 = 0
    var i = 0
    while i + 8 <= n {
        any |= bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        i += 8
    }
    while i < n {
        any |= UInt64(bytes[i])
        i += 1
    }
    return any & 0x8080_8080_8080_8080 == 0 || isValidUTF8(bytes)
}

/// Whether `bytes` are well-formed UTF-8 (Unicode's table 3-7: no overlong forms, surrogates,
/// or scalars past U+10FFFF), as `String(validating:as:)` decides, without its generic
/// machinery (a metadata lookup a call, a few percent of a pass over non-ASCII names).
@inline(never)
func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
    let n = bytes.count
    var i = 0
    @inline(__always) func continuation(_ k: Int) -> Bool { i + k < n && bytes[i + k] & 0xC0 == 0x80 }
    while i < n {
        let b = bytes[i]
        if b < 0x80 {
            i += 1
            continue
        }
        switch b {
        case 0xC2...0xDF:
            guard continuation(1) else { return false }
            i += 2
        case 0xE0...0xEF:
            guard continuation(1), continuation(2) else { return false }
            let second = bytes[i + 1]
            // E0 needs A0...BF (no overlong), ED 80...9F (no surrogate).
            if b == 0xE0 && second < 0xA0 || b == 0xED && second > 0x9F { return false }
            i += 3
        case 0xF0...0xF4:
            guard continuation(1), continuation(2), continuation(3) else { return false }
            let second = bytes[i + 1]
            // F0 needs 90...BF (no overlong), F4 80...8F (nothing past U+10FFFF).
            if b == 0xF0 && second < 0x90 || b == 0xF4 && second > 0x8F { return false }
            i += 4
        default:
            // A continuation byte without a lead, C0/C1 (overlong) or F5...FF.
            return false
        }
    }
    return true
}

/// Whether an optional number field whose value is not used is acceptable: blank or a plain
/// decimal (``plainDecimal(_:padded:)``: every such text is a finite non-negative number) at
/// once; anything else as ``numberField(_:)`` decides.
///
/// The common case (blank, or a plain decimal of up to eight bytes read as one word) is
/// inlined into the row loops; the rest is one call.
@inline(__always)
func isAcceptableNumber(_ bytes: UnsafeRawBufferPointer, padded: Bool = false) -> Bool {
    let n = bytes.count
    if n == 0 || (padded && n <= 8 && isPlainDecimalWord(bytes.baseAddress!, count: n)) { return true }
    return isAcceptableUncommonNumber(bytes, padded: padded)
}

/// ``isAcceptableNumber(_:padded:)`` for a field that is not blank and not a plain decimal
/// of up to eight bytes read as a word.
@inline(never)
func isAcceptableUncommonNumber(_ bytes: UnsafeRawBufferPointer, padded: Bool) -> Bool {
    if !(padded && bytes.count <= 8), plainDecimal(bytes, padded: padded) != nil { return true }
    if case .bad = numberField(bytes) { return false }
    return true
}

/// A number field: absent (blank), a usable value, or something the record source rejects.
enum NumberField {
    case absent
    case value(Double)
    case bad
}

/// A non-negative finite number (`-0` read as `0`), as `RowDecoder.optionalNumber` accepts it.
@inline(__always)
func numberField(_ bytes: UnsafeRawBufferPointer) -> NumberField {
    let t = trimmingASCIIWhitespace(bytes)
    if t.isEmpty { return .absent }
    guard let v = parseDouble(t), v.isFinite, v >= 0 else { return .bad }
    return .value(v + 0.0)
}

/// The day number of a `started_at`: `YYYY-MM-DD` with a year in `CivilDate.acceptedYears`,
/// optionally followed by `T` or a space, `HH:MM`, optional `:SS` with an optional decimal
/// fraction, and an optional `Z` or `±HH[:]MM` offset: the grammar of `parseTimestampDate`,
/// byte for byte. `nil` for anything else (left to the record source).
///
/// `padded`: eight bytes after the field may be read (the record scanner's slack), so that the
/// common `YYYY-MM-DDTHH:MM:SS` is checked a word at a time (``secondsTimestampDay(_:)``).
@inline(__always)
func fastTimestampDay(_ bytes: UnsafeRawBufferPointer, padded: Bool = false) -> Int? {
    if padded && bytes.count == 19, let day = secondsTimestampDay(bytes.baseAddress!) { return day }
    let t = trimmingASCIIWhitespace(bytes)
    let n = t.count
    guard n >= 10 else { return nil }
    @inline(__always) func digit(_ i: Int) -> Int? {
        let d = Int(t[i]) - 48
        return d >= 0 && d <= 9 ? d : nil
    }
    guard t[4] == 45, t[7] == 45,
          let y0 = digit(0), let y1 = digit(1), let y2 = digit(2), let y3 = digit(3),
          let m0 = digit(5), let m1 = digit(6), let d0 = digit(8), let d1 = digit(9) else { return nil }
    let year = y0 * 1000 + y1 * 100 + y2 * 10 + y3
    guard CivilDate.acceptedYears.contains(year),
          let dayNumber = civilDayNumber(year: year, month: m0 * 10 + m1, day: d0 * 10 + d1) else { return nil }
    if n == 10 { return dayNumber }
    guard t[10] == 84 || t[10] == 32 else { return nil }
    var i = 11
    @inline(__always) func two(_ maximum: Int) -> Bool {
        guard i + 2 <= n, let a = digit(i), let b = digit(i + 1), a * 10 + b <= maximum else { return false }
        i += 2
        return true
    }
    @inline(__always) func byte(_ c: UInt8) -> Bool {
        guard i < n, t[i] == c else { return false }
        i += 1
        return true
    }
    guard two(23), byte(58), two(59) else { return nil }
    if byte(58) {
        guard two(60) else { return nil }
        if byte(46) {
            let start = i
            while i < n, digit(i) != nil { i += 1 }
            guard i > start else { return nil }
        }
    }
    if i == n { return dayNumber }
    if t[i] == 90 { return i + 1 == n ? dayNumber : nil }
    guard t[i] == 43 || t[i] == 45 else { return nil }
    i += 1
    guard two(23) else { return nil }
    _ = byte(58)
    guard two(59), i == n else { return nil }
    return dayNumber
}

/// The day number of the 19 bytes at `base` when they are exactly `YYYY-MM-DDTHH:MM:SS` (or a
/// space for the `T`) with a valid date of `CivilDate.acceptedYears` and time, else `nil` (the
/// byte grammar of ``fastTimestampDay(_:padded:)`` decides). Read as three little-endian words
/// (five bytes past the field are read and ignored): separators compared under masks, digits
/// tested eight at a time.
@inline(__always)
func secondsTimestampDay(_ base: UnsafeRawPointer) -> Int? {
    let zeros: UInt64 = 0x3030_3030_3030_3030
    // Each byte minus '0' (digits 0...9): "YYYY-MM-", "DDTHH:MM", ":SS".
    let x0 = UInt64(littleEndian: base.loadUnaligned(as: UInt64.self)) ^ zeros
    let x1 = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) ^ zeros
    let x2 = (UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 16, as: UInt64.self)) ^ zeros) & 0xFF_FFFF
    // '-' ^ '0' = 0x1D, ':' ^ '0' = 0x0A, 'T' ^ '0' = 0x64, ' ' ^ '0' = 0x10.
    let t = x1 & 0xFF_0000
    guard x0 & 0xFF00_00FF_0000_0000 == 0x1D00_001D_0000_0000, x1 & 0xFF00_0000_0000 == 0x0A00_0000_0000,
          t == 0x64_0000 || t == 0x10_0000, x2 & 0xFF == 0x0A else { return nil }
    // High bit of each digit byte that is not 0...9 (no carry crosses a byte).
    @inline(__always) func nonDigits(_ x: UInt64, _ digits: UInt64) -> UInt64 {
        let y = x & digits
        return (((y & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7676_7676_7676_7676) | y) & 0x8080_8080_8080_8080 & digits
    }
    guard nonDigits(x0, 0x00FF_FF00_FFFF_FFFF) | nonDigits(x1, 0xFFFF_00FF_FF00_FFFF) | nonDigits(x2, 0xFF_FF00) == 0 else { return nil }
    @inline(__always) func byte(_ x: UInt64, _ k: Int) -> Int { Int(truncatingIfNeeded: x >> UInt64(8 * k)) & 0xFF }
    let year = byte(x0, 0) * 1000 + byte(x0, 1) * 100 + byte(x0, 2) * 10 + byte(x0, 3)
    let month = byte(x0, 5) * 10 + byte(x0, 6), day = byte(x1, 0) * 10 + byte(x1, 1)
    let hour = byte(x1, 3) * 10 + byte(x1, 4), minute = byte(x1, 6) * 10 + byte(x1, 7), second = byte(x2, 1) * 10 + byte(x2, 2)
    guard hour <= 23, minute <= 59, second <= 60, CivilDate.acceptedYears.contains(year) else { return nil }
    return civilDayNumber(year: year, month: month, day: day)
}

/// `CivilDate(year:month:day:)?.dayNumber` for a year of `CivilDate.acceptedYears` (positive,
/// so the 400-year eras need no floor), computed here so that the per-row check makes no call.
@inline(__always)
func civilDayNumber(year: Int, month: Int, day: Int) -> Int? {
    guard month >= 1, month <= 12, day >= 1 else { return nil }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    let length = month == 2 ? (leap ? 29 : 28) : (month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31)
    guard day <= length else { return nil }
    // Howard Hinnant's days_from_civil, as CivilDate.dayNumber.
    let y = month <= 2 ? year - 1 : year
    let era = y / 400
    let yoe = y - era * 400
    let mp = month > 2 ? month - 3 : month + 9
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
}

/// A `role` value: blank, or `first`/`second`/`other` in any ASCII letter case.
@inline(__always)
func isGoodRole(_ bytes: UnsafeRawBufferPointer) -> Bool {
    let t = trimmingASCIIWhitespace(bytes)
    let n = t.count
    if n == 0 { return true }
    guard n == 5 || n == 6 else { return false }
    // The word's bytes little-endian in one integer (two overlapping 4-byte loads), then
    // `| 0x20` per byte: it maps a byte onto a lowercase letter only from that letter or its
    // capital, so the comparison is exact.
    let low = UInt64(t.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
    let high = UInt64(t.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)) << UInt64(8 * (n - 4))
    let word = (low | high) | (n == 5 ? 0x20_2020_2020 : 0x2020_2020_2020)
    return word == roleFirst || word == roleSecond || word == roleOther
}

private let roleFirst: UInt64 = 0x74_73_72_69_66       // "first"
private let roleSecond: UInt64 = 0x64_6E_6F_63_65_73   // "second"
private let roleOther: UInt64 = 0x72_65_68_74_6F       // "other"
