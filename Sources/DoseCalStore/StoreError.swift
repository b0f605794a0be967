import DoseCalDomain
import GRDB

/// The store's one error type.
///
/// Every case reads as one sentence a physicist can act on (``description``). Errors thrown by a
/// ``DoseCalDomain/RecordSource`` (a malformed CSV file, say) and ``DoseCalDomain/DomainError``
/// (an unknown threshold version) are passed through unchanged, not wrapped.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// SQLite refused an operation, or the file holds something DoseCal did not write: the
    /// message, SQLite's extended result code (0 when SQLite reported none), and the statement
    /// with its arguments when there was one.
    case database(message: String, code: Int32, sql: String?, arguments: String?)
    /// A row's key is already stored with different values. Stored records are never
    /// overwritten: the whole import was rolled back.
    case conflict(StoreConflict)
    /// A strict import met a rejected row (the source's, or an unknown study); the whole import
    /// was rolled back.
    case rejectedInStrictMode(RowRejection)
    /// The file was migrated by a newer DoseCal than this one (schema steps this build does
    /// not know).
    case newerSchema(path: String, unknownSteps: [String])
    /// A stored threshold version could not be decoded.
    case unreadableThresholdVersion(version: Int, reason: String)

    public var description: String {
        switch self {
        case let .database(message, code, sql, arguments):
            var s = "The database refused the operation: \(message)"
            if code != 0 { s += " (SQLite code \(code))" }
            if let sql { s += " in `\(sql)`" }
            if let arguments { s += " with arguments \(arguments)" }
            return s + "."
        case let .conflict(conflict):
            return conflict.description
        case let .rejectedInStrictMode(rejection):
            return "\(rejection.location): \(rejection.reason) (strict import: nothing from this import was stored)."
        case let .newerSchema(path, steps):
            return "\(path) was written by a newer DoseCal (unknown schema steps: \(steps.joined(separator: ", "))); update DoseCal to open it."
        case let .unreadableThresholdVersion(version, reason):
            return "Threshold version \(version) in the store cannot be read: \(reason)."
        }
    }
}

/// One field whose incoming value differs from the stored one.
public struct FieldDifference: Sendable, Hashable, CustomStringConvertible {
    /// Column name, as in the CSV header and the SQL schema (`hp10_usv`).
    public var field: String
    /// The stored value as text (`empty` for a missing value).
    public var stored: String
    /// The incoming value as text.
    public var incoming: String

    public init(field: String, stored: String, incoming: String) {
        self.field = field
        self.stored = stored
        self.incoming = incoming
    }

    public var description: String { "\(field): stored \(stored), file \(incoming)" }
}

/// An incoming row whose key is already stored with different values.
public struct StoreConflict: Sendable, Hashable, CustomStringConvertible {
    /// `procedures`, `exposures`, `operators` or `memory`.
    public var kind: String
    /// The file and line of the incoming row.
    public var location: SourceLocation
    /// The key, as text: `study_uid 1.2.3`, `study_uid 1.2.3, operator_id OP1`.
    public var key: String
    public var differences: [FieldDifference]
    /// The key was first stored by an earlier row of the same import, not by an earlier import.
    public var withinImport: Bool

    public init(kind: String, location: SourceLocation, key: String, differences: [FieldDifference], withinImport: Bool) {
        self.kind = kind
        self.location = location
        self.key = key
        self.differences = differences
        self.withinImport = withinImport
    }

    public var description: String {
        let fields = differences.map(\.description).joined(separator: "; ")
        let earlier = withinImport ? "appears earlier in the same import" : "is already stored"
        return "\(location): the \(kind) row with \(key) \(earlier) with different values (\(fields)); "
            + "stored records are never overwritten, so nothing from this import was stored."
    }
}

extension StoreError {
    /// The store's view of a GRDB error.
    init(_ error: DatabaseError) {
        self = .database(message: error.message ?? "unknown error", code: error.extendedResultCode.rawValue,
                         sql: error.sql, arguments: error.arguments.map { "\($0)" })
    }
}

/// Runs `body`, turning GRDB's errors into ``StoreError`` and passing every other error through.
func mappingDatabaseErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as DatabaseError {
        throw StoreError(error)
    } catch let error as RowDecodingError {
        throw StoreError.database(message: "\(error)", code: 0, sql: nil, arguments: nil)
    }
}
