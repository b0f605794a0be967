import DoseCalDomain

/// A GitHub-flavoured markdown table (GFM spec §4.10), for the report notebooks (SPEC §9): the
/// traffic-light table, Table 1, breakdowns.
///
/// Cells are escaped so that their text cannot break the table: `|` becomes `\|` (and a
/// backslash just before a `|` is doubled, so it stays a backslash), and line breaks become
/// `<br>`. Other markdown in a cell (emphasis, code, links) is left as it is, so a caller can
/// use it on purpose. Columns are padded to a common width so the source reads as a table too.
///
/// ```swift
/// let table = MarkdownTable(header: ["operator", "µSv/procedure", "alert"],
///                           rows: [["op-01", "15.3", colourBadge(.green)]])
/// print(table.rendered())
/// // | operator | µSv/procedure | alert   |
/// // | :------- | ------------: | :------ |
/// // | op-01    |          15.3 | 🟢 green |
/// ```
public struct MarkdownTable: Sendable, Hashable {
    /// How a column's cells are aligned.
    public enum Alignment: Sendable, Hashable {
        case left, center, right
    }

    public var header: [String]
    /// One alignment per column; `nil` aligns columns whose cells all look numeric to the
    /// right and the others to the left, as ``TextTable`` does.
    public var alignments: [Alignment]?
    public var rows: [[String]]

    /// - Parameters:
    ///   - header: the column titles (a GFM table always has a header row).
    ///   - alignments: one per column, or `nil` to infer them from the cells.
    ///   - rows: the body rows; short rows are padded with empty cells, long rows keep their
    ///     extra cells only up to the header's width (GFM ignores the excess).
    public init(header: [String], alignments: [Alignment]? = nil, rows: [[String]] = []) {
        self.header = header
        self.alignments = alignments
        self.rows = rows
    }

    public mutating func append(_ row: [String]) { rows.append(row) }

    /// The table as markdown lines, each ending in a newline.
    /// - Complexity: O(*n*) in the total length of the cells.
    public func rendered() -> String {
        let columns = max(header.count, 1)
        func cells(_ row: [String]) -> [String] {
            (0..<columns).map { $0 < row.count ? Self.escape(row[$0]) : "" }
        }
        let head = cells(header)
        let body = rows.map(cells)
        let aligns: [Alignment] = (0..<columns).map { column in
            if let alignments, column < alignments.count { return alignments[column] }
            let values = rows.compactMap { column < $0.count ? $0[column] : nil }.filter { !$0.isEmpty && $0 != "—" }
            return !values.isEmpty && values.allSatisfy(TextTable.isNumeric) ? .right : .left
        }
        var widths = [Int](repeating: 3, count: columns)
        for row in [head] + body {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ row: [String]) -> String {
            let padded = row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                switch aligns[i] {
                case .right: return pad + cell
                case .left: return cell + pad
                case .center:
                    let before = pad.count / 2
                    return String(repeating: " ", count: before) + cell + String(repeating: " ", count: pad.count - before)
                }
            }
            return "| " + padded.joined(separator: " | ") + " |\n"
        }
        let rule = (0..<columns).map { i -> String in
            switch aligns[i] {
            case .left: return ":" + String(repeating: "-", count: widths[i] - 1)
            case .right: return String(repeating: "-", count: widths[i] - 1) + ":"
            case .center: return ":" + String(repeating: "-", count: widths[i] - 2) + ":"
            }
        }
        var out = line(head)
        out += "| " + rule.joined(separator: " | ") + " |\n"
        for row in body { out += line(row) }
        return out
    }

    /// A cell's text made safe inside a table row: `|` → `\|` (a backslash right before it
    /// doubled), CR LF / CR / LF → `<br>`, surrounding spaces trimmed (GFM trims them anyway).
    public static func escape(_ cell: String) -> String {
        var out = ""
        var backslashes = 0
        for character in cell {
            switch character {
            case "|":
                out += String(repeating: "\\", count: backslashes) + "\\|"
                backslashes = 0
            case "\r\n", "\n", "\r":
                out += "<br>"
                backslashes = 0
            case "\\":
                out.append(character)
                backslashes += 1
            default:
                out.append(character)
                backslashes = 0
            }
        }
        return out.trimmingSpaces()
    }
}

/// A traffic-light colour as text with its symbol, for tables a person reads:
/// "🟢 green", "🟡 yellow", "🔴 red", or "— none" when the alert has no value (no KAP, no
/// reference reading).
public func colourBadge(_ colour: AlertColour?) -> String {
    switch colour {
    case .green: return "🟢 green"
    case .yellow: return "🟡 yellow"
    case .red: return "🔴 red"
    case nil: return "— none"
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return String(s)
    }
}
