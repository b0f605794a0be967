import DoseCalDomain

/// Why decoding a row stopped: a rejection confined to the row, or an error for the whole file.
enum RowProblem: Error {
    case rejected(RowRejection)
    case error(CSVError)
}

/// What a number measures, for the sentence rejecting a negative value.
enum Quantity {
    case dose, kap, time, kerma

    var phrase: String {
        switch self {
        case .dose: return "a dose"
        case .kap: return "a kerma-area product"
        case .time: return "a time"
        case .kerma: return "an air kerma"
        }
    }
}

/// Typed access to the fields of one data row, turning each problem into a ``RowRejection``
/// with file, line, column, value and a sentence.
///
/// Decisions shared by every record kind:
/// - Identifiers and free text (`study_uid`, `operator_id`, `room`, `specialty`, names…) are kept
///   exactly as written, surrounding spaces included, so keys never merge silently; a required
///   one that is empty or only whitespace is rejected (`empty_required`); an optional one that
///   is blank is absent (`nil`).
/// - Typed values (numbers, dates, timestamps, roles) ignore surrounding ASCII whitespace
///   (space, tab, CR, LF, VT, FF), quoted or not; `started_at` and `read_at` are stored trimmed.
/// - Numbers follow ``parseDouble(_:)-(UnsafeRawBufferPointer)`` (`.` decimal separator, optional
///   exponent); text that is not such a number, or overflows to infinity, is `not_a_number`;
///   doses, KAPs, times and kermas below zero are `negative_value` (`-0` is read as `0`).
struct RowDecoder {
    let record: CSVRecord
    let file: String

    var line: Int { record.line }

    func rejection(_ rule: RejectionRule, column: String?, index: Int?, _ reason: String) -> RowProblem {
        .rejected(RowRejection(
            location: SourceLocation(file: file, line: record.line, column: column, value: index.map { record.lossyString(at: $0) }),
            rule: rule, reason: reason))
    }

    private func string(_ index: Int) throws(RowProblem) -> String {
        do {
            return try record.string(at: index)
        } catch {
            throw .error(error)
        }
    }

    /// A required identifier or text, exactly as written.
    func text(_ column: String, _ index: Int) throws(RowProblem) -> String {
        guard !record.isBlank(at: index) else {
            throw rejection(.emptyRequired, column: column, index: index, "\(column) is empty; it is required")
        }
        return try string(index)
    }

    /// An optional text, exactly as written; `nil` when the column is absent or the value blank.
    func optionalText(_ column: String, _ index: Int?) throws(RowProblem) -> String? {
        guard let index, !record.isBlank(at: index) else { return nil }
        return try string(index)
    }

    /// A required non-negative finite number.
    func number(_ column: String, _ index: Int, _ quantity: Quantity) throws(RowProblem) -> Double {
        guard let value = try optionalNumber(column, index, quantity) else {
            throw rejection(.emptyRequired, column: column, index: index, "\(column) is empty; it is required")
        }
        return value
    }

    /// An optional non-negative finite number; `nil` when the column is absent or the value blank.
    func optionalNumber(_ column: String, _ index: Int?, _ quantity: Quantity) throws(RowProblem) -> Double? {
        guard let index, !record.isBlank(at: index) else { return nil }
        guard let value = record.double(at: index) else {
            let text = record.lossyString(at: index)
            var reason = "\(column) is not a number"
            if text.contains(",") { reason += " (the decimal separator is '.', not ',')" }
            throw rejection(.notANumber, column: column, index: index, reason)
        }
        guard value.isFinite else {
            throw rejection(.notANumber, column: column, index: index, "\(column) is too large to be a finite number")
        }
        guard value >= 0 else {
            throw rejection(.negativeValue, column: column, index: index, "\(column) is negative; \(quantity.phrase) cannot be below zero")
        }
        return value + 0.0  // -0 → +0
    }

    /// A required ISO 8601 timestamp (``parseTimestampDate(_:)``), trimmed, and its date.
    func timestamp(_ column: String, _ index: Int) throws(RowProblem) -> (text: String, date: CivilDate) {
        guard !record.isBlank(at: index) else {
            throw rejection(.emptyRequired, column: column, index: index, "\(column) is empty; it is required")
        }
        let text = try string(index).trimmingASCIIWhitespace()
        guard let date = parseTimestampDate(text) else {
            throw rejection(
                .malformedDate, column: column, index: index,
                "\(column) is not an ISO 8601 timestamp of an existing day (YYYY-MM-DD, optionally followed by THH:MM, :SS, .fff and Z or ±HH:MM)")
        }
        try checkRange(date, column, index)
        return (text, date)
    }

    /// A required calendar date `YYYY-MM-DD`.
    func date(_ column: String, _ index: Int) throws(RowProblem) -> CivilDate {
        guard !record.isBlank(at: index) else {
            throw rejection(.emptyRequired, column: column, index: index, "\(column) is empty; it is required")
        }
        guard let date = CivilDate(iso: try string(index).trimmingASCIIWhitespace()) else {
            throw rejection(.malformedDate, column: column, index: index, "\(column) is not a date YYYY-MM-DD of an existing day")
        }
        try checkRange(date, column, index)
        return date
    }

    private func checkRange(_ date: CivilDate, _ column: String, _ index: Int) throws(RowProblem) {
        let years = CivilDate.acceptedYears
        guard years.contains(date.year) else {
            throw rejection(
                .dateOutOfRange, column: column, index: index,
                "\(column) is in \(date.year), outside the accepted years \(years.lowerBound)–\(years.upperBound)")
        }
    }
}

/// Per-file state shared by the record sources: the table, duplicate tracking, and the loop
/// that turns rows into ``RowOutcome``s.
struct RecordDecoding {
    var table: CSVTable
    private var duplicates = DuplicateTracker()
    /// Off when the consumer detects duplicate keys itself (the store's key index): then memory
    /// no longer grows with the file.
    var tracksDuplicates = true

    init(table: CSVTable) {
        self.table = table
    }

    var sourceName: String { table.sourceName }

    /// Decoding of one record of the same file given as its bytes as written (no line end),
    /// starting on physical line `line`; without duplicate tracking, which needs the whole file.
    func reading(record raw: UnsafeRawBufferPointer, line: Int) -> RecordDecoding {
        var one = RecordDecoding(table: table.reading(record: raw, line: line))
        one.tracksDuplicates = false
        return one
    }

    /// The column's index; only for columns resolved as required.
    func required(_ name: String) -> Int {
        guard let i = table.index[name] else { preconditionFailure("column \(name) was not declared required") }
        return i
    }

    func optional(_ name: String) -> Int? { table.index[name] }

    /// The next row decoded by `decode`, with `decode`'s rejections as `.rejected`.
    mutating func next<Record>(_ decode: (RowDecoder, inout RecordDecoding) throws(RowProblem) -> Record) throws(CSVError) -> RowOutcome<Record>? {
        guard let row = try table.next() else { return nil }
        let record: CSVRecord
        switch row {
        case let .failure(rejection): return .rejected(rejection)
        case let .success(r): record = r
        }
        do {
            return .record(try decode(RowDecoder(record: record, file: table.sourceName), &self), line: record.line)
        } catch {
            switch error {
            case let .rejected(rejection): return .rejected(rejection)
            case let .error(csvError): throw csvError
            }
        }
    }

    /// Claims the row's key (the byte contents of `key`'s columns); throws a
    /// `duplicate_in_import` rejection naming the first line when an earlier row carries it.
    mutating func claimKey(_ row: RowDecoder, key: KeyColumns) throws(RowProblem) {
        guard tracksDuplicates else { return }
        let digest = keyDigest(of: row.record, fields: key.indices)
        let content = contentDigest(of: row.record)
        guard let first = duplicates.claim(key: digest, line: row.line, content: content) else { return }
        let values = key.indices.map { row.record.lossyString(at: $0) }.joined(separator: ", ")
        let firstLine = first.line.map { "line \($0)" } ?? "an earlier line"
        let reason = DuplicateTracker.sameContent(first, content)
            ? "identical duplicate of \(firstLine) (same \(key.phrase)); each appears once per file, the first is kept"
            : "duplicate \(key.phrase): \(firstLine) has the same; each appears once per file, the first is kept and later ones are rejected"
        throw .rejected(RowRejection(
            location: SourceLocation(file: row.file, line: row.line, column: key.names, value: values),
            rule: .duplicateInImport, reason: reason))
    }
}

/// The columns that identify a row within one file, resolved once per file.
struct KeyColumns {
    let indices: [Int]
    /// `study_uid` or `study_uid, operator_id`.
    let names: String
    /// `study_uid` or `(study_uid, operator_id)`.
    let phrase: String

    init(_ columns: [(name: String, index: Int)]) {
        indices = columns.map(\.index)
        names = columns.map(\.name).joined(separator: ", ")
        phrase = columns.count == 1 ? names : "(\(names))"
    }
}
