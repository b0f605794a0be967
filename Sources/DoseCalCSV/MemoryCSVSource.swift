import DoseCalDomain

/// Reads dosimeter memory readings (``DosimeterMemoryReading``) from a CSV file (SPEC §2, §7),
/// one row at a time.
///
/// Columns, by exact name, in any order; others are ignored. All are required:
/// `dosimeter_id`, `read_at` (ISO 8601 timestamp), `cumulative_usv`, `period_from`,
/// `period_to` (`YYYY-MM-DD`, both days included).
///
/// Each row becomes a reading or a ``RowRejection``: `bad_value` (field count, or `period_to`
/// before `period_from`), `empty_required`, `malformed_date` / `date_out_of_range` (`read_at`
/// through ``parseTimestampDate(_:)``, the period ends through `CivilDate(iso:)`, years in
/// `CivilDate.acceptedYears`), `not_a_number` / `negative_value` (`cumulative_usv`).
///
/// Several readings of one dosimeter are legitimate (one per period or per read-out), so no
/// duplicate rule applies here; reconciling overlapping readings is the data-quality step's job.
public struct MemoryCSVSource: RecordSource {
    public typealias Record = DosimeterMemoryReading

    /// Columns that must be in the header.
    public static let requiredColumns = ["dosimeter_id", "read_at", "cumulative_usv", "period_from", "period_to"]

    private var decoding: RecordDecoding
    private let dosimeterID, readAt, cumulative, periodFrom, periodTo: Int

    /// The file name used in messages.
    public var sourceName: String { decoding.sourceName }
    /// The header as written.
    public var header: [String] { decoding.table.header }
    /// The underlying reader, for progress.
    public var reader: CSVReader { decoding.table.reader }

    /// Opens a memory-readings file (or standard input for `-`) and checks its header.
    /// - Throws: ``CSVError`` when the file cannot be opened, has no header, lacks required
    ///   columns (all are listed), or names a known column twice.
    public init(path: String, name: String? = nil) throws(CSVError) {
        try self.init(reader: CSVReader(path: path, name: name))
    }

    /// Reads memory readings from a reader positioned at the header.
    /// - Throws: as ``init(path:name:)``.
    public init(reader: CSVReader) throws(CSVError) {
        let table = try CSVTable(reader: reader, required: Self.requiredColumns, optional: [])
        decoding = RecordDecoding(table: table)
        dosimeterID = decoding.required("dosimeter_id")
        readAt = decoding.required("read_at")
        cumulative = decoding.required("cumulative_usv")
        periodFrom = decoding.required("period_from")
        periodTo = decoding.required("period_to")
    }

    /// The next row as a reading or a rejection; `nil` at the end of the file.
    /// - Throws: ``CSVError`` for problems that make the rest of the file unreadable.
    public mutating func next() throws(CSVError) -> RowOutcome<DosimeterMemoryReading>? {
        let c = (dosimeterID, readAt, cumulative, periodFrom, periodTo)
        return try decoding.next { (row, _) throws(RowProblem) in
            let id = try row.text("dosimeter_id", c.0)
            let read = try row.timestamp("read_at", c.1)
            let microSv = try row.number("cumulative_usv", c.2, .dose)
            let from = try row.date("period_from", c.3)
            let to = try row.date("period_to", c.4)
            guard let period = try? Period(from: from, to: to) else {
                throw row.rejection(.badValue, column: "period_to", index: c.4, "period_to (\(to)) is before period_from (\(from))")
            }
            return DosimeterMemoryReading(dosimeterID: id, readAt: read.text, cumulativeMicroSv: microSv, period: period)
        }
    }
}
