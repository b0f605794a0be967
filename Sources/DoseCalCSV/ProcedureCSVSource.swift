import DoseCalDomain

/// Reads ``Procedure`` records from a procedures CSV file (SPEC §2), one row at a time.
///
/// Columns, by exact name, in any order; others are ignored:
/// - required: `study_uid`, `started_at`, `room`, `specialty`, `procedure_type`, `kap_gycm2`
///   (the `kap_gycm2` column must exist, but an empty value means "unknown" and gives `nil`);
/// - optional: `kap_fluoro_gycm2`, `kap_acq_gycm2`, `fluoro_time_s`, `ka_rp_mgy`, `ref_dosimeter_usv`.
///
/// Each row becomes a ``Procedure`` or a ``RowRejection`` (never a guess, never a silent drop):
/// - `bad_value`: the row's field count differs from the header's;
/// - `empty_required`: `study_uid`, `started_at`, `room`, `specialty` or `procedure_type` blank;
/// - `duplicate_in_import`: a `study_uid` already carried by an earlier row (the first is kept,
///   even when a later row is byte-identical, which is reported as an "identical duplicate");
/// - `malformed_date` / `date_out_of_range`: `started_at` not a timestamp accepted by
///   ``parseTimestampDate(_:)``, or its year outside `CivilDate.acceptedYears`;
/// - `not_a_number` / `negative_value`: a KAP, time, kerma or reference dose that is not a
///   finite decimal number, or is below zero.
///
/// Values are checked in the column order above and the first problem is reported. The
/// fluoroscopy and acquisition KAPs are not required to add up to `kap_gycm2` (systems round
/// each part separately).
///
/// Whitespace (the same for every record kind): identifiers and free text (`study_uid`, `room`,
/// `specialty`, `procedure_type`) are kept exactly as written, surrounding spaces included, so
/// keys never merge silently, but a value that is only whitespace counts as empty; numbers and
/// timestamps ignore surrounding ASCII whitespace, quoted or not (`started_at` is stored
/// trimmed). `-0` is read as `0`.
///
/// - Complexity: O(file size) time; memory O(distinct `study_uid`s) for duplicate detection
///   (about 40 bytes each) plus the reader's buffer.
public struct ProcedureCSVSource: RecordSource {
    public typealias Record = Procedure

    /// Columns that must be in the header.
    public static let requiredColumns = ["study_uid", "started_at", "room", "specialty", "procedure_type", "kap_gycm2"]
    /// Columns read when present.
    public static let optionalColumns = ["kap_fluoro_gycm2", "kap_acq_gycm2", "fluoro_time_s", "ka_rp_mgy", "ref_dosimeter_usv"]

    private var decoding: RecordDecoding
    private let key: KeyColumns
    private let studyUID, startedAt, room, specialty, procedureType, kap: Int
    private let kapFluoro, kapAcq, fluoroTime, kaRP, refDosimeter: Int?

    /// The file name used in messages.
    public var sourceName: String { decoding.sourceName }
    /// The header as written.
    public var header: [String] { decoding.table.header }
    /// The underlying reader, for progress (``CSVReader/bytesRead``, ``CSVReader/totalBytes``).
    public var reader: CSVReader { decoding.table.reader }

    /// Opens a procedures file (or standard input for `-`) and checks its header.
    ///
    /// - Parameters:
    ///   - path: the file; `-` reads standard input.
    ///   - name: the name used in messages; defaults to `path`.
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

    /// Reads procedures from a reader positioned at the header.
    /// - Throws: as ``init(path:name:)``.
    public init(reader: CSVReader) throws(CSVError) {
        let table = try CSVTable(reader: reader, required: Self.requiredColumns, optional: Self.optionalColumns)
        decoding = RecordDecoding(table: table)
        studyUID = decoding.required("study_uid")
        startedAt = decoding.required("started_at")
        room = decoding.required("room")
        specialty = decoding.required("specialty")
        procedureType = decoding.required("procedure_type")
        kap = decoding.required("kap_gycm2")
        kapFluoro = decoding.optional("kap_fluoro_gycm2")
        kapAcq = decoding.optional("kap_acq_gycm2")
        fluoroTime = decoding.optional("fluoro_time_s")
        kaRP = decoding.optional("ka_rp_mgy")
        refDosimeter = decoding.optional("ref_dosimeter_usv")
        key = KeyColumns([("study_uid", studyUID)])
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
    public func outcome(ofRecord raw: UnsafeRawBufferPointer, line: Int) throws(CSVError) -> RowOutcome<Procedure>? {
        var one = self
        one.decoding = decoding.reading(record: raw, line: line)
        return try one.next()
    }

    /// The next row as a procedure or a rejection; `nil` at the end of the file.
    /// - Throws: ``CSVError`` for problems that make the rest of the file unreadable
    ///   (malformed quoting, invalid UTF-8 in a text field, a read failure).
    public mutating func next() throws(CSVError) -> RowOutcome<Procedure>? {
        let c = (studyUID, startedAt, room, specialty, procedureType, kap, kapFluoro, kapAcq, fluoroTime, kaRP, refDosimeter)
        let key = self.key
        return try decoding.next { (row, decoding) throws(RowProblem) in
            let uid = try row.text("study_uid", c.0)
            try decoding.claimKey(row, key: key)
            let started = try row.timestamp("started_at", c.1)
            return Procedure(
                studyUID: uid,
                startedAt: started.text,
                date: started.date,
                room: try row.text("room", c.2),
                specialty: try row.text("specialty", c.3),
                procedureType: try row.text("procedure_type", c.4),
                kapGyCm2: try row.optionalNumber("kap_gycm2", c.5, .kap),
                kapFluoroGyCm2: try row.optionalNumber("kap_fluoro_gycm2", c.6, .kap),
                kapAcqGyCm2: try row.optionalNumber("kap_acq_gycm2", c.7, .kap),
                fluoroTimeS: try row.optionalNumber("fluoro_time_s", c.8, .time),
                kaRPMilliGy: try row.optionalNumber("ka_rp_mgy", c.9, .kerma),
                refDosimeterMicroSv: try row.optionalNumber("ref_dosimeter_usv", c.10, .dose))
        }
    }
}
