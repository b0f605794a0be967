/// The character repertoire of a data set's text values: Specific Character Set (0008,0005),
/// PS3.3 §C.12.1.1.2 and PS3.5 §6.1.
///
/// Decoded: the default repertoire (ASCII; stray bytes above 0x7F read as Latin-1, as pydicom
/// does), `ISO_IR 100` / `ISO 2022 IR 100` (Latin-1), `ISO_IR 192` (UTF-8; invalid sequences become
/// U+FFFD), and multi-valued ISO 2022 values with escape sequences, where ASCII, JIS X 0201
/// Romaji and Latin-1 segments are decoded and segments in other code elements (for example the
/// Japanese JIS X 0208 of `\ISO 2022 IR 87`) become one U+FFFD each. Other repertoires decode
/// their ASCII bytes and replace the rest with U+FFFD. Only the VRs SH, LO, ST, LT, UC, UT and PN
/// use it; other VRs are always in the default repertoire.
public struct SpecificCharacterSet: Hashable, Sendable {
    enum Encoding: Hashable, Sendable {
        case ascii, latin1, utf8, iso2022, other
    }

    /// The defined terms as written, e.g. `["", "ISO 2022 IR 87"]`.
    public let terms: [String]
    let encoding: Encoding

    /// The default repertoire.
    public static let `default` = SpecificCharacterSet(terms: [])

    /// Parses the value of (0008,0005) (backslash-separated defined terms).
    public init(value: String) {
        let terms = value.split(separator: "\\", omittingEmptySubsequences: false)
            .map { $0.trimmingSpaces() }
        self.init(terms: terms == [""] ? [] : terms)
    }

    init(terms: [String]) {
        self.terms = terms
        let first = terms.first ?? ""
        if terms.count > 1 || first.hasPrefix("ISO 2022") {
            encoding = first == "ISO 2022 IR 100" && terms.count == 1 ? .latin1 : .iso2022
        } else {
            switch first {
            case "", "ISO_IR 6": encoding = .ascii
            case "ISO_IR 100": encoding = .latin1
            case "ISO_IR 192": encoding = .utf8
            default: encoding = .other
            }
        }
    }

    /// Whether every byte can be decoded (`false` for repertoires this reader does not know).
    public var isFullySupported: Bool { encoding != .other }

    /// Decodes text bytes.
    /// - Complexity: O(*n*) in the number of bytes.
    public func decode(_ bytes: some Collection<UInt8>) -> String {
        switch encoding {
        case .utf8:
            return String(decoding: bytes, as: UTF8.self)
        case .latin1, .ascii:
            return SpecificCharacterSet.latin1(bytes)
        case .other:
            var s = String.UnicodeScalarView()
            for b in bytes { s.append(b < 0x80 ? Unicode.Scalar(b) : "\u{FFFD}") }
            return String(s)
        case .iso2022:
            return SpecificCharacterSet.iso2022(Array(bytes))
        }
    }

    static func latin1(_ bytes: some Collection<UInt8>) -> String {
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        var s = String.UnicodeScalarView()
        for b in bytes { s.append(Unicode.Scalar(b)) }
        return String(s)
    }

    /// ISO 2022 with escape sequences (PS3.5 §6.1.2.5): ASCII, JIS X 0201 Romaji and Latin-1
    /// high bytes decode; other designated code elements become one U+FFFD per segment.
    static func iso2022(_ bytes: [UInt8]) -> String {
        enum G0 { case ascii, unknown }
        var g0 = G0.ascii
        var latin1High = false
        var replacedSegment = false
        var s = String.UnicodeScalarView()
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x1B {
                // ESC I... F: intermediate bytes 0x20-0x2F, then one final byte.
                var j = i + 1
                var intermediates: [UInt8] = []
                while j < bytes.count, (0x20...0x2F).contains(bytes[j]), intermediates.count < 3 {
                    intermediates.append(bytes[j])
                    j += 1
                }
                guard j < bytes.count else { break }
                let final = bytes[j]
                switch (intermediates, final) {
                case ([0x28], 0x42), ([0x28], 0x4A): g0 = .ascii  // ESC ( B, ESC ( J
                case ([0x2D], 0x41): latin1High = true  // ESC - A: Latin-1 in G1
                case ([0x2D], _), ([0x29], _): latin1High = false
                default: g0 = .unknown
                }
                replacedSegment = false
                i = j + 1
                continue
            }
            if b >= 0x80 {
                if latin1High {
                    s.append(Unicode.Scalar(b))
                } else if !replacedSegment {
                    s.append("\u{FFFD}")
                    replacedSegment = true
                }
            } else if g0 == .ascii || b == 0x0D || b == 0x0A || b == 0x09 || b == 0x0C {
                s.append(Unicode.Scalar(b))
            } else if !replacedSegment {
                s.append("\u{FFFD}")
                replacedSegment = true
            }
            i += 1
        }
        return String(s)
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and NULs (DICOM padding).
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        func isPad(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\0" }
        while start < end, isPad(scalars[start]) { start = scalars.index(after: start) }
        while end > start, isPad(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        return String(String.UnicodeScalarView(scalars[start..<end]))
    }
}
