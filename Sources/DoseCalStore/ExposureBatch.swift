import DoseCalDomain

/// A batch of exposure rows on its way from the reading thread to the import: the rows with
/// finite numbers as compact ``ExposureRows``, the others (rejections, a record holding a NaN
/// or an infinity) whole, each at its place in the source's order.
struct ExposureBatch: ReadAheadBatch {
    /// The records with finite numbers, in order.
    private(set) var rows: ExposureRows
    /// The other rows, each with its place among all the batch's rows, in order.
    private(set) var others: [(place: Int, row: RowOutcome<Exposure>)] = []
    /// Rows in the batch, compact or not.
    private(set) var count = 0

    init(capacity: Int) { rows = ExposureRows(capacity: capacity) }

    mutating func append(_ row: RowOutcome<Exposure>) {
        if case let .record(e, line) = row, ExposureKind.isFinite(e) {
            rows.append(e, line: line)
        } else {
            others.append((count, row))
        }
        count += 1
    }
}

/// Reads an ``ExposureBatch`` out in order.
struct ExposureBatchCursor {
    private(set) var batch: ExposureBatch
    /// The place of the next row among all the batch's rows.
    private var place = 0
    /// The next compact row.
    private var compact = 0
    /// The next of the other rows.
    private var other = 0

    init(_ batch: ExposureBatch) { self.batch = batch }

    /// Whether every row was read.
    var isAtEnd: Bool { place == batch.count }

    /// The next row: `nil` for a compact row (its index in ``ExposureBatch/rows`` is in
    /// `compactRow`), else the row as the source returned it.
    /// - Precondition: not ``isAtEnd``.
    mutating func next(compactRow: inout Int) -> RowOutcome<Exposure>? {
        defer { place += 1 }
        if other < batch.others.count, batch.others[other].place == place {
            other += 1
            return batch.others[other - 1].row
        }
        compactRow = compact
        compact += 1
        return nil
    }
}
