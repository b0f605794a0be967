import DoseCalDomain
import Testing
@testable import DoseCalCSV

func readOperators(_ text: String) throws -> (records: [OperatorInfo], rejections: [RowRejection]) {
    try readAll(OperatorCSVSource(reader: CSVReader(bytes: Array(text.utf8), name: "operators.csv")))
}

func readMemory(_ text: String) throws -> (records: [DosimeterMemoryReading], rejections: [RowRejection]) {
    try readAll(MemoryCSVSource(reader: CSVReader(bytes: Array(text.utf8), name: "memory.csv")))
}

@Suite("OperatorCSVSource")
struct OperatorCSVSourceTests {
    @Test func decodesRoster() throws {
        let text = """
        operator_id,name,specialty,subspecialty,email
        op1,"García, Ana",cardiology,,a@x
        op2,,radiology,neuro,
        op3, Dr. Who ,radiology, ,
        """
        let (records, rejections) = try readOperators(text)
        #expect(rejections.isEmpty)
        #expect(records == [
            OperatorInfo(operatorID: "op1", specialty: "cardiology", name: "García, Ana", subspecialty: nil),
            OperatorInfo(operatorID: "op2", specialty: "radiology", name: nil, subspecialty: "neuro"),
            OperatorInfo(operatorID: "op3", specialty: "radiology", name: " Dr. Who ", subspecialty: nil),
        ])
    }

    @Test("rejections", arguments: [
        ("op9,\n", "specialty", "", RejectionRule.emptyRequired),
        (",cardiology\n", "operator_id", "", .emptyRequired),
        (" ,cardiology\n", "operator_id", " ", .emptyRequired),
    ])
    func rejection(row: String, column: String, value: String, rule: RejectionRule) throws {
        let (records, rejections) = try readOperators("operator_id,specialty\nop1,cardiology\n" + row)
        #expect(records.count == 1)
        #expect(rejections.map(\.rule) == [rule])
        #expect(rejections.first?.location == SourceLocation(file: "operators.csv", line: 3, column: column, value: value))
    }

    @Test func duplicateOperator() throws {
        let (records, rejections) = try readOperators("operator_id,specialty\nop1,cardiology\nop1,radiology\nop1,cardiology\n")
        #expect(records.map(\.specialty) == ["cardiology"])
        #expect(rejections.map(\.rule) == [.duplicateInImport, .duplicateInImport])
        #expect(rejections.map(\.location.line) == [3, 4])
        #expect(rejections[0].reason.hasPrefix("duplicate operator_id: line 2"))
        #expect(rejections[1].reason.hasPrefix("identical duplicate of line 2"))
    }

    @Test func missingAndDuplicateColumns() {
        let missing = #expect(throws: CSVError.self) { try readOperators("name,Specialty\n") }
        #expect(missing?.columns == ["operator_id", "specialty"])
        #expect(missing?.description == "operators.csv: missing required columns: operator_id, specialty (names must match exactly: 'Specialty' is not 'specialty')")
        let duplicate = #expect(throws: CSVError.self) { try readOperators("operator_id,specialty,operator_id\n") }
        #expect(duplicate?.kind == .duplicateColumns)
        #expect(duplicate?.columns == ["operator_id"])
        #expect(duplicate?.description == "operators.csv:1: duplicate column in the header: operator_id (each column may appear once)")
    }

    @Test func repeatedUnknownColumnsAreIgnored() throws {
        let (records, _) = try readOperators("note,operator_id,note,specialty\nx,op1,y,cardiology\n")
        #expect(records.map(\.operatorID) == ["op1"])
    }
}

@Suite("MemoryCSVSource")
struct MemoryCSVSourceTests {
    static let header = "dosimeter_id,read_at,cumulative_usv,period_from,period_to\n"

    @Test func decodesReadings() throws {
        let (records, rejections) = try readMemory(Self.header + "D1,2024-10-01T08:00:00+02:00,1234.5,2024-01-01,2024-09-30\nD2,2024-10-01,0,2024-09-30,2024-09-30\n")
        #expect(rejections.isEmpty)
        let first = try #require(records.first)
        #expect(first.dosimeterID == "D1")
        #expect(first.readAt == "2024-10-01T08:00:00+02:00")
        #expect(first.cumulativeMicroSv == 1234.5)
        #expect(first.period.from == CivilDate(year: 2024, month: 1, day: 1))
        #expect(first.period.to == CivilDate(year: 2024, month: 9, day: 30))
        #expect(records[1].period.days == 1)
    }

    @Test("rejections", arguments: [
        (",2024-10-01,1,2024-01-01,2024-01-31", "dosimeter_id", "", RejectionRule.emptyRequired),
        ("D1,,1,2024-01-01,2024-01-31", "read_at", "", .emptyRequired),
        ("D1,01/10/2024,1,2024-01-01,2024-01-31", "read_at", "01/10/2024", .malformedDate),
        ("D1,2200-10-01,1,2024-01-01,2024-01-31", "read_at", "2200-10-01", .dateOutOfRange),
        ("D1,2024-10-01,,2024-01-01,2024-01-31", "cumulative_usv", "", .emptyRequired),
        ("D1,2024-10-01,-1,2024-01-01,2024-01-31", "cumulative_usv", "-1", .negativeValue),
        ("D1,2024-10-01,lots,2024-01-01,2024-01-31", "cumulative_usv", "lots", .notANumber),
        ("D1,2024-10-01,1,2024-1-1,2024-01-31", "period_from", "2024-1-1", .malformedDate),
        ("D1,2024-10-01,1,2024-01-01T00:00,2024-01-31", "period_from", "2024-01-01T00:00", .malformedDate),
        ("D1,2024-10-01,1,1960-01-01,2024-01-31", "period_from", "1960-01-01", .dateOutOfRange),
        ("D1,2024-10-01,1,2024-01-01,2024-02-30", "period_to", "2024-02-30", .malformedDate),
        ("D1,2024-10-01,1,2024-01-01,", "period_to", "", .emptyRequired),
        ("D1,2024-10-01,1,2024-02-01,2024-01-31", "period_to", "2024-01-31", .badValue),
    ])
    func rejection(row: String, column: String, value: String, rule: RejectionRule) throws {
        let (records, rejections) = try readMemory(Self.header + "D0,2024-10-01,5,2024-01-01,2024-01-31\n" + row + "\n")
        #expect(records.count == 1)
        #expect(rejections.map(\.rule) == [rule])
        #expect(rejections.first?.location == SourceLocation(file: "memory.csv", line: 3, column: column, value: value))
    }

    @Test func periodEndBeforeStartSaysSo() throws {
        let (_, rejections) = try readMemory(Self.header + "D1,2024-10-01,1,2024-02-01,2024-01-31\n")
        #expect(rejections.first?.reason == "period_to (2024-01-31) is before period_from (2024-02-01)")
    }

    @Test func missingColumns() {
        let error = #expect(throws: CSVError.self) { try readMemory("dosimeter_id,cumulative_usv\n") }
        #expect(error?.columns == ["read_at", "period_from", "period_to"])
    }
}
