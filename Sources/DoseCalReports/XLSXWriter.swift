import Foundation

/// One cell of an ``XLSXWorkbook`` sheet.
public enum XLSXCell: Sendable, Hashable {
    /// Text, written as an inline string. Characters XML 1.0 forbids are dropped.
    case text(String)
    /// A number. NaN and ±infinity are written as an empty cell: a spreadsheet has no NaN.
    case number(Double)
    /// A whole number, shown without decimals.
    case integer(Int)
    /// No value.
    case empty

    /// An optional number: `nil` and non-finite values become ``empty``.
    public static func number(_ value: Double?) -> XLSXCell {
        guard let value, value.isFinite else { return .empty }
        return .number(value)
    }

    /// An optional whole number: `nil` becomes ``empty``.
    public static func integer(_ value: Int?) -> XLSXCell {
        guard let value else { return .empty }
        return .integer(value)
    }

    /// Optional text: `nil` becomes ``empty``.
    public static func text(_ value: String?) -> XLSXCell {
        guard let value else { return .empty }
        return .text(value)
    }
}

/// How a column's numbers are shown (the stored value keeps full precision either way).
public enum XLSXNumberFormat: Sendable, Hashable {
    /// The spreadsheet's General format (up to 11 significant digits); whole numbers without
    /// decimals.
    case general
    /// A fixed number of decimals, 0–15 (`0.00` for 2).
    case fixed(decimals: Int)
}

/// A spreadsheet a user opens directly in Excel, LibreOffice or Numbers (SPEC §9): an Office
/// Open XML workbook (`.xlsx`) with one sheet per ``addSheet(name:header:rows:columnFormats:)``.
///
/// Each sheet has a bold header row that stays in view when scrolling (a frozen pane), columns
/// sized roughly to their content, numbers as numbers (so they sort and sum) and text as inline
/// strings. The parts are SpreadsheetML (ECMA-376 Part 1, §18) in a ZIP package written by
/// ``ZIPWriter`` with the STORE method; the bytes depend only on the content (entries are dated
/// ``DOSTimestamp/dosEpoch`` unless ``modified`` is set), so an export can be compared by hash.
///
/// ```swift
/// var book = XLSXWorkbook()
/// try book.addSheet(name: "indicators", header: ["operator", "procedures", "mSv"],
///                   rows: [[.text("op-01"), .integer(150), .number(2.5)]],
///                   columnFormats: [.general, .general, .fixed(decimals: 2)])
/// try book.write(to: "indicators.xlsx")
/// ```
///
/// Reference: ECMA-376 5th edition, Part 1 (SpreadsheetML) and Part 2 (Open Packaging
/// Conventions).
public struct XLSXWorkbook: Sendable {
    /// A sheet rendered when it was added, so the limits are checked then and ``data()`` cannot
    /// fail.
    private struct Sheet: Sendable {
        var name: String
        var xml: [UInt8]
    }

    /// The largest number of rows a sheet can hold, header included.
    public static let maxRows = 1_048_576
    /// The largest number of columns a sheet can hold (A to XFD).
    public static let maxColumns = 16_384
    /// The longest text a cell can hold, in UTF-16 code units.
    public static let maxCellTextLength = 32_767

    private var sheets: [Sheet] = []
    /// The `decimals` of each ``XLSXNumberFormat/fixed(decimals:)`` in use, in order of first
    /// use; the cell style of entry *i* is `firstFixedStyle + i`.
    private var fixedDecimals: [Int] = []
    private var totalBytes = 0

    /// The entries' modification time in the ZIP package.
    public var modified: DOSTimestamp = .dosEpoch

    /// An empty workbook. A workbook saved with no sheets gets one empty sheet, since a
    /// spreadsheet must have at least one.
    public init() {}

    /// The names of the sheets, as written (sanitised and made unique).
    public var sheetNames: [String] { sheets.map(\.name) }

    /// Adds a sheet: a bold, frozen header row, then `rows`.
    ///
    /// - Parameters:
    ///   - name: the tab's name; sanitised as in ``sanitizedSheetName(_:)`` and, if another
    ///     sheet already has it (case-insensitively, as spreadsheets compare), suffixed " (2)",
    ///     " (3)", ….
    ///   - header: the column titles; an empty array writes no header row and freezes nothing.
    ///   - rows: the data rows; rows may differ in length.
    ///   - columnFormats: the number format of each column (``XLSXNumberFormat/general`` for
    ///     columns past the end of the array).
    /// - Returns: the sheet's name as written.
    /// - Throws: ``ReportsError/sheetTooLarge(sheet:rows:columns:)`` past 1 048 576 rows or
    ///   16 384 columns, ``ReportsError/cellTextTooLong(sheet:cell:characters:)`` for a text
    ///   past 32 767 UTF-16 code units, ``ReportsError/archiveTooLarge(entry:detail:)`` when the
    ///   workbook would pass 4 GiB.
    /// - Precondition: every ``XLSXNumberFormat/fixed(decimals:)`` has 0–15 decimals.
    /// - Complexity: O(*n*) in the number of cells.
    @discardableResult
    public mutating func addSheet(name: String, header: [String], rows: [[XLSXCell]],
                                  columnFormats: [XLSXNumberFormat] = []) throws(ReportsError) -> String {
        let sheetName = uniqueName(Self.sanitizedSheetName(name, fallback: "Sheet\(sheets.count + 1)"))
        let rowCount = rows.count + (header.isEmpty ? 0 : 1)
        let columnCount = max(header.count, rows.map(\.count).max() ?? 0)
        guard rowCount <= Self.maxRows, columnCount <= Self.maxColumns else {
            throw .sheetTooLarge(sheet: sheetName, rows: rowCount, columns: columnCount)
        }
        var styles = [Int](repeating: -1, count: columnCount)  // style of a number cell; -1 general
        for (column, format) in columnFormats.prefix(columnCount).enumerated() {
            guard case .fixed(let decimals) = format else { continue }
            precondition((0...15).contains(decimals), "XLSXNumberFormat.fixed takes 0–15 decimals, not \(decimals)")
            styles[column] = fixedStyle(decimals: decimals)
        }
        let xml = try Self.sheetXML(name: sheetName, header: header, rows: rows, columnCount: columnCount,
                                    numberStyles: styles, selected: sheets.isEmpty, formats: columnFormats)
        let entry = "xl/worksheets/sheet\(sheets.count + 1).xml"
        // Room for the other parts, the headers and the central directory.
        guard totalBytes + xml.count + 1 << 20 < Int(UInt32.max), sheets.count < 60_000 else {
            throw .archiveTooLarge(entry: entry, detail: "more than 4 GiB or 60000 sheets without ZIP64")
        }
        totalBytes += xml.count + 200
        sheets.append(Sheet(name: sheetName, xml: xml))
        return sheetName
    }

    /// The `.xlsx` file's bytes.
    /// - Complexity: O(*n*) in the size of the sheets.
    public func data() -> [UInt8] {
        var parts: [(String, [UInt8])] = []
        let sheets = self.sheets.isEmpty
            ? [Sheet(name: "Sheet1", xml: Self.emptySheetXML)]
            : self.sheets
        parts.append(("[Content_Types].xml", Array(Self.contentTypes(sheetCount: sheets.count).utf8)))
        parts.append(("_rels/.rels", Array(Self.rootRelationships.utf8)))
        parts.append(("xl/workbook.xml", Array(Self.workbookXML(sheetNames: sheets.map(\.name)).utf8)))
        parts.append(("xl/_rels/workbook.xml.rels", Array(Self.workbookRelationships(sheetCount: sheets.count).utf8)))
        parts.append(("xl/styles.xml", Array(stylesXML().utf8)))
        for (i, sheet) in sheets.enumerated() { parts.append(("xl/worksheets/sheet\(i + 1).xml", sheet.xml)) }
        var zip = ZIPWriter()
        do {
            for (name, bytes) in parts { try zip.addFile(named: name, contents: bytes, modified: modified) }
        } catch {
            // addSheet checked the sizes and the part names are distinct.
            preconditionFailure("XLSX package limits were checked when the sheets were added: \(error)")
        }
        return zip.finish()
    }

    /// Writes the `.xlsx` file, replacing any file at `path` atomically.
    /// - Throws: ``ReportsError/cannotWrite(path:reason:)``.
    public func write(to path: String) throws(ReportsError) {
        do {
            try Data(data()).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .cannotWrite(path: path, reason: error.localizedDescription)
        }
    }

    // MARK: Names

    /// A name a spreadsheet accepts for a tab: characters XML forbids dropped, each of
    /// `[ ] : * ? / \` replaced by `_`, leading and trailing apostrophes and spaces removed, the reserved
    /// name "History" suffixed with `_`, and cut to 31 UTF-16 code units (at a character
    /// boundary). An empty result becomes `fallback`.
    public static func sanitizedSheetName(_ name: String, fallback: String = "Sheet") -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in XMLText.legal(name).unicodeScalars where scalar.value >= 0x20 {
            scalars.append("[]:*?/\\".unicodeScalars.contains(scalar) ? "_" : scalar)
        }
        func trimmed(_ text: String) -> String {
            var s = Substring(text)
            while s.first == "'" || s.first == " " { s.removeFirst() }
            while s.last == "'" || s.last == " " { s.removeLast() }
            return String(s)
        }
        var text = trimmed(String(scalars))
        if text.lowercased() == "history" { text += "_" }
        text = trimmed(truncated(text, toUTF16: 31))
        return text.isEmpty ? fallback : text
    }

    private static func truncated(_ text: String, toUTF16 limit: Int) -> String {
        guard text.utf16.count > limit else { return text }
        var out = ""
        for character in text {
            if out.utf16.count + character.utf16.count > limit { break }
            out.append(character)
        }
        return out
    }

    private func uniqueName(_ name: String) -> String {
        let taken = Set(sheets.map { $0.name.lowercased() })
        guard taken.contains(name.lowercased()) else { return name }
        var n = 2
        while true {
            let suffix = " (\(n))"
            let candidate = Self.truncated(name, toUTF16: 31 - suffix.utf16.count) + suffix
            if !taken.contains(candidate.lowercased()) { return candidate }
            n += 1
        }
    }

    // MARK: Styles

    /// Cell style indices in `cellXfs`.
    private static let headerStyle = 1
    private static let integerStyle = 2
    private static let firstFixedStyle = 3

    private mutating func fixedStyle(decimals: Int) -> Int {
        if let i = fixedDecimals.firstIndex(of: decimals) { return Self.firstFixedStyle + i }
        fixedDecimals.append(decimals)
        return Self.firstFixedStyle + fixedDecimals.count - 1
    }

    private func stylesXML() -> String {
        var xml = Self.xmlDeclaration
        xml += #"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        // Built-in number format 1 is "0"; fixed formats with decimals get custom ids from 164.
        let custom = fixedDecimals.filter { $0 > 0 }
        if !custom.isEmpty {
            xml += #"<numFmts count="\#(custom.count)">"#
            for (i, d) in custom.enumerated() {
                xml += #"<numFmt numFmtId="\#(164 + i)" formatCode="0.\#(String(repeating: "0", count: d))"/>"#
            }
            xml += "</numFmts>"
        }
        xml += #"<fonts count="2">"#
        xml += #"<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>"#
        xml += #"<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>"#
        xml += "</fonts>"
        xml += #"<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>"#
        xml += #"<fill><patternFill patternType="solid"><fgColor rgb="FFEDEDED"/><bgColor indexed="64"/></patternFill></fill></fills>"#
        xml += #"<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>"#
        xml += #"<border><left/><right/><top/><bottom style="thin"><color auto="1"/></bottom><diagonal/></border></borders>"#
        xml += #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
        xml += #"<cellXfs count="\#(Self.firstFixedStyle + fixedDecimals.count)">"#
        xml += #"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#
        xml += #"<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1"/>"#
        xml += #"<xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
        for d in fixedDecimals {
            let id = d == 0 ? 1 : 164 + custom.firstIndex(of: d)!
            xml += #"<xf numFmtId="\#(id)" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
        }
        xml += "</cellXfs>"
        xml += #"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#
        xml += "</styleSheet>"
        return xml
    }

    // MARK: Parts

    private static let xmlDeclaration = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    private static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    private static let relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    private static func contentTypes(sheetCount: Int) -> String {
        var xml = xmlDeclaration
        xml += #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
        xml += #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
        xml += #"<Default Extension="xml" ContentType="application/xml"/>"#
        xml += #"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
        for i in 1...sheetCount {
            xml += #"<Override PartName="/xl/worksheets/sheet\#(i).xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        }
        xml += #"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#
        xml += "</Types>"
        return xml
    }

    private static let rootRelationships = xmlDeclaration
        + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        + #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#
        + "</Relationships>"

    private static func workbookXML(sheetNames: [String]) -> String {
        var xml = xmlDeclaration
        xml += #"<workbook xmlns="\#(mainNamespace)" xmlns:r="\#(relationshipNamespace)">"#
        xml += #"<bookViews><workbookView activeTab="0"/></bookViews><sheets>"#
        for (i, name) in sheetNames.enumerated() {
            xml += #"<sheet name="\#(XMLText.escaped(name, attribute: true))" sheetId="\#(i + 1)" r:id="rId\#(i + 1)"/>"#
        }
        xml += "</sheets></workbook>"
        return xml
    }

    private static func workbookRelationships(sheetCount: Int) -> String {
        var xml = xmlDeclaration
        xml += #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        for i in 1...sheetCount {
            xml += #"<Relationship Id="rId\#(i)" Type="\#(relationshipNamespace)/worksheet" Target="worksheets/sheet\#(i).xml"/>"#
        }
        xml += #"<Relationship Id="rId\#(sheetCount + 1)" Type="\#(relationshipNamespace)/styles" Target="styles.xml"/>"#
        xml += "</Relationships>"
        return xml
    }

    /// The sheet of a workbook saved with none.
    private static let emptySheetXML: [UInt8] = (try? sheetXML(name: "Sheet1", columnCount: 0, selected: true)) ?? []

    /// One worksheet part. Cells with no value are left out (the sheet is sparse).
    private static func sheetXML(name: String, header: [String] = [], rows: [[XLSXCell]] = [], columnCount: Int,
                                 numberStyles: [Int] = [], selected: Bool,
                                 formats: [XLSXNumberFormat] = []) throws(ReportsError) -> [UInt8] {
        let rowCount = rows.count + (header.isEmpty ? 0 : 1)
        var xml = xmlDeclaration
        xml += #"<worksheet xmlns="\#(mainNamespace)" xmlns:r="\#(relationshipNamespace)">"#
        let lastCell = columnCount > 0 && rowCount > 0 ? ":\(columnName(columnCount - 1))\(rowCount)" : ""
        xml += #"<dimension ref="A1\#(lastCell)"/>"#
        xml += #"<sheetViews><sheetView \#(selected ? #"tabSelected="1" "# : "")workbookViewId="0">"#
        if !header.isEmpty {
            xml += #"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
            xml += #"<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>"#
        }
        xml += "</sheetView></sheetViews>"
        xml += #"<sheetFormatPr defaultRowHeight="15"/>"#
        if columnCount > 0 {
            xml += "<cols>"
            for (i, width) in columnWidths(header: header, rows: rows, columnCount: columnCount, formats: formats).enumerated() {
                xml += #"<col min="\#(i + 1)" max="\#(i + 1)" width="\#(width)" customWidth="1"/>"#
            }
            xml += "</cols>"
        }
        xml += "<sheetData>"
        let letters = (0..<columnCount).map(columnName)
        var rowNumber = 0
        if !header.isEmpty {
            rowNumber = 1
            xml += #"<row r="1">"#
            for (column, title) in header.enumerated() where !title.isEmpty {
                try appendText(title, to: &xml, reference: letters[column] + "1", style: headerStyle, sheet: name)
            }
            xml += "</row>"
        }
        for row in rows {
            rowNumber += 1
            xml += #"<row r="\#(rowNumber)">"#
            for (column, cell) in row.enumerated() {
                let reference = letters[column] + String(rowNumber)
                let fixed = numberStyles.indices.contains(column) && numberStyles[column] >= 0 ? numberStyles[column] : nil
                switch cell {
                case .empty:
                    continue
                case .text(let text):
                    try appendText(text, to: &xml, reference: reference, style: nil, sheet: name)
                case .integer(let value):
                    xml += #"<c r="\#(reference)" s="\#(fixed ?? integerStyle)"><v>\#(value)</v></c>"#
                case .number(let value):
                    guard value.isFinite else { continue }
                    let style = fixed.map { #" s="\#($0)""# } ?? ""
                    xml += #"<c r="\#(reference)"\#(style)><v>\#(value == 0 ? "0" : "\(value)")</v></c>"#
                }
            }
            xml += "</row>"
        }
        xml += "</sheetData>"
        xml += #"<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>"#
        xml += "</worksheet>"
        return Array(xml.utf8)
    }

    private static func appendText(_ text: String, to xml: inout String, reference: String, style: Int?,
                                   sheet: String) throws(ReportsError) {
        let clean = XMLText.legal(text)
        guard clean.utf16.count <= maxCellTextLength else {
            throw .cellTextTooLong(sheet: sheet, cell: reference, characters: clean.utf16.count)
        }
        let s = style.map { #" s="\#($0)""# } ?? ""
        let utf8 = clean.utf8
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        let preserve = utf8.first.map(isSpace) == true || utf8.last.map(isSpace) == true
            || utf8.contains { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        let space = preserve ? #" xml:space="preserve""# : ""
        xml += #"<c r="\#(reference)"\#(s) t="inlineStr"><is><t\#(space)>\#(XMLText.escaped(protectingEscapes(clean)))</t></is></c>"#
    }

    /// Spreadsheet readers decode `_xHHHH_` in strings as the character U+HHHH (ECMA-376 Part 1,
    /// §22.9.2.19, ST_Xstring); a literal one is kept by writing its underscore as `_x005F_`.
    static func protectingEscapes(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "_")) else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            if scalars[i] == "_", i + 6 < scalars.count, scalars[i + 1] == "x" || scalars[i + 1] == "X",
               scalars[(i + 2)...(i + 5)].allSatisfy({ $0.properties.isASCIIHexDigit }), scalars[i + 6] == "_" {
                out.append(contentsOf: "_x005F_".unicodeScalars)
            } else {
                out.append(scalars[i])
            }
            i += 1
        }
        return String(out)
    }

    /// Column widths in characters: the longest line in the column plus a margin, 8–60.
    private static func columnWidths(header: [String], rows: [[XLSXCell]], columnCount: Int,
                                     formats: [XLSXNumberFormat]) -> [String] {
        var longest = [Int](repeating: 0, count: columnCount)
        // Unicode scalars approximate the characters shown; good enough for a width.
        func longestLine(_ text: String) -> Int {
            var longest = 0, current = 0
            for scalar in text.unicodeScalars {
                if scalar == "\n" || scalar == "\r" { current = 0 } else { current += 1; longest = max(longest, current) }
            }
            return longest
        }
        for (i, title) in header.enumerated() {
            // Bold text is a little wider.
            longest[i] = max(longest[i], Int((Double(longestLine(title)) * 1.1).rounded(.up)))
        }
        for row in rows {
            for (i, cell) in row.enumerated() {
                let length: Int
                switch cell {
                case .empty: continue
                case .text(let text): length = longestLine(text)
                case .integer(let value): length = String(value).count
                case .number(let value):
                    guard value.isFinite else { continue }
                    if i < formats.count, case .fixed(let decimals) = formats[i] {
                        // The width of formatFixed(value, decimals), without formatting it.
                        let digits = abs(value) < 10 ? 1 : Int(log10(abs(value))) + 1
                        length = (value < 0 ? 1 : 0) + digits + (decimals > 0 ? decimals + 1 : 0)
                    } else {
                        length = min("\(value)".count, 12)
                    }
                }
                longest[i] = max(longest[i], length)
            }
        }
        return longest.map { formatFixed(Double(min(max($0 + 2, 8), 60)), 1) }
    }

    /// The column letters of a zero-based column index: 0 → A, 25 → Z, 26 → AA, 16383 → XFD.
    static func columnName(_ index: Int) -> String {
        var n = index + 1
        var letters: [Character] = []
        while n > 0 {
            let r = (n - 1) % 26
            letters.append(Character(Unicode.Scalar(UInt8(65 + r))))
            n = (n - 1) / 26
        }
        return String(letters.reversed())
    }
}
