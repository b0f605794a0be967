import Foundation
import DoseCalDomain
import GRDB
import Testing
@testable import DoseCalStore

@Suite("Schema and migrations")
struct SchemaTests {
    @Test func freshFileIsMigratedAndReopensUnchanged() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("dosecal.sqlite")
        let store = try DoseStore(path: path)
        #expect(try store.appliedMigrations() == ["v1-records", "v2-thresholds", "v3-settings", "v4-procedure-ids"])
        let tables = try store.queue.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        }
        #expect(tables == ["exposures", "grdb_migrations", "imports", "memory_readings", "operators", "procedures",
                           "settings", "threshold_activations", "threshold_versions"])
        #expect(try store.queue.read { db in try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") } == true)
        let key = try store.labKey()
        #expect(key.count == 64 && key.allSatisfy(\.isHexDigit))
        #expect(try store.counts() == StoreCounts(procedures: 0, exposures: 0, operators: 0, memoryReadings: 0,
                                                  imports: 0, thresholdVersions: 0, activations: 0))

        var source = ArraySource("procedures.csv", records: sampleProcedures)
        _ = try store.importProcedures(from: &source)
        let reopened = try DoseStore(path: path)
        #expect(try reopened.labKey() == key)
        #expect(try reopened.counts().procedures == sampleProcedures.count)
        #expect(try reopened.appliedMigrations() == ["v1-records", "v2-thresholds", "v3-settings", "v4-procedure-ids"])
    }

    @Test func eachStoreHasItsOwnLabKey() throws {
        #expect(try DoseStore.inMemory().labKey() != DoseStore.inMemory().labKey())
    }

    @Test func fileFromANewerDoseCalIsRefused() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("dosecal.sqlite")
        _ = try DoseStore(path: path)
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-future')") }
        try queue.close()
        #expect(throws: StoreError.newerSchema(path: path, unknownSteps: ["v9-future"])) { try DoseStore(path: path) }
    }

    @Test func aFileThatIsNotADatabaseGivesAStoreError() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("notes.sqlite")
        try Data("this is not a database, just some text long enough to fill a header page".utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: StoreError.self) { try DoseStore(path: path) }
        #expect(error?.description.contains("not a database") == true)
    }

    @Test func periodQueriesUseTheDayIndex() throws {
        let store = try sampleStore()
        let plan = try store.queue.read { db in
            try Row.fetchAll(db, sql: """
                EXPLAIN QUERY PLAN
                SELECT e.hp10_usv FROM procedures p JOIN exposures e ON e.procedure_id = p.id
                WHERE p.day BETWEEN 1 AND 2 ORDER BY p.day, p.study_uid, e.operator_id
                """).map { "\($0["detail"] as String)" }
        }
        #expect(plan.contains { $0.contains("procedures_by_day") }, "\(plan)")
        // The index gives the order of procedures; only each procedure's few exposures are sorted.
        #expect(!plan.contains { $0.contains("TEMP B-TREE FOR ORDER BY") }, "\(plan)")
    }
}
