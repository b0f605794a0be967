import DoseCalDomain
import GRDB

/// How one kind of record maps to its table: the columns compared on re-import (key columns
/// first), the row values, and what a foreign-key failure means. The import loop in
/// ``ImportSession`` is written once against this.
protocol StoredKind {
    associatedtype Record: Sendable
    /// The `imports.kind` and ``DoseCalDomain/ImportSummary/kind`` name.
    static var kind: String { get }
    static var table: String { get }
    /// Every column an import writes and a re-import compares, key columns first.
    static var columns: [String] { get }
    /// How many of ``columns`` form the primary key.
    static var keyCount: Int { get }
    /// The values of ``columns`` for a record, in order, then `importID` (the `import_id`
    /// column), in one array so that the per-row insert allocates once.
    static func values(_ record: Record, importID: DatabaseValue) -> [DatabaseValue]
    /// The rejection for a row (its ``values(_:importID:)``) whose reference to another table
    /// failed (``RawStatement/InsertOutcome/foreignKeyFailed``), or `nil` when that cannot happen
    /// for this kind (the error is then thrown).
    static func foreignKeyRejection(_ values: [DatabaseValue], at location: SourceLocation) -> RowRejection?
    /// Binds what ``values(_:importID:)`` would hold to the parameters `first + 1 …` of
    /// `statement`, straight from the record's fields (no array, no boxed values per row).
    static func bind(_ record: Record, importID: Int64, to statement: RawStatement, from first: CInt) throws
    /// Whether every number of the record is finite (else ``nonFiniteRejection(_:at:)`` names the first that is not).
    static func isFinite(_ record: Record) -> Bool
    /// Inserts one row from the values of ``columns`` and `import_id` (one parameter each, in
    /// order), or nothing when its key is already stored (`changesCount == 0`).
    static var insertSQL: String { get }
    /// Inserts `rows` rows in order, each as ``insertSQL`` would (a stored key keeps its row),
    /// except that a row whose reference fails is skipped instead of stopping the statement
    /// when ``skipsUnknownReferences``.
    static func insertSQL(rows: Int) -> String
    /// Whether ``insertSQL(rows:)`` with several rows skips a row whose reference fails (it is
    /// then neither inserted nor found by key) instead of failing the whole statement.
    static var skipsUnknownReferences: Bool { get }
    /// The rowid of the stored row for a key (the key columns' values as parameters).
    static var selectRowidByKeySQL: String { get }
    /// The stored row for a key: the values of ``columns``, then `import_id`.
    static var selectByKeySQL: String { get }
}

extension StoredKind {
    static var skipsUnknownReferences: Bool { false }

    /// ``insertSQL``: the columns as named in ``columns``.
    static var insertSQL: String {
        let names = (columns + ["import_id"]).joined(separator: ", ")
        let marks = Array(repeating: "?", count: columns.count + 1).joined(separator: ", ")
        return "INSERT INTO \(table) (\(names)) VALUES (\(marks)) ON CONFLICT DO NOTHING"
    }

    /// ``insertSQL(rows:)``: the columns as named in ``columns``. `INSERT OR IGNORE` keeps a
    /// stored key's row as `ON CONFLICT DO NOTHING` does, and means that nothing can abort the
    /// statement halfway, so SQLite keeps no statement journal for it (with 16 KiB pages that
    /// journal, the original of every page the statement changes, outweighed the rows). A row
    /// it skipped for another reason (a `NULL` in a `NOT NULL` column, which a record never
    /// holds) is neither inserted nor found, and ``BatchedInsert`` reports it as an error.
    static func insertSQL(rows: Int) -> String {
        let names = (columns + ["import_id"]).joined(separator: ", ")
        let tuple = "(" + Array(repeating: "?", count: columns.count + 1).joined(separator: ", ") + ")"
        return "INSERT OR IGNORE INTO \(table) (\(names)) VALUES \(Array(repeating: tuple, count: rows).joined(separator: ", "))"
    }

    /// ``selectRowidByKeySQL``: the key columns as named in ``columns``.
    static var selectRowidByKeySQL: String {
        let keys = columns.prefix(keyCount).map { "\($0) = ?" }.joined(separator: " AND ")
        return "SELECT rowid FROM \(table) WHERE \(keys)"
    }

    /// ``selectByKeySQL``: the columns as named in ``columns``.
    static var selectByKeySQL: String {
        let keys = columns.prefix(keyCount).map { "\($0) = ?" }.joined(separator: " AND ")
        return "SELECT \((columns + ["import_id"]).joined(separator: ", ")) FROM \(table) WHERE \(keys)"
    }

    /// The rejection of a record holding a NaN (which SQLite would silently store as NULL) or
    /// an infinity: values a source should never produce, checked so that nothing is guessed at.
    static func nonFiniteRejection(_ values: [DatabaseValue], at location: SourceLocation) -> RowRejection? {
        for (index, value) in values.enumerated() {
            guard case let .double(x) = value.storage, !x.isFinite else { continue }
            var location = location
            location.column = columns[index]
            location.value = "\(x)"
            return RowRejection(location: location, rule: .notANumber, reason: "\(columns[index]) is \(x), not a finite number")
        }
        return nil
    }

    /// Binds ``values(_:importID:)``: the general route, for the kinds whose files are small.
    static func bind(_ record: Record, importID: Int64, to statement: RawStatement, from first: CInt) throws {
        try statement.bind(values(record, importID: importID.databaseValue)[...], from: first)
    }

    static func isFinite(_ record: Record) -> Bool {
        nonFiniteRejection(values(record, importID: .null), at: SourceLocation(file: "", line: 0)) == nil
    }

    /// `study_uid 1.2.3, operator_id OP1`.
    static func keyDescription(_ values: [DatabaseValue]) -> String {
        zip(columns, values.prefix(keyCount)).map { "\($0) \(display($1, quoted: false))" }.joined(separator: ", ")
    }
}

/// A stored or incoming value as a physicist reads it: `empty`, `12.5`, `"cardiology"`.
func display(_ value: DatabaseValue, quoted: Bool = true) -> String {
    switch value.storage {
    case .null: return "empty"
    case let .int64(i): return "\(i)"
    case let .double(d): return "\(d)"
    case let .string(s): return quoted ? "\"\(s)\"" : s
    case let .blob(b): return "<\(b.count) bytes>"
    }
}

enum ProcedureKind: StoredKind {
    static let kind = "procedures"
    static let table = "procedures"
    static let columns = [
        "study_uid", "started_at", "date", "day", "room", "specialty", "procedure_type", "kap_gycm2",
        "kap_fluoro_gycm2", "kap_acq_gycm2", "fluoro_time_s", "ka_rp_mgy", "ref_dosimeter_usv",
    ]
    static let keyCount = 1

    static func values(_ p: Procedure, importID: DatabaseValue) -> [DatabaseValue] {
        [p.studyUID.databaseValue, p.startedAt.databaseValue, p.date.description.databaseValue,
         p.date.dayNumber.databaseValue, p.room.databaseValue, p.specialty.databaseValue,
         p.procedureType.databaseValue, p.kapGyCm2.databaseValue, p.kapFluoroGyCm2.databaseValue,
         p.kapAcqGyCm2.databaseValue, p.fluoroTimeS.databaseValue, p.kaRPMilliGy.databaseValue,
         p.refDosimeterMicroSv.databaseValue, importID]
    }

    static func foreignKeyRejection(_ values: [DatabaseValue], at location: SourceLocation) -> RowRejection? { nil }

    static func bind(_ p: Procedure, importID: Int64, to statement: RawStatement, from first: CInt) throws {
        try statement.bind(p.studyUID, at: first + 1)
        try statement.bind(p.startedAt, at: first + 2)
        try statement.bind(p.date.description, at: first + 3)
        try statement.bind(Int64(p.date.dayNumber), at: first + 4)
        try statement.bind(p.room, at: first + 5)
        try statement.bind(p.specialty, at: first + 6)
        try statement.bind(p.procedureType, at: first + 7)
        try statement.bind(p.kapGyCm2, at: first + 8)
        try statement.bind(p.kapFluoroGyCm2, at: first + 9)
        try statement.bind(p.kapAcqGyCm2, at: first + 10)
        try statement.bind(p.fluoroTimeS, at: first + 11)
        try statement.bind(p.kaRPMilliGy, at: first + 12)
        try statement.bind(p.refDosimeterMicroSv, at: first + 13)
        try statement.bind(importID, at: first + 14)
    }

    static func isFinite(_ p: Procedure) -> Bool {
        func finite(_ x: Double?) -> Bool { x?.isFinite ?? true }
        return finite(p.kapGyCm2) && finite(p.kapFluoroGyCm2) && finite(p.kapAcqGyCm2) && finite(p.fluoroTimeS)
            && finite(p.kaRPMilliGy) && finite(p.refDosimeterMicroSv)
    }
}

enum ExposureKind: StoredKind {
    static let kind = "exposures"
    static let table = "exposures"
    static let columns = [
        "study_uid", "operator_id", "dosimeter_id", "role", "hp10_usv", "hp10_fluoro_usv", "hp10_acq_usv",
    ]
    static let keyCount = 2

    static func values(_ e: Exposure, importID: DatabaseValue) -> [DatabaseValue] {
        [e.studyUID.databaseValue, e.operatorID.databaseValue, e.dosimeterID.databaseValue,
         e.role?.rawValue.databaseValue ?? .null, e.hp10MicroSv.databaseValue,
         e.hp10FluoroMicroSv.databaseValue, e.hp10AcqMicroSv.databaseValue, importID]
    }

    // The table stores `procedure_id` (the procedure's integer key) where ``columns`` says
    // `study_uid`: the statements resolve the study through `procedures`' unique index on
    // `study_uid` and read it back through the same join, so that values, comparisons and
    // messages are the study's, as in the file.

    /// The rows' values in order, `study_uid` first, each study resolved to its procedure's id
    /// with one probe of `procedures`' unique index (one cursor for the statement). An unknown
    /// study gives a NULL `procedure_id`. The rows come out of the `VALUES` in order (it is the
    /// outer loop of the `LEFT JOIN`), so they are inserted in file order.
    ///
    /// One row: the row fails `NOT NULL` and the statement stops, as a foreign-key failure
    /// would (``RawStatement/InsertOutcome/foreignKeyFailed``); a stored key keeps its row
    /// (`ON CONFLICT DO NOTHING`; `WHERE true` parses it as the upsert, not the join's).
    ///
    /// Several rows: `INSERT OR IGNORE`, so that an unknown study's row is skipped like a stored
    /// key's (``skipsUnknownReferences``) and nothing can abort the statement halfway. A
    /// statement that may abort halfway needs a statement journal, the original of every page
    /// it changes, and with 16 KiB pages that journal was five times the size of the rows
    /// (4.1 GB of temporary-file writes for 9 M rows, most of the import's kernel time).
    static func insertSQL(rows: Int) -> String {
        let tuple = "(?, ?, ?, ?, ?, ?, ?, ?)"
        let columns = "procedure_id, operator_id, dosimeter_id, role, hp10_usv, hp10_fluoro_usv, hp10_acq_usv, import_id"
        let select = """
            SELECT p.id, v.column2, v.column3, v.column4, v.column5, v.column6, v.column7, v.column8
            FROM (VALUES \(Array(repeating: tuple, count: rows).joined(separator: ", "))) AS v
            LEFT JOIN procedures p ON p.study_uid = v.column1
            """
        if rows > 1 { return "INSERT OR IGNORE INTO exposures (\(columns))\n\(select)" }
        return "INSERT INTO exposures (\(columns))\n\(select) WHERE true\nON CONFLICT DO NOTHING"
    }

    static let skipsUnknownReferences = true

    static var insertSQL: String { insertSQL(rows: 1) }

    static var selectRowidByKeySQL: String {
        "SELECT e.rowid FROM exposures e JOIN procedures p ON p.id = e.procedure_id WHERE p.study_uid = ? AND e.operator_id = ?"
    }

    static var selectByKeySQL: String {
        """
        SELECT p.study_uid, e.operator_id, e.dosimeter_id, e.role, e.hp10_usv, e.hp10_fluoro_usv, e.hp10_acq_usv, e.import_id
        FROM exposures e JOIN procedures p ON p.id = e.procedure_id WHERE p.study_uid = ? AND e.operator_id = ?
        """
    }

    /// The only reference of `exposures` is to its procedure, by `study_uid`.
    static func foreignKeyRejection(_ values: [DatabaseValue], at location: SourceLocation) -> RowRejection? {
        let studyUID = display(values[0], quoted: false)
        var location = location
        location.column = "study_uid"
        location.value = studyUID
        return RowRejection(location: location, rule: .unknownStudy,
                            reason: "study \(studyUID) is not a stored procedure nor one imported with this file; import its procedure first")
    }

    static func bind(_ e: Exposure, importID: Int64, to statement: RawStatement, from first: CInt) throws {
        try statement.bind(e.studyUID, at: first + 1)
        try statement.bind(e.operatorID, at: first + 2)
        try statement.bind(e.dosimeterID, at: first + 3)
        try statement.bind(e.role?.rawValue, at: first + 4)
        try statement.bind(e.hp10MicroSv, at: first + 5)
        try statement.bind(e.hp10FluoroMicroSv, at: first + 6)
        try statement.bind(e.hp10AcqMicroSv, at: first + 7)
        try statement.bind(importID, at: first + 8)
    }

    static func isFinite(_ e: Exposure) -> Bool {
        e.hp10MicroSv.isFinite && (e.hp10FluoroMicroSv?.isFinite ?? true) && (e.hp10AcqMicroSv?.isFinite ?? true)
    }
}

enum OperatorKind: StoredKind {
    static let kind = "operators"
    static let table = "operators"
    static let columns = ["operator_id", "specialty", "name", "subspecialty"]
    static let keyCount = 1

    static func values(_ o: OperatorInfo, importID: DatabaseValue) -> [DatabaseValue] {
        [o.operatorID.databaseValue, o.specialty.databaseValue, o.name.databaseValue, o.subspecialty.databaseValue, importID]
    }

    static func foreignKeyRejection(_ values: [DatabaseValue], at location: SourceLocation) -> RowRejection? { nil }
}

enum MemoryReadingKind: StoredKind {
    static let kind = "memory"
    static let table = "memory_readings"
    static let columns = ["dosimeter_id", "period_from", "period_to", "read_at", "cumulative_usv"]
    static let keyCount = 3

    static func values(_ m: DosimeterMemoryReading, importID: DatabaseValue) -> [DatabaseValue] {
        [m.dosimeterID.databaseValue, m.period.from.description.databaseValue, m.period.to.description.databaseValue,
         m.readAt.databaseValue, m.cumulativeMicroSv.databaseValue, importID]
    }

    static func foreignKeyRejection(_ values: [DatabaseValue], at location: SourceLocation) -> RowRejection? { nil }
}
