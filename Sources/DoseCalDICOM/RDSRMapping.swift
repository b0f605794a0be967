/// Where a dose report's procedure happened and what it was: station or model → room and
/// specialty, study description or requested procedure → procedure type.
///
/// RDSRs name the X-ray system, not the room or the clinical procedure DoseCal groups by, so an
/// import needs this table. The text format is one rule a line, fields separated by `|`,
/// surrounding spaces ignored; blank lines and lines starting with `#` are ignored:
///
/// ```
/// # kind    | key (from the RDSR)        | value…
/// station   | CCL Lab A                  | Cath lab 1 | cardiology
/// model     | Azurion                    | IR room 2  | radiology
/// procedure | liuotushoidon raajojen     | thrombolysis
/// procedure | *                          | unclassified
/// ```
///
/// Keys compare case-insensitively with runs of white space collapsed. The room is found by
/// Station Name, else Manufacturer's Model Name, else a `station | *` default, else a
/// `model | *` default; the procedure type by Study Description, else Requested Procedure
/// Description, else a `procedure | *` default. What is not found is listed in
/// ``Resolution/unmapped``, never guessed.
public struct RDSRMapping: Hashable, Sendable {
    public struct Room: Hashable, Sendable {
        public var room: String
        public var specialty: String

        public init(room: String, specialty: String) {
            self.room = room
            self.specialty = specialty
        }
    }

    /// Rooms by normalised Station Name (`*` is the default).
    public var stations: [String: Room] = [:]
    /// Rooms by normalised Manufacturer's Model Name (`*` is the default).
    public var models: [String: Room] = [:]
    /// Procedure types by normalised description (`*` is the default).
    public var procedureTypes: [String: String] = [:]

    public init() {}

    /// Parses the text format described above.
    /// - Parameters:
    ///   - text: the mapping file's contents.
    ///   - file: the file name for messages.
    /// - Throws: ``DICOMError`` `mapping` with the line number: an unknown kind, a wrong number
    ///   of fields, an empty field, or a key given twice with different values.
    /// - Complexity: O(*n*) in the length of the text.
    public init(parsing text: String, file: String = "mapping") throws {
        // "\r\n" is one Character in Swift, and a newline.
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let trimmed = line.trimmingWhitespace()
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields = trimmed.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
            func fail(_ message: String) -> DICOMError {
                DICOMError(.mapping, file: file, line: index + 1, message: message)
            }
            guard let kind = fields.first?.lowercased() else { continue }
            let expected = kind == "procedure" ? 3 : 4
            guard ["station", "model", "procedure"].contains(kind) else {
                throw fail("unknown rule '\(fields[0])'; a line starts with station, model or procedure")
            }
            guard fields.count == expected else {
                throw fail(kind == "procedure"
                    ? "a procedure rule has 3 fields (procedure | description | procedure type), this line has \(fields.count)"
                    : "a \(kind) rule has 4 fields (\(kind) | name | room | specialty), this line has \(fields.count)")
            }
            if let empty = fields.firstIndex(where: \.isEmpty) {
                throw fail("field \(empty + 1) is empty")
            }
            let key = RDSRMapping.normalized(fields[1])
            switch kind {
            case "procedure":
                if let old = procedureTypes[key], old != fields[2] {
                    throw fail("procedure '\(fields[1])' is already mapped to '\(old)'")
                }
                procedureTypes[key] = fields[2]
            default:
                let room = Room(room: fields[2], specialty: fields[3])
                let existing = kind == "station" ? stations[key] : models[key]
                if let existing, existing != room {
                    throw fail("\(kind) '\(fields[1])' is already mapped to room '\(existing.room)', specialty '\(existing.specialty)'")
                }
                if kind == "station" { stations[key] = room } else { models[key] = room }
            }
        }
    }

    /// Lower-cased, trimmed, inner white space collapsed to one space.
    public static func normalized(_ key: some StringProtocol) -> String {
        key.split(whereSeparator: \.isWhitespace).joined(separator: " ").lowercased()
    }

    /// The outcome of looking a report up.
    public struct Resolution: Hashable, Sendable {
        public var room: Room?
        public var procedureType: String?
        /// What was looked up and not found, e.g. `station 'CCL Lab B' / model 'Allura Xper'`.
        public var unmapped: [String]
        /// Which rule gave the room and the type, e.g. `station 'CCL Lab A'`, for audit.
        public var matchedBy: [String]
    }

    /// Looks up a report's room, specialty and procedure type (a pure function).
    /// - Complexity: O(1) dictionary lookups.
    public func resolve(_ report: RDSRReport) -> Resolution {
        var result = Resolution(room: nil, procedureType: nil, unmapped: [], matchedBy: [])
        let candidates: [(String, String?, [String: Room])] = [
            ("station", report.station, stations), ("model", report.model, models),
            ("station", "*", stations), ("model", "*", models),
        ]
        for (kind, name, table) in candidates {
            if let name, let room = table[RDSRMapping.normalized(name)] {
                result.room = room
                result.matchedBy.append("\(kind) '\(name)'")
                break
            }
        }
        if result.room == nil {
            result.unmapped.append("station '\(report.station ?? "(none)")' / model '\(report.model ?? "(none)")'")
        }
        let descriptions: [(String, String?)] = [
            ("study description", report.studyDescription), ("requested procedure", report.requestedProcedure),
            ("procedure", "*"),
        ]
        for (kind, text) in descriptions {
            if let text, let type = procedureTypes[RDSRMapping.normalized(text)] {
                result.procedureType = type
                result.matchedBy.append("\(kind) '\(text)'")
                break
            }
        }
        if result.procedureType == nil {
            result.unmapped.append("study description '\(report.studyDescription ?? "(none)")' / requested procedure '\(report.requestedProcedure ?? "(none)")'")
        }
        return result
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
