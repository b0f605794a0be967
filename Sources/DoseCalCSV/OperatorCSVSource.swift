import DoseCalDomain

/// Reads the operator roster (``OperatorInfo``) from an operators CSV file (SPEC §9), one row
/// at a time.
///
/// Columns, by exact name, in any order; others are ignored:
/// - required: `operator_id`, `specialty`;
/// - optional: `name`, `subspecialty` (blank = absent).
///
/// Each row becomes an ``OperatorInfo`` or a ``RowRejection``: `bad_value` (field count),
/// `empty_required` (`operator_id` or `specialty` blank), `duplicate_in_import` (an
/// `operator_id` already carried by an earlier row; the first is kept, a byte-identical later
/// row is an "identical duplicate", still rejected). Identifiers and names are kept exactly as
/// written.
public struct OperatorCSVSource: RecordSource {
    public typealias Record = OperatorInfo

    /// Columns that must be in the header.
    public static let requiredColumns = ["operator_id", "specialty"]
    /// Columns read when present.
    public static let optionalColumns = ["name", "subspecialty"]

    private var decoding: RecordDecoding
    private let key: KeyColumns
    private let operatorID, specialty: Int
    private let name, subspecialty: Int?

    /// The file name used in messages.
    public var sourceName: String { decoding.sourceName }
    /// The header as written.
    public var header: [String] { decoding.table.header }
    /// The underlying reader, for progress.
    public var reader: CSVReader { decoding.table.reader }

    /// Opens an operators file (or standard input for `-`) and checks its header.
    /// - Throws: ``CSVError`` when the file cannot be opened, has no header, lacks required
    ///   columns (all are listed), or names a known column twice.
    public init(path: String, name: String? = nil) throws(CSVError) {
        try self.init(reader: CSVReader(path: path, name: name))
    }

    /// Reads operators from a reader positioned at the header.
    /// - Throws: as ``init(path:name:)``.
    public init(reader: CSVReader) throws(CSVError) {
        let table = try CSVTable(reader: reader, required: Self.requiredColumns, optional: Self.optionalColumns)
        decoding = RecordDecoding(table: table)
        operatorID = decoding.required("operator_id")
        specialty = decoding.required("specialty")
        name = decoding.optional("name")
        subspecialty = decoding.optional("subspecialty")
        key = KeyColumns([("operator_id", operatorID)])
    }

    /// The next row as a roster entry or a rejection; `nil` at the end of the file.
    /// - Throws: ``CSVError`` for problems that make the rest of the file unreadable.
    public mutating func next() throws(CSVError) -> RowOutcome<OperatorInfo>? {
        let c = (operatorID, specialty, name, subspecialty)
        let key = self.key
        return try decoding.next { (row, decoding) throws(RowProblem) in
            let id = try row.text("operator_id", c.0)
            try decoding.claimKey(row, key: key)
            return OperatorInfo(
                operatorID: id,
                specialty: try row.text("specialty", c.1),
                name: try row.optionalText("name", c.2),
                subspecialty: try row.optionalText("subspecialty", c.3))
        }
    }
}
