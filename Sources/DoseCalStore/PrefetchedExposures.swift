import DoseCalDomain

/// ``PrefetchedSource`` for exposures, handing its rows to the import compactly.
///
/// The wrapped source is read on its own thread as with ``PrefetchedSource`` (same order, same
/// error after the rows before it, at most `depth` batches waiting, the thread stopping when the
/// last copy is released), but each batch travels as ``ExposureRows``: the text fields in one
/// byte buffer, the numbers in one array. ``ImportSession``'s `importExposures(from:pendingFileHash:strict:progress:)`
/// taking a `PrefetchedExposures` binds them straight from there; the SQLite thread then neither copies nor frees a `String`
/// per field, and builds an ``DoseCalDomain/Exposure`` only for a row that needs one (a stored
/// key to compare, an unknown study). Rejections and records holding a NaN or an infinity
/// travel whole.
///
/// Read through ``next()``, it hands out the same rows as the wrapped source.
public struct PrefetchedExposures: RecordSource {
    public typealias Record = Exposure
    /// The wrapped source's name.
    public let sourceName: String
    /// Where the rows handed out so far end in the input (bytes, as the `position` function
    /// given to `init` measures it), readable from any thread, for progress.
    public let position: ProgressCounter
    private let consumer: ChannelConsumer<ExposureBatch>
    private var cursor = ExposureBatchCursor(ExposureBatch(capacity: 0))
    private var ended = false

    /// Starts reading `source` on a new thread.
    /// - Parameters:
    ///   - source: the source, handed over to the reading thread (not used by the caller again).
    ///   - batchSize: rows per batch (≥ 1).
    ///   - depth: batches read ahead at most (≥ 1).
    ///   - position: measures, on the reading thread, how far the source has read (e.g. bytes),
    ///     after each batch; ``position`` reports it.
    public init<S: RecordSource<Exposure> & SendableMetatype>(
        _ source: sending S, batchSize: Int = PrefetchedSource<Exposure>.defaultBatchSize, depth: Int = 4,
        position measure: (@Sendable (borrowing S) -> Int)? = nil
    ) {
        precondition(batchSize >= 1 && depth >= 1)
        sourceName = source.sourceName
        let channel = BatchChannel<ExposureBatch>(depth: depth)
        position = ProgressCounter()
        consumer = ChannelConsumer(channel)
        startReadingAhead(source, into: channel, batchSize: batchSize, position: measure)
    }

    /// The next row, in the wrapped source's order; `nil` at the end.
    /// - Throws: what the wrapped source threw, after the rows it returned before.
    public mutating func next() throws -> RowOutcome<Exposure>? {
        guard try advance() else { return nil }
        var row = 0
        if let outcome = cursor.next(compactRow: &row) { return outcome }
        return .record(cursor.batch.rows.record(row), line: cursor.batch.rows.line(row))
    }

    /// The next row for an import: a compact record is appended to `pending` and `nil` returned,
    /// any other row handed over whole; `nil` with nothing appended at the end.
    /// - Throws: as ``next()``.
    mutating func next(queuingInto pending: inout ExposureRows) throws -> RowOutcome<Exposure>? {
        guard try advance() else { return nil }
        var row = 0
        if let outcome = cursor.next(compactRow: &row) { return outcome }
        pending.append(cursor.batch.rows, row: row)
        return nil
    }

    /// Takes the next batch when the current one is read; `false` at the end.
    private mutating func advance() throws -> Bool {
        while cursor.isAtEnd {
            if ended { return false }
            // Released before the next is taken: `depth + 2` batches alive at most.
            cursor = ExposureBatchCursor(ExposureBatch(capacity: 0))
            switch consumer.channel.receive() {
            case let .rows(rows, position: bytes):
                cursor = ExposureBatchCursor(rows)
                position.value = bytes
            case .end:
                ended = true
                return false
            case let .failure(error):
                ended = true
                throw error
            }
        }
        return true
    }
}
