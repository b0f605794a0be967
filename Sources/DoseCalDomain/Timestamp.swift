/// Validates an ISO 8601 timestamp as recorded in `started_at` and returns its date part.
///
/// Accepted: `YYYY-MM-DD`, optionally followed by `T` or a space and `HH:MM`, `HH:MM:SS` or
/// `HH:MM:SS.fff…`, optionally followed by `Z` or `±HH:MM`/`±HHMM`. The date part is taken as
/// written (no zone conversion): SPEC §9 defines periods on the date part as recorded.
/// - Returns: the date, or `nil` when the text is not such a timestamp or the day does not exist.
public func parseTimestampDate(_ text: some StringProtocol) -> CivilDate? {
    let u = Array(text.utf8)
    guard u.count >= 10, let date = CivilDate(iso: String(decoding: u[0..<10], as: UTF8.self)) else { return nil }
    if u.count == 10 { return date }
    guard u[10] == UInt8(ascii: "T") || u[10] == UInt8(ascii: " ") else { return nil }
    var i = 11
    func two(_ max: Int) -> Bool {
        guard i + 2 <= u.count, let v = CivilDate.digits(u[i..<i + 2]), v <= max else { return false }
        i += 2
        return true
    }
    func colon() -> Bool {
        guard i < u.count, u[i] == UInt8(ascii: ":") else { return false }
        i += 1
        return true
    }
    guard two(23), colon(), two(59) else { return nil }
    if i < u.count, u[i] == UInt8(ascii: ":") {
        i += 1
        guard two(60) else { return nil }
        if i < u.count, u[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < u.count, u[i] >= 48, u[i] <= 57 { i += 1 }
            guard i > start else { return nil }
        }
    }
    if i == u.count { return date }
    if u[i] == UInt8(ascii: "Z") { return i + 1 == u.count ? date : nil }
    guard u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") else { return nil }
    i += 1
    guard two(23) else { return nil }
    if i < u.count, u[i] == UInt8(ascii: ":") { i += 1 }
    guard two(59), i == u.count else { return nil }
    return date
}
