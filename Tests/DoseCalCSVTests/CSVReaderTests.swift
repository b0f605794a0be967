import Foundation
import Testing
@testable import DoseCalCSV

@Suite("CSVReader: RFC 4180 records")
struct CSVReaderTests {
    /// Inputs and the records they hold; every case runs at every chunk size.
    static let cases: [(name: String, text: String, rows: [Row])] = [
        ("plain", "a,b,c\n1,2,3\n", [Row(line: 1, fields: ["a", "b", "c"]), Row(line: 2, fields: ["1", "2", "3"])]),
        ("no final newline", "a,b\n1,2", [Row(line: 1, fields: ["a", "b"]), Row(line: 2, fields: ["1", "2"])]),
        ("CRLF", "a,b\r\n1,2\r\n", [Row(line: 1, fields: ["a", "b"]), Row(line: 2, fields: ["1", "2"])]),
        ("CRLF, no final newline", "a,b\r\n1,2", [Row(line: 1, fields: ["a", "b"]), Row(line: 2, fields: ["1", "2"])]),
        ("CR at the very end", "a,b\r", [Row(line: 1, fields: ["a", "b"])]),
        ("comma in quotes", "x,\"a,b\",y\n", [Row(line: 1, fields: ["x", "a,b", "y"])]),
        ("doubled quotes", "\"he said \"\"hi\"\"\",\"\"\"\"\n", [Row(line: 1, fields: ["he said \"hi\"", "\""])]),
        ("quoted empty", "\"\",a,\"\"\n", [Row(line: 1, fields: ["", "a", ""])]),
        ("LF in quotes", "h\n\"one\ntwo\",x\nnext,y\n",
         [Row(line: 1, fields: ["h"]), Row(line: 2, fields: ["one\ntwo", "x"]), Row(line: 4, fields: ["next", "y"])]),
        ("CRLF in quotes", "\"a\r\nb\r\nc\",1\r\nz,2\r\n", [Row(line: 1, fields: ["a\r\nb\r\nc", "1"]), Row(line: 4, fields: ["z", "2"])]),
        ("quoted last field, no newline", "a,\"b\"", [Row(line: 1, fields: ["a", "b"])]),
        ("quoted field with doubled quote at end of input", "a,\"b\"\"\"", [Row(line: 1, fields: ["a", "b\""])]),
        ("BOM", "\u{FEFF}id,v\n1,2\n", [Row(line: 1, fields: ["id", "v"]), Row(line: 2, fields: ["1", "2"])]),
        ("BOM alone", "\u{FEFF}", []),
        ("empty input", "", []),
        ("empty fields", ",,\n,a,\n", [Row(line: 1, fields: ["", "", ""]), Row(line: 2, fields: ["", "a", ""])]),
        ("trailing comma at end of input", "a,", [Row(line: 1, fields: ["a", ""])]),
        ("empty lines skipped", "a\n\n\nb\r\n\r\nc\n\n\n", [Row(line: 1, fields: ["a"]), Row(line: 4, fields: ["b"]), Row(line: 6, fields: ["c"])]),
        ("line of only a quoted empty field", "a\n\"\"\nb\n", [Row(line: 1, fields: ["a"]), Row(line: 2, fields: [""]), Row(line: 3, fields: ["b"])]),
        ("spaces are data", " a , b \n", [Row(line: 1, fields: [" a ", " b "])]),
        ("UTF-8", "ñandú,µSv,€\n", [Row(line: 1, fields: ["ñandú", "µSv", "€"])]),
        ("long quoted multi-line", "k,\"" + String(repeating: "x\n", count: 50) + "\",end\nlast\n",
         [Row(line: 1, fields: ["k", String(repeating: "x\n", count: 50), "end"]), Row(line: 52, fields: ["last"])]),
    ]

    @Test("records and lines", arguments: cases.indices, chunkSizes)
    func records(caseIndex: Int, chunkSize: Int) throws {
        let c = Self.cases[caseIndex]
        let rows = try readRows(c.text, chunkSize: chunkSize)
        #expect(rows == c.rows, "\(c.name), chunk \(chunkSize)")
    }

    @Test("tiny chunks give the same records as large ones, on random CSV", arguments: 0..<20)
    func randomInputsAcrossChunkSizes(seed: Int) throws {
        var rng = SeededGenerator(seed: UInt64(seed))
        let alphabet: [String] = ["a", "1", ".", " ", ",", "\"", "\n", "\r\n", "é", "x"]
        var text = "h1,h2,h3\n"
        for _ in 0..<Int.random(in: 1...30, using: &rng) {
            let fields = (0..<Int.random(in: 1...4, using: &rng)).map { _ in
                (0..<Int.random(in: 0...6, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined()
            }
            if fields == [""] { continue }  // would be an empty line
            text += csvLine(fields) + (Bool.random(using: &rng) ? "\n" : "\r\n")
        }
        let reference = try readRows(text, chunkSize: 1 << 16)
        for chunk in [1, 2, 3, 5, 7, 11] {
            #expect(try readRows(text, chunkSize: chunk) == reference, "seed \(seed), chunk \(chunk)")
        }
    }

    // MARK: Malformed input

    static let malformed: [(name: String, text: String, kind: CSVError.Kind, line: Int, description: String)] = [
        ("quote inside unquoted field", "a,b\n1,x\"y\",3\n", .quoteInUnquotedField, 2,
         "t.csv:2: field 2 has a quote inside an unquoted value (after \"x\"); a value containing quotes must be enclosed in quotes, with each inner quote doubled"),
        ("quote inside unquoted field after a multi-line field", "\"a\nb\",c\"\n", .quoteInUnquotedField, 2, ""),
        ("text after closing quote", "a\n\"ab\"c,d\n", .textAfterClosingQuote, 2,
         "t.csv:2: field 1 has text after its closing quote ('c'); a quoted value must end at the closing quote, and an inner quote is written \"\""),
        ("space after closing quote", "\"ab\" ,d\n", .textAfterClosingQuote, 1, ""),
        ("text after closing quote of a multi-line field", "x\n\"a\n\nb\"z\n", .textAfterClosingQuote, 4, ""),
        ("unterminated at EOF", "h\n1\n\"abc\n", .unterminatedQuote, 3, "t.csv:3: unterminated quoted field (opened on line 3)"),
        ("unterminated spanning lines", "h\n\"abc\nd\ne", .unterminatedQuote, 4, "t.csv:4: unterminated quoted field (opened on line 2)"),
        ("unterminated after a doubled quote", "\"a\"\"", .unterminatedQuote, 1, ""),
        ("bare CR", "a\rb\n", .bareCarriageReturn, 1, ""),
        ("bare CR after quoted field", "x\n\"a\"\rb\n", .bareCarriageReturn, 2, ""),
        ("bare CR on an empty line", "a\n\rb\n", .bareCarriageReturn, 2, ""),
    ]

    @Test("malformed quoting throws with the right line", arguments: malformed.indices, chunkSizes)
    func malformedInput(caseIndex: Int, chunkSize: Int) {
        let c = Self.malformed[caseIndex]
        let error = readError(c.text, chunkSize: chunkSize)
        #expect(error?.kind == c.kind, "\(c.name), chunk \(chunkSize)")
        #expect(error?.line == c.line, "\(c.name), chunk \(chunkSize)")
        #expect(error?.file == "t.csv")
        if !c.description.isEmpty { #expect(error?.description == c.description) }
    }

    @Test func recordsBeforeAMalformedOneAreDelivered() throws {
        let reader = CSVReader(bytes: Array("a\nb\n\"c".utf8), name: "t.csv", chunkSize: 2)
        #expect(try reader.next()?.line == 1)
        #expect(try reader.next()?.line == 2)
        #expect(throws: CSVError.self) { try reader.next() }
    }

    // MARK: Text

    @Test("invalid UTF-8 names file, line and column", arguments: chunkSizes)
    func invalidUTF8(chunkSize: Int) throws {
        let bytes = Array("id,name\n1,ok\n2,".utf8) + [0x61, 0xFF, 0x62] + Array("\n".utf8)
        let reader = CSVReader(bytes: bytes, name: "ops.csv", chunkSize: chunkSize)
        _ = try reader.readHeader()
        _ = try reader.next()
        let record = try #require(try reader.next())
        #expect(try record.string(at: 0) == "2")
        let error = #expect(throws: CSVError.self) { try record.string(at: 1) }
        #expect(error?.kind == .invalidUTF8)
        #expect(error?.line == 3)
        #expect(error?.column == "name")
        #expect(error?.description == "ops.csv:3: column name is not valid UTF-8 text (the file must be saved as UTF-8)")
        // Invalid bytes are fine where no text is made: as a number it is simply not one.
        #expect(record.double(at: 1) == nil)
    }

    @Test func truncatedUTF8SequenceIsInvalid() throws {
        let reader = CSVReader(bytes: [0xC3], name: "t.csv")
        let record = try #require(try reader.next())
        #expect(throws: CSVError.self) { try record.string(at: 0) }
        #expect(record.bytes(at: 0) == [0xC3])
    }

    @Test func fieldAccessors() throws {
        let reader = CSVReader(bytes: Array(" 1.5 ,\t-2e3\t,\"7\",x, ,\"\"\n".utf8), name: "t.csv")
        let r = try #require(try reader.next())
        #expect(r.count == 6)
        #expect(r.double(at: 0) == 1.5)
        #expect(r.double(at: 1) == -2000)
        #expect(r.double(at: 2) == 7)
        #expect(r.double(at: 3) == nil)
        #expect(r.double(at: 4) == nil)
        #expect(r.isBlank(at: 4))
        #expect(r.isBlank(at: 5))
        #expect(!r.isBlank(at: 3))
        #expect(r.equals("x", at: 3))
        #expect(!r.equals("x ", at: 3))
        #expect(r.bytes(at: 0) == Array(" 1.5 ".utf8))
    }

    @Test func headerSetsColumnNames() throws {
        let reader = CSVReader(bytes: Array("\n\nb,a\n".utf8), name: "t.csv")
        #expect(try reader.readHeader() == ["b", "a"])
        #expect(reader.columnNames == ["b", "a"])
        #expect(reader.headerLine == 3)
        #expect(try reader.next() == nil)
    }

    @Test func emptyInputHasNoHeader() {
        let error = #expect(throws: CSVError.self) { try CSVReader(bytes: Array("\n\r\n".utf8), name: "e.csv").readHeader() }
        #expect(error?.kind == .missingHeader)
        #expect(error?.description == "e.csv: the file is empty: a header row naming the columns is expected")
    }

    // MARK: Files

    @Test("reads files at every chunk size", arguments: chunkSizes)
    func readsFiles(chunkSize: Int) throws {
        var text = "\u{FEFF}id,note\r\n"
        var expected = [Row(line: 1, fields: ["id", "note"])]
        var line = 2
        for i in 0..<500 {
            let note = i % 7 == 0 ? "multi\nline, \"quoted\"" : "n\(i)"
            text += csvLine([String(i), note]) + "\r\n"
            expected.append(Row(line: line, fields: [String(i), note]))
            line += i % 7 == 0 ? 2 : 1
        }
        let path = try writeTemporaryFile(text)
        let reader = try CSVReader(path: path, chunkSize: chunkSize)
        #expect(reader.totalBytes == text.utf8.count)
        var rows: [Row] = []
        while let r = try reader.next() {
            rows.append(Row(line: r.line, fields: try (0..<r.count).map { i throws(CSVError) in try r.string(at: i) }))
        }
        #expect(rows == expected)
        #expect(reader.bytesRead == text.utf8.count)
        #expect(reader.sourceName == path)
    }

    @Test func missingFileCannotBeOpened() {
        let error = #expect(throws: CSVError.self) { try CSVReader(path: "/nonexistent/dir/p.csv") }
        #expect(error?.kind == .cannotOpen)
        #expect(error?.description == "/nonexistent/dir/p.csv: cannot open the file: No such file or directory.")
    }

    @Test func directoryCannotBeRead() throws {
        let folder = try makeTemporaryFolder()
        let reader = try CSVReader(path: folder.path, name: "folder")
        let error = #expect(throws: CSVError.self) { try reader.next() }
        #expect(error?.kind == .readFailed)
    }

    @Test func memoryStaysBoundedOnALargeInput() throws {
        // 200 000 short records through a 4 KiB chunk: the buffer never needs more than a chunk
        // plus one record, whatever the input size.
        var bytes: [UInt8] = []
        for i in 0..<200_000 { bytes += Array("\(i),\(i % 13).5\n".utf8) }
        let reader = CSVReader(bytes: bytes, name: "big.csv", chunkSize: 4096)
        var count = 0
        var sum = 0.0
        while let r = try reader.next() {
            count += 1
            sum += r.double(at: 1)!
        }
        #expect(count == 200_000)
        #expect(reader.scanner.bufferCapacity <= 2 * 4096)
        #expect(sum > 0)
    }
}
