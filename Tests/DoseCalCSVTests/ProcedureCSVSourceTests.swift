import DoseCalDomain
import Testing
@testable import DoseCalCSV

/// Reads all of `text` as procedures named `procedures.csv`.
func readProcedures(_ text: String, chunkSize: Int = CSVReader.defaultChunkSize) throws -> (records: [Procedure], rejections: [RowRejection]) {
    try readAll(ProcedureCSVSource(reader: CSVReader(bytes: Array(text.utf8), name: "procedures.csv", chunkSize: chunkSize)))
}

/// One expected rejection of a single bad row.
struct RejectionCase: CustomStringConvertible, Sendable {
    var column: String
    var value: String
    var rule: RejectionRule
    var reason: String? = nil
    var description: String { "\(column)=\(value.debugDescription) → \(rule.rawValue)" }
}

@Suite("ProcedureCSVSource")
struct ProcedureCSVSourceTests {
    static let columns = ProcedureCSVSource.requiredColumns + ProcedureCSVSource.optionalColumns
    static let valid: [String: String] = [
        "study_uid": "1.2.840.1", "started_at": "2024-03-05T10:15:00", "room": "Cath 1",
        "specialty": "cardiology", "procedure_type": "coronary angiography", "kap_gycm2": "25.5",
        "kap_fluoro_gycm2": "10.2", "kap_acq_gycm2": "15.3", "fluoro_time_s": "300",
        "ka_rp_mgy": "450", "ref_dosimeter_usv": "120",
    ]

    static func file(_ rows: [[String: String]], columns: [String] = columns) -> String {
        ([csvLine(columns)] + rows.map { row in csvLine(columns.map { row[$0] ?? "" }) }).joined(separator: "\n") + "\n"
    }

    /// The valid row with `changes` applied in order (a later change wins).
    static func valid(_ changes: KeyValuePairs<String, String>) -> [String: String] {
        var row = valid
        for (k, v) in changes { row[k] = v }
        return row
    }

    @Test func decodesEveryColumn() throws {
        let (records, rejections) = try readProcedures(Self.file([Self.valid]))
        #expect(rejections.isEmpty)
        #expect(records == [Procedure(
            studyUID: "1.2.840.1", startedAt: "2024-03-05T10:15:00", date: CivilDate(year: 2024, month: 3, day: 5)!,
            room: "Cath 1", specialty: "cardiology", procedureType: "coronary angiography", kapGyCm2: 25.5,
            kapFluoroGyCm2: 10.2, kapAcqGyCm2: 15.3, fluoroTimeS: 300, kaRPMilliGy: 450, refDosimeterMicroSv: 120)])
    }

    @Test func emptyOptionalValuesAndEmptyKAPAreNil() throws {
        let row = Self.valid(["kap_gycm2": "", "kap_fluoro_gycm2": "", "kap_acq_gycm2": " ", "fluoro_time_s": "", "ka_rp_mgy": "", "ref_dosimeter_usv": ""])
        let (records, rejections) = try readProcedures(Self.file([row]))
        #expect(rejections.isEmpty)
        let p = try #require(records.first)
        #expect(p.kapGyCm2 == nil && p.kapFluoroGyCm2 == nil && p.kapAcqGyCm2 == nil)
        #expect(p.fluoroTimeS == nil && p.kaRPMilliGy == nil && p.refDosimeterMicroSv == nil)
    }

    @Test func onlyRequiredColumnsAreNeeded() throws {
        let (records, rejections) = try readProcedures(Self.file([Self.valid], columns: ProcedureCSVSource.requiredColumns))
        #expect(rejections.isEmpty)
        #expect(records.first?.kapGyCm2 == 25.5)
        #expect(records.first?.refDosimeterMicroSv == nil)
    }

    @Test func valuesAreKeptOrTrimmedAsDocumented() throws {
        let row = Self.valid(["study_uid": " 1.2.3 ", "room": " Room 2", "kap_gycm2": " 3.5\t", "started_at": " 2024-01-02 ", "fluoro_time_s": "-0"])
        let (records, rejections) = try readProcedures(Self.file([row]))
        #expect(rejections.isEmpty)
        let p = try #require(records.first)
        #expect(p.studyUID == " 1.2.3 ")
        #expect(p.room == " Room 2")
        #expect(p.kapGyCm2 == 3.5)
        #expect(p.startedAt == "2024-01-02")
        #expect(p.fluoroTimeS?.sign == .plus)
    }

    static let rejections: [RejectionCase] = [
        RejectionCase(column: "study_uid", value: "", rule: .emptyRequired, reason: "study_uid is empty; it is required"),
        RejectionCase(column: "study_uid", value: "  ", rule: .emptyRequired),
        RejectionCase(column: "started_at", value: "", rule: .emptyRequired),
        RejectionCase(column: "started_at", value: "05/03/2024", rule: .malformedDate),
        RejectionCase(column: "started_at", value: "2024-13-01", rule: .malformedDate),
        RejectionCase(column: "started_at", value: "2023-02-29T10:00", rule: .malformedDate),
        RejectionCase(column: "started_at", value: "2024-03-05T25:00", rule: .malformedDate),
        RejectionCase(column: "started_at", value: "1969-12-31T23:59:59Z", rule: .dateOutOfRange,
                      reason: "started_at is in 1969, outside the accepted years 1970–2100"),
        RejectionCase(column: "started_at", value: "2101-01-01", rule: .dateOutOfRange),
        RejectionCase(column: "room", value: "", rule: .emptyRequired),
        RejectionCase(column: "specialty", value: " ", rule: .emptyRequired),
        RejectionCase(column: "procedure_type", value: "", rule: .emptyRequired),
        RejectionCase(column: "kap_gycm2", value: "abc", rule: .notANumber, reason: "kap_gycm2 is not a number"),
        RejectionCase(column: "kap_gycm2", value: "1,5", rule: .notANumber,
                      reason: "kap_gycm2 is not a number (the decimal separator is '.', not ',')"),
        RejectionCase(column: "kap_gycm2", value: "1e999", rule: .notANumber, reason: "kap_gycm2 is too large to be a finite number"),
        RejectionCase(column: "kap_gycm2", value: "nan", rule: .notANumber),
        RejectionCase(column: "kap_gycm2", value: "-1", rule: .negativeValue,
                      reason: "kap_gycm2 is negative; a kerma-area product cannot be below zero"),
        RejectionCase(column: "kap_fluoro_gycm2", value: "-0.1", rule: .negativeValue),
        RejectionCase(column: "kap_acq_gycm2", value: "inf", rule: .notANumber),
        RejectionCase(column: "fluoro_time_s", value: "5 min", rule: .notANumber),
        RejectionCase(column: "fluoro_time_s", value: "-3", rule: .negativeValue, reason: "fluoro_time_s is negative; a time cannot be below zero"),
        RejectionCase(column: "ka_rp_mgy", value: "-5", rule: .negativeValue, reason: "ka_rp_mgy is negative; an air kerma cannot be below zero"),
        RejectionCase(column: "ka_rp_mgy", value: "0x10", rule: .notANumber),
        RejectionCase(column: "ref_dosimeter_usv", value: "-1e-3", rule: .negativeValue,
                      reason: "ref_dosimeter_usv is negative; a dose cannot be below zero"),
        RejectionCase(column: "ref_dosimeter_usv", value: "12 µSv", rule: .notANumber),
    ]

    @Test("each bad value is rejected with file, line, column, value", arguments: rejections)
    func rejection(c: RejectionCase) throws {
        // A good row, a multi-line good row, then the bad one on line 5.
        let text = Self.file([
            Self.valid(["study_uid": "a"]),
            Self.valid(["study_uid": "b", "procedure_type": "biliary\ndrainage"]),
            Self.valid(["study_uid": "c", c.column: c.value]),
        ])
        let (records, rejections) = try readProcedures(text)
        #expect(records.map(\.studyUID) == ["a", "b"])
        #expect(records[1].procedureType == "biliary\ndrainage")
        let r = try #require(rejections.first)
        #expect(rejections.count == 1)
        #expect(r.rule == c.rule)
        #expect(r.location == SourceLocation(file: "procedures.csv", line: 5, column: c.column, value: c.value))
        if let reason = c.reason { #expect(r.reason == reason) }
    }

    @Test func firstProblemInColumnOrderIsReported() throws {
        let (_, rejections) = try readProcedures(Self.file([Self.valid(["room": "", "kap_gycm2": "-1", "started_at": "x"])]))
        #expect(rejections.map(\.rule) == [.malformedDate])
    }

    @Test func duplicateStudyIsRejectedAndTheFirstKept() throws {
        let text = Self.file([
            Self.valid(["study_uid": "s1"]),
            Self.valid(["study_uid": "s2"]),
            Self.valid(["study_uid": "s1", "room": "Other"]),
            Self.valid(["study_uid": "s1"]),
        ])
        let (records, rejections) = try readProcedures(text)
        #expect(records.map(\.studyUID) == ["s1", "s2"])
        #expect(records[0].room == "Cath 1")
        #expect(rejections.count == 2)
        #expect(rejections.allSatisfy { $0.rule == .duplicateInImport })
        #expect(rejections[0].location == SourceLocation(file: "procedures.csv", line: 4, column: "study_uid", value: "s1"))
        #expect(rejections[0].reason == "duplicate study_uid: line 2 has the same; each appears once per file, the first is kept and later ones are rejected")
        #expect(rejections[1].location.line == 5)
        #expect(rejections[1].reason == "identical duplicate of line 2 (same study_uid); each appears once per file, the first is kept")
    }

    @Test func aRejectedFirstRowStillClaimsItsStudy() throws {
        let text = Self.file([Self.valid(["study_uid": "s1", "kap_gycm2": "-4"]), Self.valid(["study_uid": "s1"])])
        let (records, rejections) = try readProcedures(text)
        #expect(records.isEmpty)
        #expect(rejections.map(\.rule) == [.negativeValue, .duplicateInImport])
    }

    @Test func studyUIDsDifferingInSpacesAreDistinct() throws {
        let (records, rejections) = try readProcedures(Self.file([Self.valid(["study_uid": "s1"]), Self.valid(["study_uid": "s1 "])]))
        #expect(records.count == 2)
        #expect(rejections.isEmpty)
    }

    @Test func wrongFieldCountIsRejected() throws {
        let text = csvLine(Self.columns) + "\n" + csvLine(Self.columns.map { Self.valid[$0]! }) + "\n1.2.3,2024-01-01,R\n"
        let (records, rejections) = try readProcedures(text)
        #expect(records.count == 1)
        let r = try #require(rejections.first)
        #expect(r.rule == .badValue)
        #expect(r.location == SourceLocation(file: "procedures.csv", line: 3))
        #expect(r.reason.hasPrefix("the row has 3 fields but the header has 11"))
    }

    @Test("columns in any order", arguments: 0..<12)
    func columnOrder(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let shuffled = (Self.columns + ["notes", "extra"]).shuffled(using: &rng)
        let rows = [Self.valid, Self.valid(["study_uid": "x", "kap_gycm2": "", "room": "R9", "notes": "n, \"q\""])]
        let (records, rejections) = try readProcedures(Self.file(rows, columns: shuffled))
        let (reference, _) = try readProcedures(Self.file(rows))
        #expect(rejections.isEmpty)
        #expect(records == reference)
    }

    @Test func tinyChunksGiveTheSameOutcome() throws {
        let text = Self.file(Self.rejections.enumerated().map { i, c in Self.valid(["study_uid": "u\(i)", c.column: c.value]) } + [Self.valid])
        let reference = try readProcedures(text)
        for chunk in [1, 3, 7] {
            let other = try readProcedures(text, chunkSize: chunk)
            #expect(other.records == reference.records)
            #expect(other.rejections == reference.rejections)
        }
        #expect(reference.rejections.count == Self.rejections.count)
        #expect(reference.records.count == 1)
    }

    @Test func readsAFileAndReportsProgress() throws {
        let text = Self.file([Self.valid])
        let path = try writeTemporaryFile(text, named: "procedures.csv")
        var source = try ProcedureCSVSource(path: path)
        #expect(source.sourceName == path)
        #expect(source.header == Self.columns)
        #expect(source.reader.totalBytes == text.utf8.count)
        guard case let .record(p, line)? = try source.next() else {
            Issue.record("expected a record")
            return
        }
        #expect(p.studyUID == "1.2.840.1")
        #expect(line == 2)
        #expect(try source.next() == nil)
        #expect(source.reader.bytesRead == text.utf8.count)
    }

    @Test func invalidUTF8InTextIsAnError() throws {
        var bytes = Array((csvLine(Self.columns) + "\n").utf8)
        bytes += Array("s1,2024-01-01,R".utf8) + [0xE9] + Array(",cardiology,t,1,,,,,\n".utf8)
        var source = try ProcedureCSVSource(reader: CSVReader(bytes: bytes, name: "procedures.csv"))
        let error = #expect(throws: CSVError.self) { try source.next() }
        #expect(error?.kind == .invalidUTF8)
        #expect(error?.line == 2)
        #expect(error?.column == "room")
    }
}
