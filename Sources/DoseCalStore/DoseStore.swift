import DoseCalDomain
import Foundation
import GRDB

/// DoseCal's embedded store: one SQLite file holding the records (procedures, exposures,
/// roster, dosimeter memory readings), the log of imports, the immutable threshold versions
/// and their activations (SPEC §2, §5, §9).
///
/// The file is created on first use and brought to the current schema by named, ordered
/// migrations (`v1-records`, `v2-thresholds`, `v3-settings`, `v4-procedure-ids`); a file
/// migrated by a newer DoseCal is refused rather than misread. Foreign keys are enforced. The
/// journal is SQLite's default rollback journal: the store is one file at rest that a
/// physicist can copy, back up or open with `sqlite3`, and DoseCal has one writer at a time.
///
/// Imports are atomic: each runs in one write transaction (see ``importBatch(_:)``), so a
/// failed import leaves the store exactly as it was. Stored records are never overwritten.
///
/// The class is `Sendable`: every access goes through one serial GRDB `DatabaseQueue`.
public final class DoseStore: Sendable {
    let queue: DatabaseQueue
    /// The file path, or `:memory:`.
    public let path: String

    /// Opens (creating it on first use) the store at `path` and migrates it to the current schema.
    /// - Throws: ``StoreError/newerSchema(path:unknownSteps:)`` for a file written by a newer
    ///   DoseCal; ``StoreError/database(message:code:sql:arguments:)`` when SQLite cannot open or
    ///   migrate it (not a database, no permission…).
    public convenience init(path: String) throws {
        let queue = try mappingDatabaseErrors { try DatabaseQueue(path: path, configuration: DoseStore.configuration) }
        try self.init(queue: queue, path: path)
    }

    /// A fresh, private in-memory store (for tests and for `--procedures/--exposures` runs that
    /// want the store's queries without a file).
    public static func inMemory() throws -> DoseStore {
        let queue = try mappingDatabaseErrors { try DatabaseQueue(configuration: DoseStore.configuration) }
        return try DoseStore(queue: queue, path: ":memory:")
    }

    private init(queue: DatabaseQueue, path: String) throws {
        self.queue = queue
        self.path = path
        try mappingDatabaseErrors {
            let unknown = try queue.read { db in
                try Schema.migrator.appliedIdentifiers(db).subtracting(Schema.migrator.migrations)
            }
            guard unknown.isEmpty else { throw StoreError.newerSchema(path: path, unknownSteps: unknown.sorted()) }
            try Schema.migrator.migrate(queue)
        }
    }

    static var configuration: Configuration {
        var c = Configuration()
        c.label = "DoseCal"
        c.foreignKeysEnabled = true
        // Another process (a `sqlite3` shell) may hold the file briefly.
        c.busyMode = .timeout(10)
        // Errors name the offending values; the store holds pseudonymous records only.
        c.publicStatementArguments = true
        c.prepareDatabase { db in
            // 16 KiB pages (effective only when the file is created): shallower B-trees, 15–20 %
            // faster bulk imports than the default 4 KiB. A 64 MiB page cache: bulk imports
            // insert keys in arbitrary order.
            try db.execute(sql: "PRAGMA page_size = 16384; PRAGMA cache_size = -65536")
        }
        return c
    }

    /// The schema steps applied to this store, in order.
    public func appliedMigrations() throws -> [String] {
        try read { db in try Schema.migrator.appliedMigrations(db) }
    }

    // MARK: Settings

    /// The lab's secret for stable pseudonyms (``DoseCalDomain/Pseudonymizer``), created at random
    /// with the store and never changed.
    public func labKey() throws -> String {
        try read { db in
            guard let key = try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'lab_key'") else {
                throw StoreError.database(message: "the settings table has no lab_key", code: 0, sql: nil, arguments: nil)
            }
            return key
        }
    }

    /// Rows in each table.
    public func counts() throws -> StoreCounts {
        try read { db in
            func count(_ table: String) throws -> Int {
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
            }
            return StoreCounts(
                procedures: try count("procedures"), exposures: try count("exposures"),
                operators: try count("operators"), memoryReadings: try count("memory_readings"),
                imports: try count("imports"), thresholdVersions: try count("threshold_versions"),
                activations: try count("threshold_activations"))
        }
    }

    // MARK: Access

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try mappingDatabaseErrors { try queue.read(body) }
    }

    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try mappingDatabaseErrors { try queue.write(body) }
    }
}

/// Rows in each table of the store.
public struct StoreCounts: Sendable, Hashable, Codable {
    public var procedures: Int
    public var exposures: Int
    public var operators: Int
    public var memoryReadings: Int
    public var imports: Int
    public var thresholdVersions: Int
    public var activations: Int

    public init(procedures: Int, exposures: Int, operators: Int, memoryReadings: Int, imports: Int,
                thresholdVersions: Int, activations: Int) {
        self.procedures = procedures
        self.exposures = exposures
        self.operators = operators
        self.memoryReadings = memoryReadings
        self.imports = imports
        self.thresholdVersions = thresholdVersions
        self.activations = activations
    }
}

/// The current UTC time as ISO 8601 (`2024-10-01T08:30:00Z`), computed without a formatter.
func utcTimestamp(_ date: Date = Date()) -> String {
    let seconds = Int(date.timeIntervalSince1970.rounded(.down))
    let day = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let s = seconds - day * 86_400
    func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    return "\(CivilDate(dayNumber: day))T\(pad(s / 3600)):\(pad(s / 60 % 60)):\(pad(s % 60))Z"
}
