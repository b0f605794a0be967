import DoseCalDomain

/// Reads ``Exposure`` records from an exposures CSV file (SPEC §2), one row at a time.
///
/// Columns, by exact name, in any order; others are ignored:
/// - required: `study_uid`, `operator_id`, `dosimeter_id`, `hp10_usv`;
/// - optional: `role` (`first`, `second` or `other`, any letter case; empty = unknown),
///   `hp10_fluoro_usv`, `hp10_acq_usv`.
///
/// Each row becomes an ``Exposure`` or a ``RowRejection``:
/// - `bad_value`: the field count differs from the header's, or `role` is not one of the three;
/// - `empty_required`: `study_uid`, `operator_id`, `dosimeter_id` or `hp10_usv` blank;
/// - `duplicate_in_import`: a (`study_uid`, `operator_id`) pair already carried by an earlier
///   row (the first is kept; a byte-identical later row is an "identical duplicate", still rejected);
/// - `not_a_number` / `negative_value`: an Hp(10) that is not a finite decimal number, or is
///   below zero.
///
/// Whether the `study_uid` is a known procedure is checked where procedures are known (the
/// store), not here (`unknown_study`). When both `hp10_fluoro_usv` and `hp10_acq_usv` are given
/// they are not required to add up to `hp10_usv`: the hub rounds each reading separately and a
/// dosimeter may record dose outside both modes, so a mismatch is not evidence of bad data.
///
/// - Complexity: O(file size) time; memory O(distinct pairs) for duplicate detection (about 40
///   bytes each) plus the reader's buffer.
public struct ExposureCSVSource: RecordSource {
    public typealias Record = Exposure

    /// Columns that must be in the header.
    public static let requiredColumns = ["study_uid", "operator_id", "dosimeter_id", "hp10_usv"]
    /// Columns read when present.
    public static let optionalColumns = ["role", "hp10_fluoro_usv", "hp10_acq_usv"]

    private var decoding: RecordDecoding
    private let key: KeyColumns
    private let studyUID, operatorID, dosimeterID, hp10: Int
    private let role, hp10Fluoro, hp10Acq: Int?

    /// The file name used in messages.
    public var sourceName: String { decoding.sourceName }
    /// The header as written.
    public var header: [String] { decoding.table.header }
    /// The underlying reader, for progress.
    public var reader: CSVReader { decoding.table.reader }

    /// Opens an exposures file (or standard input for `-`) and checks its header.
    /// - Throws: ``CSVError`` when the file cannot be opened, has no header, lacks required
    ///   columns (all are listed), or names a known column twice.
    public init(path: String, name: String? = nil) throws(CSVError) {
        try self.init(reader: CSVReader(path: path, name: name))
    }

    /// Opens a file for a consumer that finds duplicate keys itself (the store, whose key index
    /// rejects a repeated key within an import): no within-file duplicate tracking, so memory
    /// stays flat in the file's size.
    /// - Throws: as ``init(path:name:)``.
    public init(path: String, name: String? = nil, tracksDuplicates: Bool) throws(CSVError) {
        try self.init(reader: CSVReader(path: path, name: name))
        decoding.tracksDuplicates = tracksDuplicates
    }

    /// Reads exposures from a reader positioned at the header.
    /// - Throws: as ``init(path:name:)``.
    public init(reader: CSVReader) throws(CSVError) {
        let table = try CSVTable(reader: reader, required: Self.requiredColumns, optional: Self.optionalColumns)
        decoding = RecordDecoding(table: table)
        studyUID = decoding.required("study_uid")
        operatorID = decoding.required("operator_id")
        dosimeterID = decoding.required("dosimeter_id")
        hp10 = decoding.required("hp10_usv")
        role = decoding.optional("role")
        hp10Fluoro = decoding.optional("hp10_fluoro_usv")
        hp10Acq = decoding.optional("hp10_acq_usv")
        key = KeyColumns([("study_uid", studyUID), ("operator_id", operatorID)])
    }

    /// The outcome of one row of this file given as its CSV text: decoded as ``next()`` decodes
    /// that row, except that duplicates are not tracked (that takes every row before it). For a
    /// reader of the file that hands over only the rows it does not accept outright (the
    /// streaming engine).
    /// - Parameters:
    ///   - raw: the record as written, without its line end.
    ///   - line: the physical line it starts on, for messages.
    /// - Returns: the row's outcome; `nil` when `raw` holds no record.
    /// - Throws: ``CSVError`` when `raw` is not well-formed CSV.
    /// - Complexity: O(`raw.count`).
    public func outcome(ofRecord raw: UnsafeRawBufferPointer, line: Int) throws(CSVError) -> RowOutcome<Exposure>? {
        var one = self
        one.decoding = decoding.reading(record: raw, line: line)
        return try one.next()
    }

    /// The next row as an exposure or a rejection; `nil` at the end of the file.
    /// - Throws: ``CSVError`` for problems that make the rest of the file unreadable.
    public mutating func next() throws(CSVError) -> RowOutcome<Exposure>? {
        let c = (studyUID, operatorID, dosimeterID, hp10, role, hp10Fluoro, hp10Acq)
        let key = self.key
        return try decoding.next { (row, decoding) throws(RowProblem) in
            let uid = try row.text("study_uid", c.0)
            let op = try row.text("operator_id", c.1)
            try decoding.claimKey(row, key: key)
            return Exposure(
                studyUID: uid,
                operatorID: op,
                dosimeterID: try row.text("dosimeter_id", c.2),
                role: try Self.role(row, c.4),
                hp10MicroSv: try row.number("hp10_usv", c.3, .dose),
                hp10FluoroMicroSv: try row.optionalNumber("hp10_fluoro_usv", c.5, .dose),
                hp10AcqMicroSv: try row.optionalNumber("hp10_acq_usv", c.6, .dose))
        }
    }

    private static func role(_ row: RowDecoder, _ index: Int?) throws(RowProblem) -> OperatorRole? {
        guard let index, !row.record.isBlank(at: index) else { return nil }
        let role: OperatorRole? = row.record.withBytes(at: index) { bytes in
            let text = trimmingASCIIWhitespace(bytes)
            return OperatorRole.allCases.first { asciiCaseInsensitiveEquals(text, $0.rawValue) }
        }
        guard let role else {
            throw row.rejection(.badValue, column: "role", index: index, "role must be first, second or other (any letter case), or empty")
        }
        return role
    }
}

/// Whether `bytes` spell `word` (lowercase ASCII) in any ASCII letter case.
private func asciiCaseInsensitiveEquals(_ bytes: UnsafeRawBufferPointer, _ word: String) -> Bool {
    guard bytes.count == word.utf8.count else { return false }
    for (b, w) in zip(bytes, word.utf8) where b != w && !(b >= 65 && b <= 90 && b + 32 == w) {
        return false
    }
    return true
}
