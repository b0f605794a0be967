import DoseCalDomain

/// Conversion of DICOM DA, TM and DT values (PS3.5 §6.2) to ISO 8601 text.
enum DICOMDateTime {
    /// `YYYYMMDD` (or the ACR-NEMA `YYYY.MM.DD`) → `YYYY-MM-DD`, if the day exists.
    static func isoDate(_ da: String) -> String? {
        let digits = Array(da.trimmingSpaces().utf8.filter { $0 != UInt8(ascii: ".") })
        guard digits.count == 8, let y = number(digits[0..<4]), let m = number(digits[4..<6]),
              let d = number(digits[6..<8]), CivilDate(year: y, month: m, day: d) != nil else { return nil }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    /// `HH`, `HHMM`, `HHMMSS`, `HHMMSS.FFFFFF` (or `HH:MM:SS`) → `HH:MM:SS`, fractions dropped.
    static func isoTime(_ tm: String) -> String? {
        let t = tm.trimmingSpaces()
        let main = t.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let digits = Array(main.utf8.filter { $0 != UInt8(ascii: ":") })
        guard [2, 4, 6].contains(digits.count), let h = number(digits[0..<2]), h <= 23 else { return nil }
        var m = 0, s = 0
        if digits.count >= 4 {
            guard let v = number(digits[2..<4]), v <= 59 else { return nil }
            m = v
        }
        if digits.count == 6 {
            guard let v = number(digits[4..<6]), v <= 60 else { return nil }
            s = v
        }
        if t.utf8.count > main.utf8.count {
            let fraction = t.utf8.dropFirst(main.utf8.count + 1)
            guard fraction.count <= 6, fraction.allSatisfy({ (48...57).contains($0) }) else { return nil }
        }
        return "\(pad(h, 2)):\(pad(m, 2)):\(pad(s, 2))"
    }

    /// `YYYYMMDD[HH[MM[SS[.F]]]][&ZZXX]` → `YYYY-MM-DDTHH:MM:SS` (or `YYYY-MM-DD` without a
    /// time). The UTC offset is dropped: the time is kept as recorded, as for StudyTime.
    static func isoDateTime(_ dt: String) -> String? {
        var t = dt.trimmingSpaces()
        if let sign = t.utf8.firstIndex(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }) {
            t = String(t[..<sign])
        }
        let u = Array(t.utf8)
        guard u.count >= 8, let date = isoDate(String(decoding: u[0..<8], as: UTF8.self)) else { return nil }
        if u.count == 8 { return date }
        guard let time = isoTime(String(decoding: u[8...], as: UTF8.self)) else { return nil }
        return "\(date)T\(time)"
    }

    static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var v = 0
        for b in digits {
            guard (48...57).contains(b) else { return nil }
            v = v * 10 + Int(b - 48)
        }
        return v
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
