import DoseCalDomain
import GRDB

/// Imports made inside one write transaction of a ``DoseStore`` (see ``DoseStore/importBatch(_:)``).
///
/// Each import is all or nothing: it runs in a savepoint, so an import that throws leaves the
/// session as it was before that import, even if the caller catches the error and goes on.
/// The whole batch commits when the `importBatch` closure returns and rolls back when it
/// throws.
///
/// The rules, the same for every kind of record (SPEC §2):
/// - a row the source rejected is counted in the summary; with `strict`, it throws
///   ``StoreError/rejectedInStrictMode(_:)`` instead;
/// - a row whose key is stored with identical values is counted `unchanged` (re-import is a
///   no-op);
/// - a row whose key is stored with different values throws ``StoreError/conflict(_:)``
///   naming the file, line, key and differing fields: stored records are never overwritten;
/// - a row repeating a key of an earlier row of the same import with identical values is
///   rejected as ``DoseCalDomain/RejectionRule/duplicateInImport``; with different values it
///   is a conflict;
/// - an exposure whose `study_uid` is neither stored nor imported earlier in the same
///   transaction is rejected as ``DoseCalDomain/RejectionRule/unknownStudy``;
/// - a record holding a NaN (which SQLite would store as NULL) or an infinity is rejected as
///   ``DoseCalDomain/RejectionRule/notANumber``;
/// - a file whose `fileHash` was already recorded for the same kind is not read at all: the
///   summary says ``DoseCalDomain/ImportSummary/alreadyImported``. With a `pendingFileHash`
///   (the hash computed on another thread while the rows go in), the rows are read and inserted
///   until the hash is known, checked every ``progressInterval`` rows and at the end; a file
///   already imported is then rolled back (the session as before this import, whatever the rows
///   held: rejections in strict mode, conflicts or the source's error) and reported exactly as
///   with a known hash: `alreadyImported`, nothing read.
///
/// Every import that ran is recorded in the `imports` table with its counts.
///
/// A session is valid only inside its closure; it is not `Sendable`.
public final class ImportSession {
    private let db: Database
    private var isOpen = true
    /// The summaries of this session's imports so far, in order.
    public private(set) var summaries: [ImportSummary] = []

    /// `progress` is called after every this many rows read, and once at the end.
    static let progressInterval = 8192

    /// Rows per multi-row `INSERT` (see ``BatchedInsert``): 128 rows of 8–15 columns stay far
    /// below SQLite's limit on parameters.
    static let defaultRowsPerStatement = 128
    private let rowsPerStatement: Int

    init(db: Database, rowsPerStatement: Int = ImportSession.defaultRowsPerStatement) {
        self.db = db
        self.rowsPerStatement = rowsPerStatement
    }

    func close() { isOpen = false }

    /// Imports procedures (key `study_uid`).
    ///
    /// - Parameters:
    ///   - source: the rows; read to the end unless the file was imported before.
    ///   - fileHash: SHA-256 of the file's bytes, or `nil` to import without the duplicate-file check.
    ///   - strict: throw at the first rejected row instead of counting it.
    ///   - progress: called with the number of rows read so far.
    /// - Returns: what the import did.
    /// - Throws: ``StoreError/conflict(_:)``, ``StoreError/rejectedInStrictMode(_:)``,
    ///   ``StoreError/database(message:code:sql:arguments:)``, or the source's own error; the
    ///   import's rows are then rolled back.
    /// - Complexity: O(n log N) for n rows into a table of N.
    public func importProcedures(
        from source: inout some RecordSource<Procedure>, fileHash: String? = nil, strict: Bool = false,
        progress: ((Int) -> Void)? = nil
    ) throws -> ImportSummary {
        try run(ProcedureKind.self, sourceName: source.sourceName, next: { try source.next() },
                hash: .known(fileHash), strict: strict, progress: progress)
    }

    /// Imports exposures (key `study_uid`, `operator_id`); their procedures must be stored
    /// already or imported earlier in the same batch. Parameters as ``importProcedures(from:fileHash:strict:progress:)``.
    public func importExposures(
        from source: inout some RecordSource<Exposure>, fileHash: String? = nil, strict: Bool = false,
        progress: ((Int) -> Void)? = nil
    ) throws -> ImportSummary {
        try run(ExposureKind.self, sourceName: source.sourceName, next: { try source.next() },
                hash: .known(fileHash), strict: strict, progress: progress)
    }

    /// Imports the roster (key `operator_id`). Parameters as ``importProcedures(from:fileHash:strict:progress:)``.
    public func importOperators(
        from source: inout some RecordSource<OperatorInfo>, fileHash: String? = nil, strict: Bool = false,
        progress: ((Int) -> Void)? = nil
    ) throws -> ImportSummary {
        try run(OperatorKind.self, sourceName: source.sourceName, next: { try source.next() },
                hash: .known(fileHash), strict: strict, progress: progress)
    }

    /// Imports dosimeter memory readings (key `dosimeter_id`, `period_from`, `period_to`).
    /// Parameters as ``importProcedures(from:fileHash:strict:progress:)``.
    public func importMemoryReadings(
        from source: inout some RecordSource<DosimeterMemoryReading>, fileHash: String? = nil, strict: Bool = false,
        progress: ((Int) -> Void)? = nil
    ) throws -> ImportSummary {
        try run(MemoryReadingKind.self, sourceName: source.sourceName, next: { try source.next() },
                hash: .known(fileHash), strict: strict, progress: progress)
    }

    /// Imports procedures while their file's SHA-256 is computed on another thread (see the
    /// type's rules); `nil` imports without the duplicate-file check. Other parameters as
    /// ``importProcedures(from:fileHash:strict:progress:)``.
    /// - Throws: as ``importProcedures(from:fileHash:strict:progress:)``, or what the hash's
    ///   computation threw.
    public func importProcedures(
        from source: inout some RecordSource<Procedure>, pendingFileHash: PendingValue<String>?, strict: Bool = false,
        progress: ((Int) -> Void)? = nil
    ) throws -> ImportSummary {
        try run(ProcedureKind.self, sourceName: source.sourceName, next: { try source.next() },
                hash: pendingFileHash.map(FileHash.pending) ?? .known(nil), strict: strict, progress: progress)
    }

    /// Imports exposures while their file's SHA-256 is computed on another thread (see the
    /// type's rules). Parameters as ``importProcedures(from:pendingFileHash:strict:progress:)``.
    public func importExposures(
        from source: inout some RecordSource<Exposure>, pendingFileHash: PendingValue<String>?, strict: Bool = false,
        progress: ((Int) -> Void)? = nil
    ) throws -> ImportSummary {
        try run(ExposureKind.self, sourceName: source.sourceName, next: { try source.next() },
                hash: pendingFileHash.map(FileHash.pending) ?? .known(nil), strict: strict, progress: progress)
    }

    /// Imports exposures read ahead compactly (see ``PrefetchedExposures``) while their file's
    /// SHA-256 is computed on another thread: the same rules, outcomes, messages and lines as
    /// the overload taking any source of exposures, with each row bound straight from the
    /// compact batch and its record built only when an outcome needs it.
    public func importExposures(
        from source: inout PrefetchedExposures, pendingFileHash: PendingValue<String>?, strict: Bool = false,
        progress: ((Int) -> Void)? = nil
    ) throws -> ImportSummary {
        try run(ExposureKind.self, ExposureRows.self, sourceName: source.sourceName,
                next: { try source.next(queuingInto: &$0) },
                hash: pendingFileHash.map(FileHash.pending) ?? .known(nil), strict: strict, progress: progress)
    }

    /// The file's SHA-256: known before the import (or none), or still being computed.
    private enum FileHash {
        case known(String?)
        case pending(PendingValue<String>)
    }

    /// Thrown inside the savepoint when the pending hash turns out to be an imported file's.
    private struct AlreadyImported: Error {}

    /// One import of records (held as ``RecordRows`` until inserted); see the other `run`.
    private func run<K: StoredKind>(
        _ kind: K.Type, sourceName: String, next: () throws -> RowOutcome<K.Record>?, hash: FileHash, strict: Bool,
        progress: ((Int) -> Void)?
    ) throws -> ImportSummary {
        try run(kind, RecordRows<K>.self, sourceName: sourceName, next: { _ in try next() },
                hash: hash, strict: strict, progress: progress)
    }

    /// One import. The rows come through `next` (the source's `next()`, or one that appends
    /// compact rows straight to the pending rows it is given and returns `nil` for them: `nil`
    /// is the end only when no row was appended), so that this and the import loop are generic
    /// over the kind and its pending rows only and are compiled for each, whatever the caller's
    /// source type: no generic metadata looked up per row.
    private func run<K: StoredKind, Rows: PendingRows>(
        _ kind: K.Type, _ rowsType: Rows.Type, sourceName: String, next: (inout Rows) throws -> RowOutcome<K.Record>?,
        hash: FileHash, strict: Bool, progress: ((Int) -> Void)?
    ) throws -> ImportSummary where Rows.Record == K.Record {
        precondition(isOpen, "an ImportSession is valid only inside its importBatch closure")
        var summary = ImportSummary(kind: K.kind, source: sourceName)
        switch hash {
        case let .known(fileHash):
            summary.fileHash = fileHash
            if let fileHash, try isImported(K.self, fileHash) {
                summary.alreadyImported = true
                summaries.append(summary)
                return summary
            }
            try mappingDatabaseErrors {
                try db.inSavepoint {
                    try load(kind, rowsType, next: next, into: &summary, pending: nil, strict: strict, progress: progress)
                    return .commit
                }
            }
        case let .pending(pending):
            do {
                try mappingDatabaseErrors {
                    try db.inSavepoint {
                        try load(kind, rowsType, next: next, into: &summary, pending: pending, strict: strict, progress: progress)
                        return .commit
                    }
                }
            } catch {
                // Rolled back. An imported file is reported as if its hash had been known first:
                // nothing read, whatever its rows would have done.
                guard let fileHash = try? pending.value(), (try? isImported(K.self, fileHash)) == true else {
                    if error is AlreadyImported { throw StoreError.database(message: "the imports log changed during an import", code: 0, sql: nil, arguments: nil) }
                    throw error
                }
                summary = ImportSummary(kind: K.kind, source: sourceName)
                summary.fileHash = fileHash
                summary.alreadyImported = true
            }
        }
        summaries.append(summary)
        return summary
    }

    /// Whether the imports log holds a `kind` import of a file with this SHA-256.
    private func isImported<K: StoredKind>(_: K.Type, _ fileHash: String) throws -> Bool {
        try mappingDatabaseErrors {
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM imports WHERE kind = ? AND file_hash = ?)",
                              arguments: [K.kind, fileHash]) == true
        }
    }

    /// The import loop, written once for every kind.
    private func load<K: StoredKind, Rows: PendingRows>(
        _: K.Type, _: Rows.Type, next nextRow: (inout Rows) throws -> RowOutcome<K.Record>?, into summary: inout ImportSummary,
        pending: PendingValue<String>?, strict: Bool, progress: ((Int) -> Void)?
    ) throws where Rows.Record == K.Record {
        try db.execute(sql: "INSERT INTO imports (kind, source, file_hash, imported_at) VALUES (?, ?, ?, ?)",
                       arguments: [K.kind, summary.source, summary.fileHash, utcTimestamp()])
        let importID = db.lastInsertedRowID
        let importIDValue = importID.databaseValue
        let file = summary.source
        var rows = try BatchedInsert<K, Rows>(db, importID: importID, rowsPerStatement: rowsPerStatement)
        let select = try RawStatement(db, sql: K.selectByKeySQL)

        func reject(_ rejection: RowRejection) throws {
            if strict { throw StoreError.rejectedInStrictMode(rejection) }
            summary.reject(rejection)
        }

        /// One row's outcome, in file order; the row's record and values are built only for a
        /// stored key or an unknown study.
        func settle(_ outcome: RawStatement.InsertOutcome, _ row: () -> (record: K.Record, line: Int)) throws {
            switch outcome {
            case .inserted:
                summary.imported += 1
            case .keyExists:
                let (record, line) = row()
                let values = K.values(record, importID: importIDValue)
                let location = SourceLocation(file: file, line: line)
                if let duplicate = try compareWithStored(K.self, values, select: select, importID: importID, location: location) {
                    try reject(duplicate)
                } else {
                    summary.unchanged += 1
                }
            case .foreignKeyFailed:
                let (record, line) = row()
                let values = K.values(record, importID: importIDValue)
                guard let rejection = K.foreignKeyRejection(values, at: SourceLocation(file: file, line: line)) else {
                    throw DatabaseError(resultCode: .SQLITE_CONSTRAINT_FOREIGNKEY, message: "FOREIGN KEY constraint failed",
                                        sql: K.insertSQL, arguments: StatementArguments(values), publicStatementArguments: true)
                }
                try reject(rejection)
            }
        }

        // Queued rows come before anything that happens on a later line: a rejection, the
        // source's own error, the end.
        while true {
            let next: RowOutcome<K.Record>?
            let pendingBefore = rows.pending.count
            do {
                next = try nextRow(&rows.pending)
            } catch {
                try rows.flush(settle)
                throw error
            }
            // `nil` with a row appended: a compact row, queued by the source itself.
            guard next != nil || rows.pending.count > pendingBefore else { break }
            summary.read += 1
            switch next {
            case nil:
                try rows.flushIfFull(settle)
            case let .rejected(rejection)?:
                try rows.flush(settle)
                try reject(rejection)
            case let .record(record, line)?:
                if !K.isFinite(record),
                   let rejection = K.nonFiniteRejection(K.values(record, importID: importIDValue), at: SourceLocation(file: file, line: line)) {
                    try rows.flush(settle)
                    try reject(rejection)
                    break
                }
                try rows.add(record, line: line, settle)
            }
            if summary.read % ImportSession.progressInterval == 0 {
                progress?(summary.read)
                // A re-import found as soon as its hash is in, not after every row went in again.
                if let pending, pending.isReady, try isImported(K.self, pending.value()) { throw AlreadyImported() }
            }
        }
        try rows.flush(settle)
        progress?(summary.read)
        try db.execute(
            sql: "UPDATE imports SET rows_read = ?, rows_imported = ?, rows_unchanged = ?, rows_rejected = ? WHERE id = ?",
            arguments: [summary.read, summary.imported, summary.unchanged, summary.rejected, importID])
        if let pending {
            let fileHash = try pending.value()
            if try isImported(K.self, fileHash) { throw AlreadyImported() }
            try db.execute(sql: "UPDATE imports SET file_hash = ? WHERE id = ?", arguments: [fileHash, importID])
            summary.fileHash = fileHash
        }
    }

    /// A row whose key is already stored: unchanged (`nil`), a duplicate within the import
    /// (its rejection), or a conflict (thrown).
    private func compareWithStored<K: StoredKind>(
        _: K.Type, _ values: [DatabaseValue], select: RawStatement, importID: Int64, location: SourceLocation
    ) throws -> RowRejection? {
        guard let stored = try select.fetchFirstRow(values.prefix(K.keyCount), columnCount: K.columns.count + 1) else {
            throw StoreError.database(message: "a \(K.kind) row was neither inserted nor found (\(K.keyDescription(values)))",
                                      code: 0, sql: K.selectByKeySQL, arguments: nil)
        }
        var differences: [FieldDifference] = []
        for (index, column) in K.columns.enumerated() where stored[index] != values[index] {
            differences.append(FieldDifference(field: column, stored: display(stored[index]), incoming: display(values[index])))
        }
        let withinImport = stored[K.columns.count] == importID.databaseValue
        if !differences.isEmpty {
            throw StoreError.conflict(StoreConflict(kind: K.kind, location: location, key: K.keyDescription(values),
                                                    differences: differences, withinImport: withinImport))
        }
        guard withinImport else { return nil }
        return RowRejection(location: location, rule: .duplicateInImport,
                            reason: "\(K.keyDescription(values)) appears earlier in this file with the same values; stored once")
    }
}

extension DoseStore {
    /// Runs several imports in ONE write transaction: all of them are stored, or none.
    ///
    /// ```swift
    /// let (p, e) = try store.importBatch { batch in
    ///     (try batch.importProcedures(from: &procedures, fileHash: h1),
    ///      try batch.importExposures(from: &exposures, fileHash: h2))
    /// }
    /// ```
    ///
    /// Within the batch, exposures may refer to procedures imported earlier in the same batch.
    /// - Parameter body: the imports; the session is valid only during the call.
    /// - Returns: what `body` returns.
    /// - Throws: whatever `body` throws (see ``ImportSession``); the transaction is then
    ///   rolled back and the store is exactly as before.
    public func importBatch<T>(_ body: (ImportSession) throws -> T) throws -> T {
        try importBatch(rowsPerStatement: ImportSession.defaultRowsPerStatement, body)
    }

    /// ``importBatch(_:)`` with `rowsPerStatement` rows per multi-row `INSERT` (tests use small
    /// groups to reach every path of ``BatchedInsert`` with a few rows).
    func importBatch<T>(rowsPerStatement: Int, _ body: (ImportSession) throws -> T) throws -> T {
        try write { db in
            let session = ImportSession(db: db, rowsPerStatement: rowsPerStatement)
            defer { session.close() }
            return try body(session)
        }
    }

    /// Imports a procedures file in its own transaction. See ``ImportSession`` for the rules
    /// and ``ImportSession/importProcedures(from:fileHash:strict:progress:)`` for the parameters.
    public func importProcedures(
        from source: inout some RecordSource<Procedure>, fileHash: String? = nil, strict: Bool = false,
        progress: ((Int) -> Void)? = nil
    ) throws -> ImportSummary {
        try importBatch { try $0.importProcedures(from: &source, fileHash: fileHash, strict: strict, progress: progress) }
    }

    /// Imports an exposures file in its own transaction; every exposure's procedure must be
    /// stored already (else the row is rejected as `unknown_study`).
    public func importExposures(
        from source: inout some RecordSource<Exposure>, fileHash: String? = nil, strict: Bool = false,
        progress: ((Int) -> Void)? = nil
    ) throws -> ImportSummary {
        try importBatch { try $0.importExposures(from: &source, fileHash: fileHash, strict: strict, progress: progress) }
    }

    /// Imports a procedures file in its own transaction while its SHA-256 is computed on
    /// another thread. See ``ImportSession/importProcedures(from:pendingFileHash:strict:progress:)``.
    public func importProcedures(
        from source: inout some RecordSource<Procedure>, pendingFileHash: PendingValue<String>?, strict: Bool = false,
        progress: ((Int) -> Void)? = nil
    ) throws -> ImportSummary {
        try importBatch { try $0.importProcedures(from: &source, pendingFileHash: pendingFileHash, strict: strict, progress: progress) }
    }

    /// Imports an exposures file in its own transaction while its SHA-256 is computed on
    /// another thread. See ``ImportSession/importExposures(from:pendingFileHash:strict:progress:)``.
    public func importExposures(
        from source: inout some RecordSource<Exposure>, pendingFileHash: PendingValue<String>?, strict: Bool = false,
        progress: ((Int) -> Void)? = nil
    ) throws -> ImportSummary {
        try importBatch { try $0.importExposures(from: &source, pendingFileHash: pendingFileHash, strict: strict, progress: progress) }
    }

    /// Imports a roster file in its own transaction.
    public func importOperators(
        from source: inout some RecordSource<OperatorInfo>, fileHash: String? = nil, strict: Bool = false,
        progress: ((Int) -> Void)? = nil
    ) throws -> ImportSummary {
        try importBatch { try $0.importOperators(from: &source, fileHash: fileHash, strict: strict, progress: progress) }
    }

    /// Imports dosimeter memory readings in their own transaction.
    public func importMemoryReadings(
        from source: inout some RecordSource<DosimeterMemoryReading>, fileHash: String? = nil, strict: Bool = false,
        progress: ((Int) -> Void)? = nil
    ) throws -> ImportSummary {
        try importBatch { try $0.importMemoryReadings(from: &source, fileHash: fileHash, strict: strict, progress: progress) }
    }
}
