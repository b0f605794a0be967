import GRDB

/// The store's schema as named, ordered migrations. A step, once released, never changes: a
/// new need is a new step appended at the end.
///
/// Units are in the column names (SPEC §2): µSv `_usv`, Gy·cm² `_gycm2`, mGy `_mgy`, s `_s`.
/// Dates are text `YYYY-MM-DD`; `procedures.day` is the same date as days since 1970-01-01
/// (``DoseCalDomain/CivilDate/dayNumber``), the indexed column period queries use.
enum Schema {
    static let migrator: DatabaseMigrator = {
        var m = DatabaseMigrator()
        m.registerMigration("v1-records") { db in try db.execute(sql: records) }
        m.registerMigration("v2-thresholds") { db in try db.execute(sql: thresholds) }
        m.registerMigration("v3-settings") { db in
            try db.execute(sql: settings)
            try db.execute(sql: "INSERT INTO settings (key, value) VALUES ('lab_key', ?)", arguments: [randomKey()])
        }
        return m
    }()

    /// 32 random bytes as hex: the lab's secret for pseudonyms.
    static func randomKey() -> String {
        var rng = SystemRandomNumberGenerator()
        return (0..<32).map { _ in
            let b = UInt8.random(in: 0...255, using: &rng)
            return String(b >> 4, radix: 16) + String(b & 15, radix: 16)
        }.joined()
    }

    /// Records, keyed by their natural keys, and the log of the imports that stored them
    /// (`import_id`, a plain column: no per-row foreign-key check for provenance).
    ///
    /// Every index costs each bulk-inserted exposure another random B-tree insert, so only the
    /// indexes the queries use exist: procedures by `day, study_uid` (period queries, in the
    /// order they stream) and by `date` (ad-hoc
    /// SQL), exposures by key (`study_uid` first: the join) and by operator. Tables keep their
    /// rowid: `WITHOUT ROWID` measured 2–5× slower to bulk-load, since its interior pages hold
    /// whole rows.
    static let records = """
        CREATE TABLE imports (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            source TEXT NOT NULL,
            file_hash TEXT,
            imported_at TEXT NOT NULL,
            rows_read INTEGER NOT NULL DEFAULT 0,
            rows_imported INTEGER NOT NULL DEFAULT 0,
            rows_unchanged INTEGER NOT NULL DEFAULT 0,
            rows_rejected INTEGER NOT NULL DEFAULT 0,
            UNIQUE (kind, file_hash)
        );

        CREATE TABLE procedures (
            study_uid TEXT NOT NULL PRIMARY KEY,
            started_at TEXT NOT NULL,
            date TEXT NOT NULL,
            day INTEGER NOT NULL,
            room TEXT NOT NULL,
            specialty TEXT NOT NULL,
            procedure_type TEXT NOT NULL,
            kap_gycm2 REAL,
            kap_fluoro_gycm2 REAL,
            kap_acq_gycm2 REAL,
            fluoro_time_s REAL,
            ka_rp_mgy REAL,
            ref_dosimeter_usv REAL,
            manufacturer TEXT,
            model TEXT,
            station TEXT,
            irradiation_events INTEGER,
            import_id INTEGER
        );
        CREATE INDEX procedures_by_day ON procedures (day, study_uid);

        CREATE TABLE exposures (
            study_uid TEXT NOT NULL REFERENCES procedures (study_uid),
            operator_id TEXT NOT NULL,
            dosimeter_id TEXT NOT NULL,
            role TEXT,
            hp10_usv REAL NOT NULL,
            hp10_fluoro_usv REAL,
            hp10_acq_usv REAL,
            import_id INTEGER,
            PRIMARY KEY (study_uid, operator_id)
        );

        CREATE TABLE operators (
            operator_id TEXT NOT NULL PRIMARY KEY,
            specialty TEXT NOT NULL,
            name TEXT,
            subspecialty TEXT,
            import_id INTEGER
        );

        CREATE TABLE memory_readings (
            dosimeter_id TEXT NOT NULL,
            read_at TEXT NOT NULL,
            cumulative_usv REAL NOT NULL,
            period_from TEXT NOT NULL,
            period_to TEXT NOT NULL,
            import_id INTEGER,
            PRIMARY KEY (dosimeter_id, period_from, period_to)
        );
        """

    /// Threshold versions and their activations, immutable in the database itself: triggers
    /// abort any UPDATE or DELETE, and any INSERT that would reuse a key (which `INSERT OR
    /// REPLACE` would otherwise turn into a silent delete).
    static let thresholds = """
        CREATE TABLE threshold_versions (
            version INTEGER PRIMARY KEY CHECK (version >= 1),
            created_at TEXT NOT NULL,
            author TEXT NOT NULL,
            note TEXT NOT NULL,
            period_from TEXT NOT NULL,
            period_to TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            derived_from INTEGER REFERENCES threshold_versions (version),
            body TEXT NOT NULL
        );
        CREATE TRIGGER threshold_versions_no_update BEFORE UPDATE ON threshold_versions
        BEGIN SELECT RAISE(ABORT, 'threshold versions are immutable'); END;
        CREATE TRIGGER threshold_versions_no_delete BEFORE DELETE ON threshold_versions
        BEGIN SELECT RAISE(ABORT, 'threshold versions are immutable'); END;
        CREATE TRIGGER threshold_versions_no_replace BEFORE INSERT ON threshold_versions
        WHEN EXISTS (SELECT 1 FROM threshold_versions WHERE version = NEW.version)
        BEGIN SELECT RAISE(ABORT, 'threshold versions are immutable'); END;

        CREATE TABLE threshold_activations (
            sequence INTEGER PRIMARY KEY AUTOINCREMENT,
            version INTEGER NOT NULL REFERENCES threshold_versions (version),
            effective TEXT NOT NULL,
            activated_at TEXT NOT NULL
        );
        CREATE TRIGGER threshold_activations_no_update BEFORE UPDATE ON threshold_activations
        BEGIN SELECT RAISE(ABORT, 'threshold activations are append-only'); END;
        CREATE TRIGGER threshold_activations_no_delete BEFORE DELETE ON threshold_activations
        BEGIN SELECT RAISE(ABORT, 'threshold activations are append-only'); END;
        CREATE TRIGGER threshold_activations_no_replace BEFORE INSERT ON threshold_activations
        WHEN EXISTS (SELECT 1 FROM threshold_activations WHERE sequence = NEW.sequence)
        BEGIN SELECT RAISE(ABORT, 'threshold activations are append-only'); END;
        """

    static let settings = """
        CREATE TABLE settings (
            key TEXT NOT NULL PRIMARY KEY,
            value TEXT NOT NULL
        );
        """
}
