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
        // Foreign keys are off while a step runs and checked before it commits (GRDB's default):
        // the rebuild drops `procedures` while the old `exposures` still refers to it.
        m.registerMigration("v4-procedure-ids") { db in try db.execute(sql: procedureIDs) }
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
    /// whole rows. (v4, ``procedureIDs``, keys exposures by an integer procedure id.)
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

    /// Exposures refer to their procedure by an integer key: `procedures.id` (the rowid, kept
    /// from v1, so in import order) with `study_uid` a unique column, and `exposures` keyed by
    /// `(procedure_id, operator_id)`. Rebuilt from the v1 tables in the step's transaction.
    ///
    /// Per bulk-imported exposure this trades the text key's random B-tree insert and the
    /// foreign-key probe of `procedures`' text key for one probe of `study_uid`'s unique index
    /// (the import resolves the study there, see ``ExposureKind/insertSQL(rows:)``) and an
    /// insert into an integer key, which is an append when exposures come in their procedures'
    /// order.
    ///
    /// `procedure_id` declares no foreign key: the import takes it from `procedures` in the
    /// inserting statement itself (an unknown study gives NULL, which `NOT NULL` refuses), and
    /// DoseCal never deletes or re-keys a procedure, so a declared key would only probe again,
    /// per row, what the statement has just read (measured 10–15 % of a bulk import).
    /// `exposures` keeps its rowid: the import tells a group's inserted rows by rowid (see
    /// ``BatchedInsert``), and `WITHOUT ROWID` measured only about 3 % faster to bulk-load.
    static let procedureIDs = """
        CREATE TABLE procedures_v4 (
            id INTEGER PRIMARY KEY,
            study_uid TEXT NOT NULL UNIQUE,
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
        INSERT INTO procedures_v4 (
            id, study_uid, started_at, date, day, room, specialty, procedure_type, kap_gycm2, kap_fluoro_gycm2,
            kap_acq_gycm2, fluoro_time_s, ka_rp_mgy, ref_dosimeter_usv, manufacturer, model, station,
            irradiation_events, import_id)
        SELECT rowid, study_uid, started_at, date, day, room, specialty, procedure_type, kap_gycm2, kap_fluoro_gycm2,
               kap_acq_gycm2, fluoro_time_s, ka_rp_mgy, ref_dosimeter_usv, manufacturer, model, station,
               irradiation_events, import_id
        FROM procedures ORDER BY rowid;

        CREATE TABLE exposures_v4 (
            procedure_id INTEGER NOT NULL,
            operator_id TEXT NOT NULL,
            dosimeter_id TEXT NOT NULL,
            role TEXT,
            hp10_usv REAL NOT NULL,
            hp10_fluoro_usv REAL,
            hp10_acq_usv REAL,
            import_id INTEGER,
            PRIMARY KEY (procedure_id, operator_id)
        );
        INSERT INTO exposures_v4 (
            rowid, procedure_id, operator_id, dosimeter_id, role, hp10_usv, hp10_fluoro_usv, hp10_acq_usv, import_id)
        SELECT e.rowid, p.id, e.operator_id, e.dosimeter_id, e.role, e.hp10_usv, e.hp10_fluoro_usv, e.hp10_acq_usv,
               e.import_id
        FROM exposures e JOIN procedures_v4 p ON p.study_uid = e.study_uid ORDER BY e.rowid;

        DROP TABLE exposures;
        DROP TABLE procedures;
        ALTER TABLE procedures_v4 RENAME TO procedures;
        ALTER TABLE exposures_v4 RENAME TO exposures;
        CREATE INDEX procedures_by_day ON procedures (day, study_uid);
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
