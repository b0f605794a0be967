import DoseCalDomain
import GRDB

/// The rows of one import on their way into their table, several to one SQLite statement.
///
/// A one-row `INSERT` pays SQLite's per-statement work (cursor set-up, the write check, the halt
/// and reset) for every row; in a bulk import that was about as much as the B-tree inserts
/// themselves. Full groups of ``rowsPerStatement`` rows therefore go in as one multi-row
/// `INSERT OR IGNORE … VALUES (…), (…) …`, which SQLite runs row by row in order, exactly as
/// the one-row statements (`… ON CONFLICT DO NOTHING`) would. Nothing can abort it halfway, so
/// SQLite keeps no statement journal for it (see ``StoredKind/insertSQL(rows:)``).
///
/// Every row still gets its own outcome, in file order, with the per-row rules unchanged:
/// - all rows inserted (the statement changed as many rows as it had): each is `.inserted`;
/// - some rows kept a stored row (`OR IGNORE`): the inserted ones are those whose key now has
///   one of the statement's new rowids, the first row of the group with that key; the others are
///   `.keyExists` and compared with the stored row as before;
/// - an exposure whose study is unknown (no procedure id) is skipped by the statement and found
///   to have been neither inserted nor stored (``StoredKind/skipsUnknownReferences``), so it is
///   rejected in its place; a skipped row of another kind is an error;
/// - a declared foreign key that fails (which `OR IGNORE` does not cover; no imported table has
///   one today) aborts the whole statement, which SQLite then rolls back, and the group is
///   inserted again one row at a time, so the failing rows are found and rejected one by one.
///
/// A partial group (the end of the file, or rows before a rejected row) goes one row at a time.
/// After a group with a stored key, the next groups go one row at a time too (an overlapping
/// re-import would otherwise try every group twice) until a group is all new again.
///
/// The rows wait as `Rows`: records (``RecordRows``) or, for exposures, compact rows
/// (``ExposureRows``) that a source may append to directly (``pending``).
struct BatchedInsert<K: StoredKind, Rows: PendingRows> where Rows.Record == K.Record {
    /// How many rows a multi-row statement holds.
    let rowsPerStatement: Int
    private let single: RawStatement
    private let multiple: RawStatement?
    private let rowidByKey: RawStatement
    /// The `import_id` bound with every row.
    private let importID: Int64
    /// Rows added and not yet inserted; a source may append to them, then call ``flushIfFull(_:)``.
    var pending = Rows()
    /// Groups to insert one row at a time before trying multi-row statements again.
    private var singleRowGroups = 0

    /// - Precondition: `db` is inside a write transaction; `rowsPerStatement >= 1`.
    init(_ db: Database, importID: Int64, rowsPerStatement: Int) throws {
        precondition(rowsPerStatement >= 1)
        self.rowsPerStatement = rowsPerStatement
        self.importID = importID
        single = try RawStatement(db, sql: K.insertSQL)
        multiple = rowsPerStatement > 1 ? try RawStatement(db, sql: K.insertSQL(rows: rowsPerStatement)) : nil
        rowidByKey = try RawStatement(db, sql: K.selectRowidByKeySQL)
    }

    /// Rows added and not yet inserted.
    var isEmpty: Bool { pending.count == 0 }

    /// The rows' outcomes are handed to a closure taking the outcome and a function returning the
    /// row's record and file line (called only for a row that needs them).
    typealias Handler = (RawStatement.InsertOutcome, _ row: () -> (record: K.Record, line: Int)) throws -> Void

    /// Queues a record (from file line `line`; all its numbers finite); inserts the group when it
    /// is full, handing each row's outcome to `handle` in order. Records are bound straight from
    /// their fields (``StoredKind/bind(_:importID:to:from:)``).
    mutating func add(_ record: K.Record, line: Int, _ handle: Handler) throws {
        pending.append(record, line: line)
        try flushIfFull(handle)
    }

    /// Inserts the group when it is full (after rows were appended to ``pending``).
    mutating func flushIfFull(_ handle: Handler) throws {
        if pending.count == rowsPerStatement { try flush(handle) }
    }

    /// Inserts every queued row, handing each row's outcome to `handle` in file order. A throw
    /// from `handle` stops there (the import is then rolled back).
    mutating func flush(_ handle: Handler) throws {
        defer { pending.removeAll() }
        guard pending.count > 0 else { return }
        if pending.count == rowsPerStatement, singleRowGroups == 0, let multiple {
            let width = CInt(K.columns.count + 1)
            let outcome = try multiple.insertRows {
                for i in 0..<pending.count {
                    try pending.bind(i, importID: importID, to: multiple, from: CInt(i) * width)
                }
            }
            switch outcome {
            case let .inserted(changes, _) where changes == pending.count:
                for i in 0..<pending.count { try handle(.inserted) { (pending.record(i), pending.line(i)) } }
                return
            case let .inserted(changes, lastRowid):
                singleRowGroups = 4
                try settle(changes: changes, lastRowid: lastRowid, handle)
                return
            case .foreignKeyFailed:
                singleRowGroups = 4
            }
        } else if singleRowGroups > 0 {
            singleRowGroups -= 1
        }
        try insertOneByOne(handle)
    }

    /// Inserts the queued rows with one statement each; a full group that is all new lets the
    /// next groups try multi-row statements again.
    private mutating func insertOneByOne(_ handle: Handler) throws {
        var allNew = true
        for i in 0..<pending.count {
            let outcome = try single.insert { try pending.bind(i, importID: importID, to: single, from: 0) }
            if outcome != .inserted { allNew = false }
            try handle(outcome) { (pending.record(i), pending.line(i)) }
        }
        if allNew, pending.count == rowsPerStatement { singleRowGroups = 0 }
    }

    /// The outcomes of a multi-row statement that kept some stored rows or skipped some rows
    /// with an unknown reference: `changes` rows were inserted, with the rowids
    /// `lastRowid - changes + 1 ... lastRowid` (a rowid table gives each new row the largest rowid
    /// plus one).
    private func settle(changes: Int, lastRowid: Int64, _ handle: Handler) throws {
        let firstNew = lastRowid - Int64(changes) + 1
        var claimed: Set<ArraySlice<DatabaseValue>> = []
        for i in 0..<pending.count {
            let record = pending.record(i)
            let values = K.values(record, importID: importID.databaseValue)
            let key = values.prefix(K.keyCount)
            guard let rowid = try rowidByKey.fetchInt64(key) else {
                if K.skipsUnknownReferences {
                    try handle(.foreignKeyFailed) { (record, pending.line(i)) }
                    continue
                }
                throw StoreError.database(message: "a \(K.kind) row was neither inserted nor found (\(K.keyDescription(values)))",
                                          code: 0, sql: K.selectRowidByKeySQL, arguments: nil)
            }
            let inserted = changes > 0 && rowid >= firstNew && rowid <= lastRowid && claimed.insert(key).inserted
            try handle(inserted ? .inserted : .keyExists) { (record, pending.line(i)) }
        }
    }
}
