import DoseCalDomain
import Foundation

/// Procedures read from RDSR files and folders: the DICOM side of `dosecal import`.
///
/// The paths are files or folders (walked recursively). Candidates are files named `*.dcm`
/// (any case) and files of any name with the `DICM` magic at byte 128; other files are listed in
/// ``ignored`` and not read. Candidates are read in sorted path order. Then:
///
/// - a valid DICOM file that is not an X-Ray Radiation Dose SR (an Enhanced SR, an image…) is
///   **skipped**: listed in ``skipped`` with the reason (``RowOutcome`` has no skipped case);
/// - a file that cannot be read as a dose report (truncated, malformed, unsupported transfer
///   syntax, no Study Instance UID…) is a **rejection** with its byte offset;
/// - dose reports of the same Study Instance UID are merged (``RDSRReport/merged(with:)``, in
///   order of `startedAt`, then path) into one procedure;
/// - the room, specialty and procedure type come from ``mapping``; a report it cannot place is a
///   rejection naming what to add; a date outside ``CivilDate/acceptedYears`` is a rejection.
///
/// Outcomes come in the order of each study's first file. A record's `line` is the 1-based
/// position of that file among the candidates (RDSRs have no lines).
/// After the last outcome, ``filesRead``, ``skipped``, ``ignored`` and ``reports`` let the CLI
/// print "read N, imported M, skipped K (why)".
public struct RDSRSource: RecordSource, Sendable {
    public typealias Record = Procedure

    /// A DICOM file that is not a dose report, and why.
    public struct SkippedFile: Hashable, Sendable, CustomStringConvertible {
        public var file: String
        public var reason: String
        public var description: String { "\(file): \(reason)" }
    }

    public let sourceName: String
    public let paths: [String]
    public let mapping: RDSRMapping
    /// DICOM candidates read (dose reports, skipped and rejected files).
    public private(set) var filesRead = 0
    public private(set) var skipped: [SkippedFile] = []
    /// Files that are neither `*.dcm` nor start with the DICM magic.
    public private(set) var ignored: [String] = []
    /// The merged reports, one per study, in output order.
    public private(set) var reports: [RDSRReport] = []

    private var outcomes: [RowOutcome<Procedure>] = []
    private var position = 0
    private var loaded = false

    /// - Parameters:
    ///   - paths: files and folders.
    ///   - mapping: station/model → room and specialty, description → procedure type.
    ///   - sourceName: the name used in messages (default: the paths joined by ", ").
    public init(paths: [String], mapping: RDSRMapping, sourceName: String? = nil) {
        self.paths = paths
        self.mapping = mapping
        self.sourceName = sourceName ?? paths.joined(separator: ", ")
    }

    /// The next procedure or rejection; reads every file on the first call (reports of one
    /// study must be merged before any of them is returned).
    /// - Throws: ``DICOMError`` `cannotRead` when a given path does not exist or a folder cannot
    ///   be listed.
    public mutating func next() throws -> RowOutcome<Procedure>? {
        if !loaded {
            try load()
            loaded = true
        }
        guard position < outcomes.count else { return nil }
        defer { position += 1 }
        return outcomes[position]
    }

    /// The candidate files under `paths`, sorted, and the files ignored.
    /// - Throws: ``DICOMError`` `cannotRead` for a path that does not exist.
    public static func candidateFiles(in paths: [String]) throws -> (candidates: [String], ignored: [String]) {
        let fm = FileManager.default
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw DICOMError(.cannotRead, file: path, message: "no such file or folder")
            }
            if isDirectory.boolValue {
                guard let walker = fm.enumerator(atPath: path) else {
                    throw DICOMError(.cannotRead, file: path, message: "the folder cannot be listed")
                }
                let base = path.hasSuffix("/") ? path : path + "/"
                while let relative = walker.nextObject() as? String {
                    let full = base + relative
                    var dir: ObjCBool = false
                    if fm.fileExists(atPath: full, isDirectory: &dir), !dir.boolValue { files.append(full) }
                }
            } else {
                files.append(path)
            }
        }
        var candidates: [String] = []
        var ignored: [String] = []
        for file in Set(files).sorted() {
            if file.lowercased().hasSuffix(".dcm") || startsWithMagic(file) {
                candidates.append(file)
            } else {
                ignored.append(file)
            }
        }
        return (candidates, ignored)
    }

    static func startsWithMagic(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 132) else { return false }
        return DICOMFile.hasMagic([UInt8](head))
    }

    private mutating func load() throws {
        let (candidates, ignored) = try RDSRSource.candidateFiles(in: paths)
        self.ignored = ignored
        var ordered: [(index: Int, outcome: RowOutcome<Procedure>)] = []
        var studies: [String: (first: Int, reports: [RDSRReport])] = [:]
        for (index, path) in candidates.enumerated() {
            filesRead += 1
            do {
                let report = try RDSRReport(contentsOf: URL(fileURLWithPath: path))
                studies[report.studyUID, default: (index, [])].reports.append(report)
            } catch let error as DICOMError where error.kind == .notADoseReport {
                skipped.append(SkippedFile(file: path, reason: error.message))
            } catch let error as DICOMError {
                let rule: RejectionRule = error.kind == .missingValue ? .emptyRequired : .badValue
                ordered.append((index, .rejected(RowRejection(
                    location: SourceLocation(file: path, byteOffset: error.offset), rule: rule, reason: error.message))))
            }
        }
        for (_, study) in studies.sorted(by: { $0.value.first < $1.value.first }) {
            let parts = study.reports.sorted { ($0.startedAt, $0.file) < ($1.startedAt, $1.file) }
            guard var report = parts.first else { continue }
            for part in parts.dropFirst() { report = try report.merged(with: part) }
            reports.append(report)
            ordered.append((study.first, outcome(for: report, line: study.first + 1)))
        }
        outcomes = ordered.sorted { $0.index < $1.index }.map(\.outcome)
    }

    private func outcome(for report: RDSRReport, line: Int) -> RowOutcome<Procedure> {
        let files = report.files.joined(separator: ", ")
        guard CivilDate.acceptedYears.contains(report.date.year) else {
            return .rejected(RowRejection(
                location: SourceLocation(file: files, column: "started_at", value: report.startedAt), rule: .dateOutOfRange,
                reason: "study \(report.studyUID) is dated \(report.startedAt), outside the accepted years \(CivilDate.acceptedYears.lowerBound)–\(CivilDate.acceptedYears.upperBound)"))
        }
        let resolution = mapping.resolve(report)
        guard let room = resolution.room, let type = resolution.procedureType else {
            return .rejected(RowRejection(
                location: SourceLocation(file: files, value: resolution.unmapped.joined(separator: "; ")), rule: .badValue,
                reason: "study \(report.studyUID) is not in the RDSR mapping (\(resolution.unmapped.joined(separator: "; "))); add a 'station | NAME | ROOM | SPECIALTY' or 'procedure | DESCRIPTION | TYPE' line"))
        }
        return .record(report.procedure(room: room.room, specialty: room.specialty, procedureType: type), line: line)
    }
}
