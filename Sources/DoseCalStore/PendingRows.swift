import DoseCalDomain

/// The rows a ``BatchedInsert`` holds until its next statement: each row's values, bound to
/// the statement's parameters, and its file line.
protocol PendingRows<Record> {
    associatedtype Record: Sendable
    init()
    /// Rows held.
    var count: Int { get }
    /// Appends a record (all its numbers finite) read on file line `line`.
    mutating func append(_ record: Record, line: Int)
    /// Drops every row, keeping the storage for the next group.
    mutating func removeAll()
    /// The record of row `row` (built anew when the rows are stored compactly).
    func record(_ row: Int) -> Record
    /// The file line of row `row`.
    func line(_ row: Int) -> Int
    /// Binds row `row`'s values, then `importID`, to the parameters `first + 1 …` of `statement`.
    func bind(_ row: Int, importID: Int64, to statement: RawStatement, from first: CInt) throws
}

/// Rows kept as records, bound by their kind (``StoredKind/bind(_:importID:to:from:)``).
struct RecordRows<K: StoredKind>: PendingRows {
    private var rows: [(record: K.Record, line: Int)] = []

    init() {}
    var count: Int { rows.count }
    mutating func append(_ record: K.Record, line: Int) { rows.append((record, line)) }
    mutating func removeAll() { rows.removeAll(keepingCapacity: true) }
    func record(_ row: Int) -> K.Record { rows[row].record }
    func line(_ row: Int) -> Int { rows[row].line }
    func bind(_ row: Int, importID: Int64, to statement: RawStatement, from first: CInt) throws {
        try K.bind(rows[row].record, importID: importID, to: statement, from: first)
    }
}
