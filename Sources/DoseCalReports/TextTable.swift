import Foundation

/// A plain-text table for terminal output: a header row, a rule, then rows; numeric-looking
/// cells are right-aligned, text cells left-aligned.
public struct TextTable: Sendable {
    public var header: [String]
    public var rows: [[String]]

    public init(header: [String], rows: [[String]] = []) {
        self.header = header
        self.rows = rows
    }

    public mutating func append(_ row: [String]) { rows.append(row) }

    /// The table as lines ending in a newline.
    public func rendered() -> String {
        let columns = max(header.count, rows.map(\.count).max() ?? 0)
        var widths = [Int](repeating: 0, count: columns)
        for row in [header] + rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ row: [String]) -> String {
            var parts: [String] = []
            for i in 0..<columns {
                let cell = i < row.count ? row[i] : ""
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                parts.append(TextTable.isNumeric(cell) ? pad + cell : cell + pad)
            }
            var text = parts.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text + "\n"
        }
        var out = line(header)
        out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for row in rows { out += line(row) }
        return out
    }

    /// A cell is right-aligned when it is made of digits and number punctuation only
    /// ("12.5", "-3", "150 (44)", "[0.27, 0.60]", "7/1/0/0", "95.0 %").
    static func isNumeric(_ cell: String) -> Bool {
        var digit = false
        for scalar in cell.unicodeScalars {
            if ("0"..."9").contains(scalar) { digit = true; continue }
            if !".-+()[]/, %e".unicodeScalars.contains(scalar) { return false }
        }
        return digit
    }
}

/// Formats a number for a table with a fixed number of decimals (C `printf` rounding of the
/// exact binary value); `nil` and non-finite values as "—".
public func formatFixed(_ value: Double?, _ decimals: Int) -> String {
    guard let value, value.isFinite else { return "—" }
    let text = String(format: "%.*f", decimals, value)
    return text.hasPrefix("-") && Double(text) == 0 ? String(text.dropFirst()) : text
}
