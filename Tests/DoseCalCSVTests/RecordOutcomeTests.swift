import DoseCalDomain
import Testing
@testable import DoseCalCSV

/// `outcome(ofRecord:line:)` decodes one row from its bytes alone exactly as `next()` decodes
/// that row of the whole file: same record, same rule, sentence, column, value and line.
@Suite("One record decoded alone")
struct RecordOutcomeTests {
    /// A file from record texts (no line ends; a quoted field may hold one), each followed by
    /// `end`, with an empty line after every seventh; and each record's bytes and first line.
    static func file(header: String, records: [String], end: String) -> (bytes: [UInt8], rows: [(raw: [UInt8], line: Int)]) {
        var text = header + end, line = 2
        var rows: [(raw: [UInt8], line: Int)] = []
        for (i, r) in records.enumerated() {
            rows.append((Array(r.utf8), line))
            text += r + end
            line += 1 + r.filter { $0 == "\n" }.count
            if i % 7 == 6 {
                text += end
                line += 1
            }
        }
        return (Array(text.utf8), rows)
    }

    /// Rows of every kind, the field count's rejection, a quoted line break, a leading
    /// U+FEFF (text in the middle of a file, not a byte-order mark) and non-ASCII text.
    static func records(valid: [String: String], columns: [String], cases: [RejectionCase]) -> [String] {
        func row(_ changes: [String: String]) -> String {
            csvLine(columns.map { changes[$0] ?? valid[$0] ?? "" })
        }
        var out = cases.enumerated().map { i, c in
            var changes = ["study_uid": "u\(i)"]
            changes[c.column] = c.value
            return row(changes)
        }
        out.append(row(["study_uid": "multi", "room": "Cath\n2", "dosimeter_id": "D\n12"]))
        out.append(row(["study_uid": "\u{FEFF}bom"]))
        out.append(row(["study_uid": "élan", "specialty": "radiologie interventionnelle", "operator_id": "Zoë"]))
        out.append(row(["study_uid": "ok"]))
        out.append(row(["study_uid": "short"]) + ",extra")
        out.append("only-one-field")
        return out
    }

    static func expectSame<R: Equatable>(_ alone: RowOutcome<R>?, _ inFile: RowOutcome<R>?, _ raw: [UInt8]) {
        let text = String(decoding: raw, as: UTF8.self)
        switch (alone, inFile) {
        case let (.record(a, la)?, .record(b, lb)?):
            #expect(a == b && la == lb, "\(text)")
        case let (.rejected(a)?, .rejected(b)?):
            #expect(a == b, "\(text)")
        default:
            Issue.record("\(text): alone \(String(describing: alone)), in the file \(String(describing: inFile))")
        }
    }

    /// Reads the file of `records` with `open` twice: row by row with `next()`, and each
    /// record alone with `alone`; the outcomes must be the same. Returns the rows rejected.
    static func compare<Source: RecordSource>(
        columns: [String], valid: [String: String], cases: [RejectionCase], end: String, name: String,
        open: (CSVReader) throws -> Source, alone: (Source, UnsafeRawBufferPointer, Int) throws -> RowOutcome<Source.Record>?
    ) throws -> Int where Source.Record: Equatable {
        let (bytes, rows) = file(header: csvLine(columns), records: records(valid: valid, columns: columns, cases: cases), end: end)
        var whole = try open(CSVReader(bytes: bytes, name: name))
        let single = try open(CSVReader(bytes: bytes, name: name))
        var rejected = 0
        for row in rows {
            let inFile = try whole.next()
            if case .rejected? = inFile { rejected += 1 }
            let outcome = try row.raw.withUnsafeBytes { try alone(single, $0, row.line) }
            expectSame(outcome, inFile, row.raw)
        }
        #expect(try whole.next() == nil)
        return rejected
    }

    @Test("procedures, LF and CRLF", arguments: ["\n", "\r\n"])
    func procedures(end: String) throws {
        let rejected = try Self.compare(
            columns: ProcedureCSVSourceTests.columns, valid: ProcedureCSVSourceTests.valid, cases: ProcedureCSVSourceTests.rejections,
            end: end, name: "procedures.csv", open: { try ProcedureCSVSource(reader: $0) },
            alone: { try $0.outcome(ofRecord: $1, line: $2) })
        #expect(rejected == ProcedureCSVSourceTests.rejections.count + 2)
    }

    @Test("exposures, LF and CRLF", arguments: ["\n", "\r\n"])
    func exposures(end: String) throws {
        let rejected = try Self.compare(
            columns: ExposureCSVSourceTests.columns, valid: ExposureCSVSourceTests.valid, cases: ExposureCSVSourceTests.rejections,
            end: end, name: "exposures.csv", open: { try ExposureCSVSource(reader: $0) },
            alone: { try $0.outcome(ofRecord: $1, line: $2) })
        #expect(rejected == ExposureCSVSourceTests.rejections.count + 2)
    }

    @Test("a record that is not well-formed CSV throws the reader's error, at the record's line")
    func malformed() throws {
        let source = try ProcedureCSVSource(reader: CSVReader(bytes: Array((csvLine(ProcedureCSVSourceTests.columns) + "\n").utf8),
                                                              name: "procedures.csv"))
        let raw = Array("\"unclosed,2024-01-01".utf8)
        #expect {
            _ = try raw.withUnsafeBytes { try source.outcome(ofRecord: $0, line: 41) }
        } throws: { error in
            (error as? CSVError)?.line == 41
        }
    }
}
