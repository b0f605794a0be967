import DoseCalDomain
import GRDB
import Testing
@testable import DoseCalStore

/// `v4-procedure-ids` on a store written before it (text `study_uid` keys in `exposures`): the
/// same records, answers, re-import outcomes and messages as a store created with it.
@Suite("Migration v4: exposures keyed by procedure id")
struct MigrationTests {
    /// A file holding the sample records in the v3 schema, as DoseCal wrote it before v4:
    /// the steps up to `v3-settings`, then the rows and the imports log inserted with plain SQL.
    static func v3Store(at path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: "v3-settings")
        try queue.write { db in
            func insert(_ table: String, _ columns: [String], _ values: [DatabaseValue]) throws {
                let marks = Array(repeating: "?", count: values.count).joined(separator: ", ")
                try db.execute(sql: "INSERT INTO \(table) (\((columns + ["import_id"]).joined(separator: ", "))) VALUES (\(marks))",
                               arguments: StatementArguments(values))
            }
            for (kind, source, hash) in [("procedures", "procedures.csv", "hp"), ("exposures", "exposures.csv", "he")] {
                try db.execute(sql: "INSERT INTO imports (kind, source, file_hash, imported_at) VALUES (?, ?, ?, '2024-04-01T08:00:00Z')",
                               arguments: [kind, source, hash])
            }
            for p in sampleProcedures { try insert("procedures", ProcedureKind.columns, ProcedureKind.values(p, importID: 1.databaseValue)) }
            for e in sampleExposures { try insert("exposures", ExposureKind.columns, ExposureKind.values(e, importID: 2.databaseValue)) }
        }
        try queue.close()
    }

    static let year = try! period("2024-01-01", "2024-12-31")

    @Test func anOldStoreIsRebuiltWithTheSameRecords() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("v3.sqlite")
        try Self.v3Store(at: path)
        let store = try DoseStore(path: path)
        let fresh = try sampleStore()
        #expect(try store.appliedMigrations() == ["v1-records", "v2-thresholds", "v3-settings", "v4-procedure-ids"])
        #expect(try store.procedures(in: Self.year) == fresh.procedures(in: Self.year))
        #expect(try store.exposures(in: Self.year) == fresh.exposures(in: Self.year))
        var readings: [StoredReading] = [], freshReadings: [StoredReading] = []
        try store.forEachReading(in: Self.year) { readings.append($0) }
        try fresh.forEachReading(in: Self.year) { freshReadings.append($0) }
        #expect(readings == freshReadings && readings.count == sampleExposures.count)
        #expect(try store.contentHash(in: Self.year) == fresh.contentHash(in: Self.year))
        #expect(try store.storedSums(in: Self.year) == fresh.storedSums(in: Self.year))
        #expect(try store.storedSum(dosimeterID: "D-OP1", period: Self.year) == 23.5)
        let feb = try period("2024-02-01", "2024-02-29")
        #expect(try store.indicatorBuilder(for: feb).indicators() == fresh.indicatorBuilder(for: feb).indicators())
        #expect(try store.counts() == fresh.counts())

        let (ids, columns, problems) = try store.queue.read { db in
            (try Int64.fetchAll(db, sql: "SELECT id FROM procedures ORDER BY study_uid"),
             try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info('exposures')"),
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM exposures WHERE procedure_id NOT IN (SELECT id FROM procedures)"))
        }
        #expect(ids == [1, 2, 3, 4, 5], "ids are the old rowids, in import order")
        #expect(columns.first == "procedure_id" && !columns.contains("study_uid"))
        #expect(problems == 0, "every exposure has its procedure")
    }

    @Test func aMigratedStoreImportsAsAFreshOne() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("v3.sqlite")
        try Self.v3Store(at: path)
        let migrated = try DoseStore(path: path)
        for store in [migrated, try sampleStore()] {
            var again = ArraySource("exposures.csv", records: sampleExposures)
            #expect(try store.importExposures(from: &again, fileHash: "he").alreadyImported)
            var rows = ArraySource("e2.csv", records: sampleExposures + [exposure("1.5", "OP9", hp10: 2), exposure("9.9", "OP1", hp10: 1)])
            let summary = try store.importExposures(from: &rows, fileHash: "e2")
            #expect(summary.unchanged == sampleExposures.count && summary.imported == 1)
            #expect(summary.rejections.map(\.location.line) == [sampleExposures.count + 3])
            #expect(summary.rejections.first?.rule == .unknownStudy)
            var conflicting = ArraySource("e3.csv", records: [exposure("1.2", "OP2", hp10: 9)])
            let error = #expect(throws: StoreError.self) { try store.importExposures(from: &conflicting, fileHash: "e3") }
            #expect(error?.description.hasPrefix("e3.csv:2: the exposures row with study_uid 1.2, operator_id OP2 is already stored") == true,
                    "\(String(describing: error))")
        }
        #expect(try migrated.exposures(in: Self.year).count == sampleExposures.count + 1)
    }
}
