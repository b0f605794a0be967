/// Where a value came from: file, line (1-based physical line where the record starts),
/// column name, the offending text, or a byte offset for binary files.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: String?
    public var value: String?
    public var byteOffset: Int?

    public init(file: String, line: Int? = nil, column: String? = nil, value: String? = nil, byteOffset: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.value = value
        self.byteOffset = byteOffset
    }

    /// `file:line, column 'x', value "v"`.
    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        if let byteOffset { s += " at byte \(byteOffset)" }
        if let column { s += ", column '\(column)'" }
        if let value { s += ", value \"\(value)\"" }
        return s
    }
}

/// Why a row was rejected. Raw values are stable (they appear in JSON summaries).
public enum RejectionRule: String, Hashable, Sendable, CaseIterable {
    case emptyRequired = "empty_required"
    case notANumber = "not_a_number"
    case negativeValue = "negative_value"
    case malformedDate = "malformed_date"
    case dateOutOfRange = "date_out_of_range"
    case badValue = "bad_value"
    case duplicateInImport = "duplicate_in_import"
    case unknownStudy = "unknown_study"
    case conflictsWithStored = "conflicts_with_stored"
}

/// One rejected row: where, which rule, and a sentence a physicist can act on.
public struct RowRejection: Hashable, Sendable, CustomStringConvertible, Error {
    public var location: SourceLocation
    public var rule: RejectionRule
    public var reason: String

    public init(location: SourceLocation, rule: RejectionRule, reason: String) {
        self.location = location
        self.rule = rule
        self.reason = reason
    }

    public var description: String { "\(location): \(reason)" }
}

/// One row read from a record source: a valid record, or a rejection.
public enum RowOutcome<Record: Sendable>: Sendable {
    case record(Record, line: Int)
    case rejected(RowRejection)
}

/// A stream of records from a file (CSV, RDSR…). Structural problems that make the rest of the
/// file unreadable (bad quoting, missing required columns, unreadable file) are thrown;
/// problems confined to one row come back as ``RowOutcome/rejected(_:)``.
public protocol RecordSource<Record> {
    associatedtype Record: Sendable
    /// The file name used in messages.
    var sourceName: String { get }
    /// The next row, or `nil` at the end.
    mutating func next() throws -> RowOutcome<Record>?
}

/// What one import did.
public struct ImportSummary: Sendable, Hashable {
    /// "procedures", "exposures", "operators", "memory", "rdsr".
    public var kind: String
    public var source: String
    /// Data rows read.
    public var read = 0
    /// Rows newly stored.
    public var imported = 0
    /// Rows identical to stored ones (a re-import), not stored again.
    public var unchanged = 0
    /// Rows skipped for another documented reason (e.g. a non-RDSR file in a folder).
    public var skipped = 0
    /// The rejected rows: all counted, the first ``listedRejectionLimit`` kept whole, so an
    /// import of a bad 10-million-row file does not hold 10 million messages.
    public private(set) var rejectedRows = RejectedRows(limit: ImportSummary.listedRejectionLimit)
    /// The rejected rows kept for display: the first ``listedRejectionLimit`` of them (all are
    /// counted in ``rejected`` and ``rejectedByRule``).
    public var rejections: [RowRejection] { rejectedRows.listed }
    /// How many rejected rows ``rejections`` keeps.
    public static let listedRejectionLimit = RejectedRows.defaultLimit
    /// Rows rejected, all of them.
    public var rejected: Int { rejectedRows.count }
    /// Rejections counted per rule, all of them.
    public var rejectedByRule: [RejectionRule: Int] { rejectedRows.byRule }
    /// The whole file had been imported before (same content hash): nothing was done.
    public var alreadyImported = false
    /// SHA-256 of the file's bytes.
    public var fileHash: String?

    public init(kind: String, source: String) {
        self.kind = kind
        self.source = source
    }

    /// Counts a rejected row, keeping it for display while fewer than the limit are kept.
    public mutating func reject(_ rejection: RowRejection) {
        rejectedRows.append(rejection)
    }
}
