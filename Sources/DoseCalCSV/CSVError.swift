import DoseCalDomain

/// The CSV module's one public error: a problem that makes a file (or the rest of it) unreadable.
///
/// Problems confined to one row of a record file are not errors but
/// ``RowOutcome/rejected(_:)`` values (see ``ProcedureCSVSource``); a `CSVError` is thrown for
/// what cannot be confined to a row: an unreadable file, malformed quoting (after which record
/// boundaries are unknown), text that is not UTF-8, a header without a required column.
///
/// ``description`` is one sentence that starts with the place, for example
/// `procedures.csv:17: unterminated quoted field (opened on line 15)` or
/// `exposures.csv: missing required columns: dosimeter_id, hp10_usv`.
public struct CSVError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong. Raw values are stable identifiers for scripts and tests.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// The file could not be opened (or, for ``CSVWriter``, created).
        case cannotOpen = "cannot_open"
        /// Reading the file failed part-way.
        case readFailed = "read_failed"
        /// Writing (``CSVWriter``) failed.
        case writeFailed = "write_failed"
        /// The file has no header row (it is empty, or holds only empty lines).
        case missingHeader = "missing_header"
        /// A `"` inside a field that does not start with `"`.
        case quoteInUnquotedField = "quote_in_unquoted_field"
        /// Something other than `,` or a line end after the closing quote of a quoted field.
        case textAfterClosingQuote = "text_after_closing_quote"
        /// A quoted field still open at the end of the file.
        case unterminatedQuote = "unterminated_quote"
        /// A carriage return outside quotes that is not followed by a line feed.
        case bareCarriageReturn = "bare_carriage_return"
        /// A field read as text is not valid UTF-8.
        case invalidUTF8 = "invalid_utf8"
        /// Required columns are absent from the header (all of them are listed in ``columns``).
        case missingColumns = "missing_columns"
        /// A column name the reader uses appears more than once in the header.
        case duplicateColumns = "duplicate_columns"
        /// A row has a different number of fields than the header (``CSVColumnReader``).
        case fieldCount = "field_count"
        /// A cell that must be a number is not a finite decimal number (``CSVColumnReader``).
        case notANumber = "not_a_number"
    }

    public var kind: Kind
    /// The file name used in messages (the path as given, or `<stdin>`).
    public var file: String
    /// The 1-based physical line the problem is on, when it is about a line.
    public var line: Int?
    /// The column: its header name when known, else `field N` (1-based).
    public var column: String?
    /// The offending text, when there is one.
    public var value: String?
    /// The columns concerned, for ``Kind/missingColumns`` and ``Kind/duplicateColumns``.
    public var columns: [String]
    /// The sentence after the location, e.g. `unterminated quoted field (opened on line 15)`.
    public var message: String

    public init(
        _ kind: Kind, file: String, line: Int? = nil, column: String? = nil, value: String? = nil,
        columns: [String] = [], message: String
    ) {
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.value = value
        self.columns = columns
        self.message = message
    }

    /// `file:line: message`, or `file: message` when no line applies.
    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }

    /// The same place as a domain ``SourceLocation``.
    public var location: SourceLocation {
        SourceLocation(file: file, line: line, column: column, value: value)
    }
}
