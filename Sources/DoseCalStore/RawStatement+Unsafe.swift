// The one place where the store talks to SQLite's C API directly: the per-row statements of a
// bulk import, where GRDB's `Statement.execute(arguments:)` and `Row.fetchOne` (argument
// validation, generic conversion, observation bookkeeping) cost more than SQLite's own work.
// `GRDBSQLite` is GRDB's own system-library module for the C API (its `SQLite3` on Darwin
// builds that use the system framework).
#if canImport(GRDBSQLite)
import GRDBSQLite
#elseif canImport(SQLite3)
import SQLite3
#endif
import Foundation
import GRDB

/// A statement prepared by GRDB, bound and stepped through the C API inside a transaction that
/// GRDB opened.
///
/// Only plain inserts and selects go through here: no transaction control, no schema change,
/// no observed table, so GRDB's bookkeeping has nothing to see. Text is bound with
/// `SQLITE_TRANSIENT` (SQLite copies it), so no Swift buffer outlives a call; every call
/// resets the statement before returning.
struct RawStatement {
    private let statement: Statement
    private let handle: OpaquePointer
    private let connection: OpaquePointer
    private let sql: String

    /// The outcome of one insert.
    enum InsertOutcome {
        case inserted
        /// `ON CONFLICT DO NOTHING` kept the stored row: nothing was written.
        case keyExists
        /// A foreign-key check failed, or a `NOT NULL` one (an exposure's study found no
        /// procedure id): nothing was written.
        case foreignKeyFailed
    }

    /// - Precondition: `db` is inside a write transaction.
    init(_ db: Database, sql: String) throws {
        statement = try db.makeStatement(sql: sql)
        handle = statement.sqliteStatement
        guard let connection = db.sqliteConnection else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "the database connection is closed", sql: sql)
        }
        self.connection = connection
        self.sql = sql
    }

    /// Runs an `INSERT … ON CONFLICT DO NOTHING` with `values` (one per `?`, in order).
    /// - Throws: `DatabaseError` for any failure other than a foreign-key or `NOT NULL` check.
    func insert(_ values: [DatabaseValue]) throws -> InsertOutcome {
        try insert(arguments: values[...]) { try bind(values[...]) }
    }

    /// Runs an `INSERT … ON CONFLICT DO NOTHING` whose parameters `bindAll` binds (with the
    /// typed `bind(_:at:)` below, straight from a record's fields).
    /// - Throws: what `bindAll` throws; `DatabaseError` for any failure other than a foreign-key or `NOT NULL` check.
    func insert(binding bindAll: () throws -> Void) throws -> InsertOutcome {
        try insert(arguments: [], bindAll)
    }

    private func insert(arguments: ArraySlice<DatabaseValue>, _ bindAll: () throws -> Void) throws -> InsertOutcome {
        defer { sqlite3_reset(handle) }
        try bindAll()
        let code = sqlite3_step(handle)
        if code == SQLITE_DONE {
            return sqlite3_changes(connection) > 0 ? .inserted : .keyExists
        }
        let extended = sqlite3_extended_errcode(connection)
        if isMissingReference(extended) { return .foreignKeyFailed }
        throw failure(extended, arguments)
    }

    /// The outcome of a multi-row insert.
    enum RowsOutcome {
        /// The statement ran: `changes` rows were inserted (the others kept a stored row), the
        /// last of them with rowid `lastRowid`.
        case inserted(changes: Int, lastRowid: Int64)
        /// A foreign-key or `NOT NULL` check failed (as for one row): SQLite rolled the whole
        /// statement back.
        case foreignKeyFailed
    }

    /// Runs a multi-row `INSERT OR IGNORE` with the rows' values, bound in order.
    /// - Throws: `DatabaseError` for any failure other than a foreign-key or `NOT NULL` check.
    func insertRows(_ rows: some Sequence<[DatabaseValue]>) throws -> RowsOutcome {
        try insertRows {
            var offset: CInt = 0
            for values in rows {
                try bind(values[...], from: offset)
                offset += CInt(values.count)
            }
        }
    }

    /// Runs a multi-row `INSERT OR IGNORE` whose parameters `bindAll` binds.
    /// - Throws: what `bindAll` throws; `DatabaseError` for any failure other than a foreign-key or `NOT NULL` check.
    func insertRows(binding bindAll: () throws -> Void) throws -> RowsOutcome {
        defer { sqlite3_reset(handle) }
        try bindAll()
        let code = sqlite3_step(handle)
        if code == SQLITE_DONE {
            return .inserted(changes: Int(sqlite3_changes(connection)), lastRowid: sqlite3_last_insert_rowid(connection))
        }
        let extended = sqlite3_extended_errcode(connection)
        if isMissingReference(extended) { return .foreignKeyFailed }
        throw failure(extended, [])
    }

    /// Whether an extended result code says a row's reference to another table failed: its
    /// foreign key, or the `NOT NULL` of a key an insert resolves in a subquery.
    private func isMissingReference(_ extended: CInt) -> Bool {
        extended == ResultCode.SQLITE_CONSTRAINT_FOREIGNKEY.rawValue || extended == ResultCode.SQLITE_CONSTRAINT_NOTNULL.rawValue
    }

    /// Runs a `SELECT` with `values` and returns its first row's first column as an integer.
    func fetchInt64(_ values: ArraySlice<DatabaseValue>) throws -> Int64? {
        defer { sqlite3_reset(handle) }
        try bind(values)
        switch sqlite3_step(handle) {
        case SQLITE_DONE:
            return nil
        case SQLITE_ROW:
            return sqlite3_column_int64(handle, 0)
        default:
            throw failure(sqlite3_extended_errcode(connection), values)
        }
    }

    /// Runs a `SELECT` with `values` and returns its first row's `columnCount` columns.
    func fetchFirstRow(_ values: ArraySlice<DatabaseValue>, columnCount: Int) throws -> [DatabaseValue]? {
        defer { sqlite3_reset(handle) }
        try bind(values)
        switch sqlite3_step(handle) {
        case SQLITE_DONE:
            return nil
        case SQLITE_ROW:
            return (0..<CInt(columnCount)).map(column)
        default:
            throw failure(sqlite3_extended_errcode(connection), values)
        }
    }

    /// Binds text to parameter `index` (1-based) from the string's own UTF-8 bytes.
    func bind(_ text: String, at index: CInt) throws {
        var text = text
        let code = text.withUTF8 { bytes -> CInt in
            // SQLite binds a NULL pointer as NULL, not as ''.
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return sqlite3_bind_text(handle, index, "", 0, transient) }
            return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                sqlite3_bind_text(handle, index, $0, CInt(bytes.count), transient)
            }
        }
        guard code == SQLITE_OK else { throw failure(code, []) }
    }

    /// Binds text to parameter `index` (1-based) from UTF-8 bytes (SQLite copies them).
    func bind(utf8 bytes: UnsafeBufferPointer<UInt8>, at index: CInt) throws {
        // SQLite binds a NULL pointer as NULL, not as ''.
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return try check(sqlite3_bind_text(handle, index, "", 0, transient)) }
        try check(base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
            sqlite3_bind_text(handle, index, $0, CInt(bytes.count), transient)
        })
    }

    /// Binds text, or NULL for `nil`, to parameter `index` (1-based).
    func bind(_ text: String?, at index: CInt) throws {
        guard let text else { return try check(sqlite3_bind_null(handle, index)) }
        try bind(text, at: index)
    }

    /// Binds a number, or NULL for `nil`, to parameter `index` (1-based). A NaN binds as NULL
    /// (SQLite's rule): callers reject non-finite values first.
    func bind(_ value: Double?, at index: CInt) throws {
        guard let value else { return try check(sqlite3_bind_null(handle, index)) }
        try check(sqlite3_bind_double(handle, index, value))
    }

    /// Binds an integer to parameter `index` (1-based).
    func bind(_ value: Int64, at index: CInt) throws {
        try check(sqlite3_bind_int64(handle, index, value))
    }

    private func check(_ code: CInt) throws {
        guard code == SQLITE_OK else { throw failure(code, []) }
    }

    /// Binds `values` to the parameters `first + 1`, `first + 2`, …
    func bind(_ values: ArraySlice<DatabaseValue>, from first: CInt = 0) throws {
        for (offset, value) in values.enumerated() {
            let index = first + CInt(offset + 1)
            let code: CInt
            switch value.storage {
            case .null: code = sqlite3_bind_null(handle, index)
            case let .int64(v): code = sqlite3_bind_int64(handle, index, v)
            case let .double(v): code = sqlite3_bind_double(handle, index, v)
            case let .string(v):
                // A native String's UTF-8 bytes, without the NUL-terminated copy an implicit
                // String-to-pointer conversion makes.
                var text = v
                code = text.withUTF8 { bytes -> CInt in
                    // SQLite binds a NULL pointer as NULL, not as ''.
                    guard let base = bytes.baseAddress, !bytes.isEmpty else { return sqlite3_bind_text(handle, index, "", 0, transient) }
                    return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                        sqlite3_bind_text(handle, index, $0, CInt(bytes.count), transient)
                    }
                }
            case let .blob(v):
                code = v.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, CInt($0.count), transient) }
            }
            guard code == SQLITE_OK else { throw failure(code, values) }
        }
    }

    private func column(_ index: CInt) -> DatabaseValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER:
            return sqlite3_column_int64(handle, index).databaseValue
        case SQLITE_FLOAT:
            return sqlite3_column_double(handle, index).databaseValue
        case SQLITE_TEXT:
            let bytes = UnsafeBufferPointer(start: sqlite3_column_text(handle, index), count: Int(sqlite3_column_bytes(handle, index)))
            return String(decoding: bytes, as: UTF8.self).databaseValue
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, index))
            guard count > 0, let start = sqlite3_column_blob(handle, index) else { return Data().databaseValue }
            return Data(bytes: start, count: count).databaseValue
        default:
            return .null
        }
    }

    private func failure(_ code: CInt, _ values: ArraySlice<DatabaseValue>) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)),
                      sql: sql, arguments: StatementArguments(Array(values)), publicStatementArguments: true)
    }
}

/// SQLite copies the bound bytes before the call returns.
private let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
