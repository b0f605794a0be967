import DoseCalDomain
import Testing
@testable import DoseCalCSV

func readExposures(_ text: String, chunkSize: Int = CSVReader.defaultChunkSize) throws -> (records: [Exposure], rejections: [RowRejection]) {
    try readAll(ExposureCSVSource(reader: CSVReader(bytes: Array(text.utf8), name: "exposures.csv", chunkSize: chunkSize)))
}

@Suite("ExposureCSVSource")
struct ExposureCSVSourceTests {
    static let columns = ExposureCSVSource.requiredColumns + ExposureCSVSource.optionalColumns
    static let valid: [String: String] = [
        "study_uid": "1.2.840.1", "operator_id": "op7", "dosimeter_id": "D-12", "hp10_usv": "14.5",
        "role": "first", "hp10_fluoro_usv": "10", "hp10_acq_usv": "4.5",
    ]

    static func file(_ rows: [[String: String]], columns: [String] = columns, crlf: Bool = false) -> String {
        let end = crlf ? "\r\n" : "\n"
        return ([csvLine(columns)] + rows.map { row in csvLine(columns.map { row[$0] ?? "" }) }).joined(separator: end) + end
    }

    /// The valid row with `changes` applied in order (a later change wins).
    static func valid(_ changes: KeyValuePairs<String, String>) -> [String: String] {
        var row = valid
        for (k, v) in changes { row[k] = v }
        return row
    }

    @Test func decodesEveryColumn() throws {
        let (records, rejections) = try readExposures(Self.file([Self.valid], crlf: true))
        #expect(rejections.isEmpty)
        #expect(records == [Exposure(
            studyUID: "1.2.840.1", operatorID: "op7", dosimeterID: "D-12", role: .first,
            hp10MicroSv: 14.5, hp10FluoroMicroSv: 10, hp10AcqMicroSv: 4.5)])
    }

    @Test("role is case-insensitive, trimmed, optional", arguments: [
        ("first", OperatorRole.first), ("FIRST", .first), ("Second", .second), (" other ", .other), ("", nil), ("  ", nil),
    ] as [(String, OperatorRole?)])
    func roles(text: String, role: OperatorRole?) throws {
        let (records, rejections) = try readExposures(Self.file([Self.valid(["role": text])]))
        #expect(rejections.isEmpty)
        #expect(records.first?.role == role)
    }

    @Test func partsNeedNotAddUp() throws {
        let (records, rejections) = try readExposures(Self.file([Self.valid(["hp10_usv": "10", "hp10_fluoro_usv": "8", "hp10_acq_usv": "7"])]))
        #expect(rejections.isEmpty)
        #expect(records.count == 1)
    }

    @Test func onlyRequiredColumnsAreNeeded() throws {
        let (records, rejections) = try readExposures(Self.file([Self.valid], columns: ExposureCSVSource.requiredColumns))
        #expect(rejections.isEmpty)
        #expect(records.first?.role == nil)
        #expect(records.first?.hp10FluoroMicroSv == nil)
    }

    static let rejections: [RejectionCase] = [
        RejectionCase(column: "study_uid", value: "", rule: .emptyRequired),
        RejectionCase(column: "operator_id", value: " ", rule: .emptyRequired, reason: "operator_id is empty; it is required"),
        RejectionCase(column: "dosimeter_id", value: "", rule: .emptyRequired),
        RejectionCase(column: "hp10_usv", value: "", rule: .emptyRequired, reason: "hp10_usv is empty; it is required"),
        RejectionCase(column: "hp10_usv", value: "n/a", rule: .notANumber),
        RejectionCase(column: "hp10_usv", value: "3,2", rule: .notANumber),
        RejectionCase(column: "hp10_usv", value: "-0.5", rule: .negativeValue, reason: "hp10_usv is negative; a dose cannot be below zero"),
        RejectionCase(column: "hp10_usv", value: "1e400", rule: .notANumber),
        RejectionCase(column: "role", value: "primary", rule: .badValue, reason: "role must be first, second or other (any letter case), or empty"),
        RejectionCase(column: "role", value: "1", rule: .badValue),
        RejectionCase(column: "role", value: "fırst", rule: .badValue),
        RejectionCase(column: "hp10_fluoro_usv", value: "-2", rule: .negativeValue),
        RejectionCase(column: "hp10_acq_usv", value: "x", rule: .notANumber),
    ]

    @Test("each bad value is rejected with file, line, column, value", arguments: rejections)
    func rejection(c: RejectionCase) throws {
        let text = Self.file([Self.valid(["operator_id": "a"]), Self.valid(["operator_id": "b", c.column: c.value])])
        let (records, rejections) = try readExposures(text)
        #expect(records.map(\.operatorID) == ["a"])
        let r = try #require(rejections.first)
        #expect(rejections.count == 1)
        #expect(r.rule == c.rule)
        #expect(r.location == SourceLocation(file: "exposures.csv", line: 3, column: c.column, value: c.value))
        if let reason = c.reason { #expect(r.reason == reason) }
    }

    @Test func duplicatePairIsRejected() throws {
        let text = Self.file([
            Self.valid(["study_uid": "s1", "operator_id": "a"]),
            Self.valid(["study_uid": "s1", "operator_id": "b"]),
            Self.valid(["study_uid": "s2", "operator_id": "a"]),
            Self.valid(["study_uid": "s1", "operator_id": "a", "hp10_usv": "99"]),
            Self.valid(["study_uid": "s1", "operator_id": "b"]),
        ])
        let (records, rejections) = try readExposures(text)
        #expect(records.map { "\($0.studyUID)/\($0.operatorID)" } == ["s1/a", "s1/b", "s2/a"])
        #expect(records[0].hp10MicroSv == 14.5)
        #expect(rejections.count == 2)
        #expect(rejections[0].rule == .duplicateInImport)
        #expect(rejections[0].location == SourceLocation(file: "exposures.csv", line: 5, column: "study_uid, operator_id", value: "s1, a"))
        #expect(rejections[0].reason == "duplicate (study_uid, operator_id): line 2 has the same; each appears once per file, the first is kept and later ones are rejected")
        #expect(rejections[1].location.line == 6)
        #expect(rejections[1].reason.hasPrefix("identical duplicate of line 3"))
    }

    @Test func keyFieldsAreLengthDelimited() throws {
        // ("ab", "c") and ("a", "bc") concatenate alike but are different pairs.
        let text = Self.file([Self.valid(["study_uid": "ab", "operator_id": "c"]), Self.valid(["study_uid": "a", "operator_id": "bc"])])
        let (records, rejections) = try readExposures(text)
        #expect(records.count == 2)
        #expect(rejections.isEmpty)
    }

    @Test func manyDistinctPairsAreNotDuplicates() throws {
        var rows: [[String: String]] = []
        for s in 0..<3000 { for o in 0..<3 { rows.append(Self.valid(["study_uid": "1.2.\(s)", "operator_id": "op\(o)"])) } }
        rows.append(Self.valid(["study_uid": "1.2.0", "operator_id": "op1"]))
        let (records, rejections) = try readExposures(Self.file(rows))
        #expect(records.count == 9000)
        #expect(rejections.count == 1)
        #expect(rejections.first?.location.line == 9002)
        #expect(rejections.first?.reason.hasPrefix("identical duplicate of line 3 ") == true)
    }

    @Test("columns in any order", arguments: 0..<8)
    func columnOrder(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let shuffled = (Self.columns + ["comment"]).shuffled(using: &rng)
        let rows = [Self.valid, Self.valid(["operator_id": "z", "role": "", "hp10_acq_usv": ""])]
        let (records, rejections) = try readExposures(Self.file(rows, columns: shuffled))
        #expect(rejections.isEmpty)
        #expect(try records == readExposures(Self.file(rows)).records)
    }

    @Test func missingColumnsAreAllListed() {
        let error = #expect(throws: CSVError.self) {
            try ExposureCSVSource(reader: CSVReader(bytes: Array("study_uid,operator_id,role\n".utf8), name: "exposures.csv"))
        }
        #expect(error?.kind == .missingColumns)
        #expect(error?.columns == ["dosimeter_id", "hp10_usv"])
        #expect(error?.description == "exposures.csv: missing required columns: dosimeter_id, hp10_usv")
    }
}
