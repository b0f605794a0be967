import DoseCalCSV
import DoseCalDomain

// Byte-level versions of the record sources' field rules (DoseCalCSV `RowDecoder`), for the
// common case only: anything they do not accept outright makes the row "suspicious", and a
// suspicious row is replayed through the record source itself (``RowReplay``), so every
// rejection carries exactly the record source's rule and sentence.

/// Empty or only ASCII whitespace.
@inline(__always)
func isBlank(_ bytes: UnsafeRawBufferPointer) -> Bool {
    for b in bytes where !isASCIIWhitespace(b) { return false }
    return true
}

/// Required text as the record sources accept it: not blank, valid UTF-8.
@inline(__always)
func isGoodText(_ bytes: UnsafeRawBufferPointer) -> Bool {
    var ascii = true
    var blank = true
    for b in bytes {
        if b >= 0x80 { ascii = false }
        if !isASCIIWhitespace(b) { blank = false }
    }
    if blank { return false }
    return ascii || String(validating: bytes, as: UTF8.self) != nil
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

/// The day number of a `started_at` in the two common shapes `YYYY-MM-DD` and
/// `YYYY-MM-DD[T ]HH:MM:SS` with a year in `CivilDate.acceptedYears`; `nil` for anything else
/// (other shapes are valid too, and are left to the record source).
@inline(__always)
func fastTimestampDay(_ bytes: UnsafeRawBufferPointer) -> Int? {
    let t = trimmingASCIIWhitespace(bytes)
    let n = t.count
    guard n == 10 || n == 19 else { return nil }
    @inline(__always) func digit(_ i: Int) -> Int? {
        let d = Int(t[i]) - 48
        return d >= 0 && d <= 9 ? d : nil
    }
    guard t[4] == 45, t[7] == 45,
          let y0 = digit(0), let y1 = digit(1), let y2 = digit(2), let y3 = digit(3),
          let m0 = digit(5), let m1 = digit(6), let d0 = digit(8), let d1 = digit(9) else { return nil }
    let year = y0 * 1000 + y1 * 100 + y2 * 10 + y3
    guard CivilDate.acceptedYears.contains(year),
          let date = CivilDate(year: year, month: m0 * 10 + m1, day: d0 * 10 + d1) else { return nil }
    if n == 19 {
        guard t[10] == 84 || t[10] == 32, t[13] == 58, t[16] == 58,
              let h0 = digit(11), let h1 = digit(12), let i0 = digit(14), let i1 = digit(15),
              let s0 = digit(17), let s1 = digit(18),
              h0 * 10 + h1 <= 23, i0 * 10 + i1 <= 59, s0 * 10 + s1 <= 60 else { return nil }
    }
    return date.dayNumber
}

/// A `role` value: blank, or `first`/`second`/`other` in any ASCII letter case.
@inline(__always)
func isGoodRole(_ bytes: UnsafeRawBufferPointer) -> Bool {
    let t = trimmingASCIIWhitespace(bytes)
    if t.isEmpty { return true }
    for word in ["first", "second", "other"] where word.utf8.count == t.count {
        var same = true
        for (b, w) in zip(t, word.utf8) where b != w && !(b >= 65 && b <= 90 && b + 32 == w) {
            same = false
            break
        }
        if same { return true }
    }
    return false
}

/// Decodes one row through the record source itself, for the rows the fast checks do not
/// accept outright: the outcome (a record, or a rejection with the source's rule and sentence)
/// is the record source's, with the row's real line.
struct RowReplay {
    /// The file's header record as written, and a line feed.
    let header: [UInt8]
    let name: String

    private func bytes(_ raw: UnsafeRawBufferPointer) -> [UInt8] {
        var out = header
        out.append(contentsOf: raw)
        out.append(UInt8(ascii: "\n"))
        return out
    }

    private func relocated<R>(_ outcome: RowOutcome<R>?, line: Int) -> RowOutcome<R>? {
        guard case var .rejected(r)? = outcome else { return outcome }
        r.location.line = line
        return .rejected(r)
    }

    func procedure(_ raw: UnsafeRawBufferPointer, line: Int) throws(CSVError) -> RowOutcome<Procedure>? {
        var source = try ProcedureCSVSource(reader: CSVReader(bytes: bytes(raw), name: name))
        return relocated(try source.next(), line: line)
    }

    func exposure(_ raw: UnsafeRawBufferPointer, line: Int) throws(CSVError) -> RowOutcome<Exposure>? {
        var source = try ExposureCSVSource(reader: CSVReader(bytes: bytes(raw), name: name))
        return relocated(try source.next(), line: line)
    }
}
