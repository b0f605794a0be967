import Foundation
import Testing
@testable import DoseCalReports

@Suite struct XLSXWriterTests {
    static let parts = [
        "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
        "xl/styles.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml",
    ]

    static func sampleBook() throws -> XLSXWorkbook {
        var book = XLSXWorkbook()
        try book.addSheet(
            name: "indicators",
            header: ["operator", "procedures", "cumulative mSv", "µSv/(Gy·cm²)"],
            rows: [
                [.text("op-01"), .integer(150), .number(2.5), .number(0.24)],
                [.text("op-02 <&> \"quoted\""), .integer(211), .number(3.28), .number(Double?.none)],
                [.text("bad\u{1}\u{B}char"), .empty, .number(.nan), .number(1e-5)],
            ],
            columnFormats: [.general, .general, .fixed(decimals: 2), .fixed(decimals: 3)])
        try book.addSheet(name: "by type", header: ["procedure type", "% PDE"],
                          rows: [[.text("biliary drainage"), .number(17)]],
                          columnFormats: [.general, .fixed(decimals: 1)])
        return book
    }

    @Test func packageHasEveryPartAndEachParses() throws {
        let archive = try TestZIPReader(Self.sampleBook().data())
        #expect(archive.entries.map(\.name) == Self.parts)
        for entry in archive.entries {
            _ = try ParsedXML(entry.data)  // throws unless well-formed
        }
        let types = try ParsedXML(#require(archive["[Content_Types].xml"]))
        let overrides = Set(types.all("Override").compactMap { $0.attributes["PartName"] })
        #expect(overrides == ["/xl/workbook.xml", "/xl/styles.xml", "/xl/worksheets/sheet1.xml", "/xl/worksheets/sheet2.xml"])
        let rels = try ParsedXML(#require(archive["xl/_rels/workbook.xml.rels"]))
        #expect(rels.all("Relationship").map { $0.attributes["Target"] ?? "" }
                == ["worksheets/sheet1.xml", "worksheets/sheet2.xml", "styles.xml"])
        let workbook = try ParsedXML(#require(archive["xl/workbook.xml"]))
        #expect(workbook.all("sheet").map { $0.attributes["name"] ?? "" } == ["indicators", "by type"])
        #expect(workbook.all("sheet").map { $0.attributes["r:id"] ?? "" } == ["rId1", "rId2"])
    }

    @Test func cellsReadBack() throws {
        let archive = try TestZIPReader(Self.sampleBook().data())
        let sheet = try ParsedXML(#require(archive["xl/worksheets/sheet1.xml"]))
        var cells: [String: (type: String?, style: String?, text: String)] = [:]
        var current: String?
        for element in sheet.elements {
            if element.name == "c" {
                current = element.attributes["r"]
                cells[current!] = (element.attributes["t"], element.attributes["s"], "")
            } else if element.name == "v" || element.name == "t", let ref = current {
                cells[ref]!.text = element.text
            }
        }
        #expect(cells["A1"]?.text == "operator" && cells["A1"]?.type == "inlineStr" && cells["A1"]?.style == "1")
        #expect(cells["D1"]?.text == "µSv/(Gy·cm²)")
        #expect(cells["A2"]?.text == "op-01" && cells["A2"]?.type == "inlineStr" && cells["A2"]?.style == nil)
        #expect(cells["B2"]?.text == "150" && cells["B2"]?.type == nil && cells["B2"]?.style == "2")
        #expect(cells["C2"]?.text == "2.5" && cells["C2"]?.style == "3")
        #expect(cells["D2"]?.text == "0.24" && cells["D2"]?.style == "4")
        #expect(cells["A3"]?.text == "op-02 <&> \"quoted\"")
        #expect(cells["D3"] == nil, "absent value → no cell")
        #expect(cells["A4"]?.text == "badchar", "characters illegal in XML 1.0 are dropped")
        #expect(cells["B4"] == nil && cells["C4"] == nil, "empty and NaN → no cell")
        #expect(Double(cells["D4"]?.text ?? "") == 1e-5)
        #expect(sheet.all("row").map { $0.attributes["r"] ?? "" } == ["1", "2", "3", "4"])
        #expect(sheet.all("dimension").first?.attributes["ref"] == "A1:D4")
    }

    @Test func headerIsFrozenAndColumnsSized() throws {
        let archive = try TestZIPReader(Self.sampleBook().data())
        let sheet = try ParsedXML(#require(archive["xl/worksheets/sheet1.xml"]))
        let pane = try #require(sheet.all("pane").first)
        #expect(pane.attributes["state"] == "frozen" && pane.attributes["ySplit"] == "1" && pane.attributes["topLeftCell"] == "A2")
        #expect(sheet.all("sheetView").first?.attributes["tabSelected"] == "1")
        let widths = sheet.all("col").map { Double($0.attributes["width"] ?? "") ?? 0 }
        #expect(widths.count == 4)
        #expect(widths.allSatisfy { (8...60).contains($0) })
        // "op-02 <&> "quoted"" (18 characters) is the longest cell of column A.
        #expect(widths[0] == 20)
        let second = try ParsedXML(#require(archive["xl/worksheets/sheet2.xml"]))
        #expect(second.all("sheetView").first?.attributes["tabSelected"] == nil)
    }

    @Test func stylesHaveBoldHeaderAndNumberFormats() throws {
        let archive = try TestZIPReader(Self.sampleBook().data())
        let styles = try ParsedXML(#require(archive["xl/styles.xml"]))
        let formats = styles.all("numFmt").map { ($0.attributes["numFmtId"] ?? "", $0.attributes["formatCode"] ?? "") }
        #expect(formats.map(\.0) == ["164", "165", "166"])
        #expect(formats.map(\.1) == ["0.00", "0.000", "0.0"])
        let xfs = styles.all("cellXfs").first
        #expect(xfs?.attributes["count"] == "6")
        // cellXfs follow the one cellStyleXfs entry: header (1) uses the bold font (1).
        let cellXfs = Array(styles.all("xf").dropFirst())
        #expect(cellXfs.count == 6)
        #expect(cellXfs[1].attributes["fontId"] == "1")
        #expect(styles.elements.contains { $0.name == "b" })
        #expect(cellXfs[2].attributes["numFmtId"] == "1")
        #expect(cellXfs[3...].map { $0.attributes["numFmtId"] ?? "" } == ["164", "165", "166"])
    }

    @Test func textEscapingAndWhitespace() throws {
        var book = XLSXWorkbook()
        try book.addSheet(name: "t", header: ["h"], rows: [
            [.text("  padded ")], [.text("line 1\nline 2")], [.text("a_x0041_b")], [.text("cr\rhere")], [.text("]]>")],
        ])
        let xml = try #require(String(validating: TestZIPReader(book.data())["xl/worksheets/sheet1.xml"] ?? [], as: UTF8.self))
        #expect(xml.contains(#"<t xml:space="preserve">  padded </t>"#))
        #expect(xml.contains("<t xml:space=\"preserve\">line 1\nline 2</t>"))
        #expect(xml.contains("<t>a_x005F_x0041_b</t>"), "a literal _xHHHH_ is protected from decoding")
        #expect(xml.contains("cr&#13;here"))
        #expect(xml.contains("<t>]]&gt;</t>"))
        let texts = try ParsedXML(xml).all("t").map(\.text)
        #expect(texts == ["h", "  padded ", "line 1\nline 2", "a_x005F_x0041_b", "cr\rhere", "]]>"])
    }

    @Test(arguments: [
        ("indicators", "indicators"),
        ("a/b\\c[d]e:f*g?h", "a_b_c_d_e_f_g_h"),
        ("'quoted'", "quoted"),
        ("History", "History_"),
        ("", "Sheet"),
        ("\u{1}", "Sheet"),
        ("0123456789012345678901234567890123456789", "0123456789012345678901234567890"),
        ("µSv/(Gy·cm²) by procedure type in 2024", "µSv_(Gy·cm²) by procedure type"),
    ])
    func sheetNamesAreSanitised(input: String, expected: String) {
        let name = XLSXWorkbook.sanitizedSheetName(input)
        #expect(name == expected)
        #expect(name.utf16.count <= 31)
    }

    @Test func sheetNamesAreMadeUnique() throws {
        var book = XLSXWorkbook()
        #expect(try book.addSheet(name: "cardiology", header: [], rows: []) == "cardiology")
        #expect(try book.addSheet(name: "Cardiology", header: [], rows: []) == "Cardiology (2)")
        #expect(try book.addSheet(name: "cardiology", header: [], rows: []) == "cardiology (3)")
        #expect(try book.addSheet(name: String(repeating: "x", count: 40), header: [], rows: []).utf16.count == 31)
        #expect(try book.addSheet(name: String(repeating: "x", count: 40), header: [], rows: []) == String(repeating: "x", count: 27) + " (2)")
        #expect(try book.addSheet(name: "", header: [], rows: []) == "Sheet6")
        #expect(book.sheetNames.count == 6)
        let workbook = try ParsedXML(#require(TestZIPReader(book.data())["xl/workbook.xml"]))
        #expect(workbook.all("sheet").map { $0.attributes["name"] ?? "" } == book.sheetNames)
    }

    @Test func sheetNameIsEscapedInTheWorkbook() throws {
        var book = XLSXWorkbook()
        try book.addSheet(name: "R&D <\"2024\">", header: ["a"], rows: [])
        let workbook = try ParsedXML(#require(TestZIPReader(book.data())["xl/workbook.xml"]))
        #expect(workbook.all("sheet").first?.attributes["name"] == "R&D <\"2024\">")
    }

    @Test(arguments: [(0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA"), (701, "ZZ"), (702, "AAA"), (16383, "XFD")])
    func columnNames(index: Int, name: String) {
        #expect(XLSXWorkbook.columnName(index) == name)
    }

    @Test func limitsAreErrors() {
        var book = XLSXWorkbook()
        #expect(throws: ReportsError.sheetTooLarge(sheet: "wide", rows: 1, columns: 16_385)) {
            try book.addSheet(name: "wide", header: [String](repeating: "c", count: 16_385), rows: [])
        }
        let long = String(repeating: "é", count: 32_768)
        #expect(throws: ReportsError.cellTextTooLong(sheet: "long", cell: "B2", characters: 32_768)) {
            try book.addSheet(name: "long", header: ["a"], rows: [[.empty, .text(long)]])
        }
        #expect(book.sheetNames.isEmpty, "a failed sheet is not added")
    }

    @Test func emptyWorkbookStillOpens() throws {
        let archive = try TestZIPReader(XLSXWorkbook().data())
        #expect(archive.entries.map(\.name) == Array(Self.parts.dropLast()))
        let sheet = try ParsedXML(#require(archive["xl/worksheets/sheet1.xml"]))
        #expect(sheet.all("c").isEmpty && sheet.all("pane").isEmpty)
        let workbook = try ParsedXML(#require(archive["xl/workbook.xml"]))
        #expect(workbook.all("sheet").map { $0.attributes["name"] ?? "" } == ["Sheet1"])
    }

    @Test func bytesAreDeterministicAndWriteToDisk() throws {
        let a = try Self.sampleBook().data()
        #expect(try a == Self.sampleBook().data())
        var book = try Self.sampleBook()
        book.modified = DOSTimestamp(year: 2025, month: 1, day: 2)
        let dated = try TestZIPReader(book.data())
        #expect(dated.entries.allSatisfy { $0.dosDate == UInt16(45 << 9 | 1 << 5 | 2) })

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dosecal-\(UUID().uuidString).xlsx").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.sampleBook().write(to: path)
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: path))) == a)

        #expect(throws: ReportsError.self) { try Self.sampleBook().write(to: "/nonexistent-dir-\(UUID().uuidString)/x.xlsx") }
    }
}
