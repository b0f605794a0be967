import DoseCalDomain
import Foundation
import GRDB
import Testing
@testable import DoseCalStore

/// One scripted row of an in-memory source.
enum Scripted<Record: Sendable> {
    case record(Record)
    case rejected(RejectionRule, String)
    /// The source fails here, as a reader fails on a structurally broken file.
    case failure
}

struct SourceFailure: Error, Equatable {
    var line: Int
}

/// An in-memory ``RecordSource``: row i is on line i + 2 (line 1 is the header).
struct ArraySource<Record: Sendable>: RecordSource {
    let sourceName: String
    var rows: [Scripted<Record>]
    var index = 0

    init(_ name: String, _ rows: [Scripted<Record>]) {
        sourceName = name
        self.rows = rows
    }

    init(_ name: String, records: [Record]) {
        self.init(name, records.map { .record($0) })
    }

    mutating func next() throws -> RowOutcome<Record>? {
        guard index < rows.count else { return nil }
        defer { index += 1 }
        let line = index + 2
        switch rows[index] {
        case let .record(r): return .record(r, line: line)
        case let .rejected(rule, reason):
            return .rejected(RowRejection(location: SourceLocation(file: sourceName, line: line), rule: rule, reason: reason))
        case .failure: throw SourceFailure(line: line)
        }
    }
}

func day(_ text: String) -> CivilDate { CivilDate(iso: text)! }

func period(_ from: String, _ to: String) throws -> Period { try Period(from: day(from), to: day(to)) }

func procedure(_ uid: String, _ date: String, specialty: String = "cardiology", type: String = "coronary angiography",
               room: String = "C1", kap: Double? = 20, ref: Double? = 100) -> Procedure {
    Procedure(studyUID: uid, startedAt: "\(date)T09:30:00", date: day(date), room: room, specialty: specialty,
              procedureType: type, kapGyCm2: kap, kapFluoroGyCm2: kap.map { $0 / 2 }, fluoroTimeS: 300,
              kaRPMilliGy: 150, refDosimeterMicroSv: ref)
}

func exposure(_ uid: String, _ op: String, hp10: Double, dosimeter: String? = nil, role: OperatorRole? = .first) -> Exposure {
    Exposure(studyUID: uid, operatorID: op, dosimeterID: dosimeter ?? "D-\(op)", role: role, hp10MicroSv: hp10,
             hp10FluoroMicroSv: hp10 / 2, hp10AcqMicroSv: hp10 / 2)
}

/// Three months of cardiology and radiology, two procedures on the boundary days of Feb.
let sampleProcedures: [Procedure] = [
    procedure("1.1", "2024-01-31"),
    procedure("1.2", "2024-02-01"),
    procedure("1.3", "2024-02-15", specialty: "radiology", type: "biliary drainage", room: "R1", kap: 5, ref: nil),
    procedure("1.4", "2024-02-29", specialty: "radiology", type: "spinal infiltration", room: "R1", kap: nil, ref: 40),
    procedure("1.5", "2024-03-01"),
]

let sampleExposures: [Exposure] = [
    exposure("1.1", "OP1", hp10: 10),
    exposure("1.2", "OP1", hp10: 12.5),
    exposure("1.2", "OP2", hp10: 3.25, role: .second),
    exposure("1.3", "OP3", hp10: 20),
    exposure("1.4", "OP3", hp10: 30, role: nil),
    exposure("1.4", "OP1", hp10: 1, role: .other),
    exposure("1.5", "OP2", hp10: 7),
]

/// A store holding the sample records.
func sampleStore() throws -> DoseStore {
    let store = try DoseStore.inMemory()
    var p = ArraySource("procedures.csv", records: sampleProcedures)
    var e = ArraySource("exposures.csv", records: sampleExposures)
    try store.importBatch { batch in
        _ = try batch.importProcedures(from: &p, fileHash: "hp")
        _ = try batch.importExposures(from: &e, fileHash: "he")
    }
    return store
}

/// Every row of every table, as text, for before/after comparisons.
func dump(_ store: DoseStore) throws -> [String: [String]] {
    try store.queue.read { db in
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        var result: [String: [String]] = [:]
        for table in tables {
            result[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(table)").map { "\($0)" }.sorted()
        }
        return result
    }
}

/// A temporary directory removed at deinit.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("dosecal-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Reads `direct` and `other` side by side and expects the same rows (as text) and the same
/// error at the same point, with nothing after the error. Returns that error, if any.
@discardableResult
func expectSameRowsAndError<A: RecordSource, B: RecordSource>(_ direct: inout A, _ other: inout B,
                                                               sourceLocation: Testing.SourceLocation = #_sourceLocation) throws
    -> SourceFailure? where A.Record == B.Record
{
    while true {
        let expected = Result { try direct.next() }
        let got = Result { try other.next() }
        switch (expected, got) {
        case let (.success(e), .success(g)):
            #expect("\(String(describing: e))" == "\(String(describing: g))", sourceLocation: sourceLocation)
            if e == nil { return nil }
        case let (.failure(e), .failure(g)):
            #expect(e as? SourceFailure == g as? SourceFailure, sourceLocation: sourceLocation)
            #expect(try other.next() == nil, "nothing after the error", sourceLocation: sourceLocation)
            return g as? SourceFailure
        default:
            Issue.record("direct \(expected), other \(got)", sourceLocation: sourceLocation)
            return nil
        }
    }
}

