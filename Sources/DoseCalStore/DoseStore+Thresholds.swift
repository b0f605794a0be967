import DoseCalDomain
import Foundation
import GRDB

/// Threshold versions (SPEC §5): immutable once saved (the database's triggers refuse any
/// UPDATE or DELETE), activated from an effective date by append-only activations.
extension DoseStore {
    /// Saves a new version, numbered one above the highest stored (1 for the first).
    ///
    /// The whole set is stored as JSON (sorted keys) beside the provenance columns; the
    /// incoming ``DoseCalDomain/ThresholdSet/version`` is ignored.
    /// - Returns: the set with its assigned version number.
    /// - Throws: ``DoseCalDomain/DomainError/unknownThresholdVersion(_:)`` when
    ///   ``DoseCalDomain/ThresholdSet/derivedFrom`` names a version that is not stored.
    public func saveThresholdSet(_ set: ThresholdSet) throws -> ThresholdSet {
        try write { db in
            if let parent = set.derivedFrom,
               try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM threshold_versions WHERE version = ?)", arguments: [parent]) != true {
                throw DomainError.unknownThresholdVersion(parent)
            }
            var saved = set
            saved.version = (try Int.fetchOne(db, sql: "SELECT MAX(version) FROM threshold_versions") ?? 0) + 1
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let body = String(decoding: try encoder.encode(saved), as: UTF8.self)
            try db.execute(sql: """
                INSERT INTO threshold_versions
                    (version, created_at, author, note, period_from, period_to, content_hash, derived_from, body)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [saved.version, saved.createdAt, saved.author, saved.note, saved.periodFrom.description,
                                 saved.periodTo.description, saved.contentHash, saved.derivedFrom, body])
            return saved
        }
    }

    /// The stored version `version`.
    /// - Throws: ``DoseCalDomain/DomainError/unknownThresholdVersion(_:)`` when there is none;
    ///   ``StoreError/unreadableThresholdVersion(version:reason:)`` when its JSON cannot be decoded.
    public func thresholdSet(version: Int) throws -> ThresholdSet {
        let body = try read { db in
            try String.fetchOne(db, sql: "SELECT body FROM threshold_versions WHERE version = ?", arguments: [version])
        }
        guard let body else { throw DomainError.unknownThresholdVersion(version) }
        return try DoseStore.decodeThresholdSet(body, version: version)
    }

    /// Every stored version, oldest first.
    public func thresholdSets() throws -> [ThresholdSet] {
        let rows = try read { db in
            try Row.fetchAll(db, sql: "SELECT version, body FROM threshold_versions ORDER BY version")
                .map { (try $0.decode(Int.self, atIndex: 0), try $0.decode(String.self, atIndex: 1)) }
        }
        return try rows.map { try DoseStore.decodeThresholdSet($0.1, version: $0.0) }
    }

    static func decodeThresholdSet(_ body: String, version: Int) throws -> ThresholdSet {
        do {
            var set = try JSONDecoder().decode(ThresholdSet.self, from: Data(body.utf8))
            set.version = version
            return set
        } catch {
            throw StoreError.unreadableThresholdVersion(version: version, reason: "\(error)")
        }
    }

    /// Activates a stored version from `effective` on. Activations are append-only: a later
    /// activation with the same effective date wins over an earlier one.
    /// - Parameter activatedAt: ISO 8601 UTC time of the activation; now when `nil`.
    /// - Returns: the activation with its sequence number.
    /// - Throws: ``DoseCalDomain/DomainError/unknownThresholdVersion(_:)`` when `version` is not stored.
    public func activate(version: Int, effective: CivilDate, activatedAt: String? = nil) throws -> ThresholdActivation {
        try write { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM threshold_versions WHERE version = ?)",
                                    arguments: [version]) == true else {
                throw DomainError.unknownThresholdVersion(version)
            }
            let at = activatedAt ?? utcTimestamp()
            try db.execute(sql: "INSERT INTO threshold_activations (version, effective, activated_at) VALUES (?, ?, ?)",
                           arguments: [version, effective.description, at])
            return ThresholdActivation(version: version, effective: effective, activatedAt: at, sequence: Int(db.lastInsertedRowID))
        }
    }

    /// Every activation, in the order they were made.
    public func activations() throws -> [ThresholdActivation] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT sequence, version, effective, activated_at FROM threshold_activations ORDER BY sequence")
                .map { row in
                    let text: String = try row.decode(atIndex: 2)
                    guard let effective = CivilDate(iso: text) else {
                        throw StoreError.database(message: "threshold_activations holds an effective date that is not YYYY-MM-DD (\(text))",
                                                  code: 0, sql: nil, arguments: nil)
                    }
                    return ThresholdActivation(version: try row.decode(atIndex: 1), effective: effective,
                                               activatedAt: try row.decode(atIndex: 3), sequence: try row.decode(atIndex: 0))
                }
        }
    }

    /// The version in force on `date` (``DoseCalDomain/ThresholdActivation/versionInForce(on:among:)``),
    /// or `nil` when nothing was activated on or before it.
    public func versionInForce(on date: CivilDate) throws -> Int? {
        ThresholdActivation.versionInForce(on: date, among: try activations())
    }
}
