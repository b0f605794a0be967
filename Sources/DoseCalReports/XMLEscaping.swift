/// Escaping of text for the XML this module writes (SpreadsheetML parts, SVG).
enum XMLText {
    /// Whether `scalar` may appear in an XML 1.0 document at all (XML 1.0 §2.2, production
    /// `Char`): tab, line feed, carriage return, and U+0020–U+D7FF, U+E000–U+FFFD,
    /// U+10000–U+10FFFF. Surrogates cannot occur in a Swift `String`.
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: return true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    /// `text` without the characters XML 1.0 forbids (control characters other than tab,
    /// line feed and carriage return; U+FFFE, U+FFFF).
    static func legal(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy(isAllowed) { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where isAllowed(scalar) { out.append(scalar) }
        return String(out)
    }

    /// `text` escaped for element content (`attribute: false`) or a double- or single-quoted
    /// attribute value (`attribute: true`), with forbidden characters dropped.
    ///
    /// A carriage return is written as `&#13;` (a literal one would be normalised away by the
    /// reader); in attributes, tab and line feed are written as references too, since attribute
    /// value normalisation would turn them into spaces.
    static func escaped(_ text: String, attribute: Bool = false) -> String {
        // Fast path: printable ASCII with nothing to escape.
        if text.utf8.allSatisfy({ byte in
            byte >= 0x20 && byte < 0x80 && byte != 0x26 && byte != 0x3C && byte != 0x3E
                && (!attribute || (byte != 0x22 && byte != 0x27))
        }) {
            return text
        }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars where isAllowed(scalar) {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\r": out += "&#13;"
            case "\"" where attribute: out += "&quot;"
            case "'" where attribute: out += "&apos;"
            case "\n" where attribute: out += "&#10;"
            case "\t" where attribute: out += "&#9;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
