import ArgumentParser
import DoseCalCSV
import DoseCalDomain
import DoseCalReports
import DoseCalStore
import Foundation

/// `dosecal import`: records into the embedded store, atomically (SPEC §2, §9).
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import CSV files (or DICOM dose reports) into the store; each command is one transaction.",
        discussion: """
        Row problems (a negative dose, a non-number, an empty required field, a malformed or
        out-of-range date, a row repeating an earlier one of the same import, an exposure whose
        study_uid is neither stored nor imported in the same command) reject that row, are
        counted and listed, and the rest is imported. --strict makes any of them fatal. Problems
        that make a file unreadable (bad quoting, missing columns) and a row that conflicts with
        a stored or earlier imported one (same key, different values) abort the whole command:
        nothing is written. Importing the
        same file again is a no-op that says so; identical rows are counted as unchanged.
        """,
        subcommands: [Procedures.self, Exposures.self, Operators.self, Memory.self, All.self, RDSRImport.self])

    struct Common: ParsableArguments {
        @Option(name: .long, help: "The SQLite store (default: $DOSECAL_DB, else ./dosecal.sqlite; created on first use).")
        var db: String?
        @Flag(name: .long, help: "Make every rejected row an error (nothing is imported then).")
        var strict = false
        @Option(name: .long, help: "List at most this many rejected rows (all are counted).")
        var showRejected = 20
        @OptionGroup var output: OutputOptions

        var data: DataSource { DataSource(db: db) }
    }

    enum Kind: String { case procedures, exposures, operators, memory }

    struct Procedures: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import procedures CSV files (patient-dose side).")
        @OptionGroup var common: Common
        @Argument(help: "CSV files, imported in order in one transaction.") var files: [String]
        func run() throws { try ImportCommand.run(common, files.map { (.procedures, $0) }) }
    }

    struct Exposures: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import exposures CSV files (one row per operator per procedure).")
        @OptionGroup var common: Common
        @Argument(help: "CSV files.") var files: [String]
        func run() throws { try ImportCommand.run(common, files.map { (.exposures, $0) }) }
    }

    struct Operators: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import the roster (operator_id, specialty, name, subspecialty).")
        @OptionGroup var common: Common
        @Argument(help: "CSV files.") var files: [String]
        func run() throws { try ImportCommand.run(common, files.map { (.operators, $0) }) }
    }

    struct Memory: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import dosimeter memory read-outs (dosimeter_id, read_at, cumulative_usv, period_from, period_to).")
        @OptionGroup var common: Common
        @Argument(help: "CSV files.") var files: [String]
        func run() throws { try ImportCommand.run(common, files.map { (.memory, $0) }) }
    }

    struct All: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a roster, procedures, exposures and memory read-outs together, in one transaction.")
        @OptionGroup var common: Common
        @Option(name: .long, help: "Roster CSV.") var operators: String?
        @Option(name: .long, help: "Procedures CSV.") var procedures: String?
        @Option(name: .long, help: "Exposures CSV.") var exposures: String?
        @Option(name: .long, help: "Dosimeter memory read-outs CSV.") var memory: String?

        func validate() throws {
            if operators == nil, procedures == nil, exposures == nil, memory == nil {
                throw ValidationError("Name at least one of --operators, --procedures, --exposures, --memory.")
            }
        }

        func run() throws {
            var jobs: [(Kind, String)] = []
            if let operators { jobs.append((.operators, operators)) }
            if let procedures { jobs.append((.procedures, procedures)) }
            if let exposures { jobs.append((.exposures, exposures)) }
            if let memory { jobs.append((.memory, memory)) }
            try ImportCommand.run(common, jobs)
        }
    }

    static func run(_ common: Common, _ jobs: [(Kind, String)]) throws {
        let store = try DataAccess.openStore(common.data, create: true)
        let progress = Progress()
        let summaries: [ImportSummary] = try store.importBatch { session in
            try jobs.map { kind, path in
                let name = URL(fileURLWithPath: path).lastPathComponent
                switch kind {
                // The big files: parsed on one thread and hashed on another while SQLite inserts.
                case .procedures:
                    let hash = try pendingFileSHA256(path)
                    let csv = try ProcedureCSVSource(path: path, tracksDuplicates: false)
                    let total = csv.reader.totalBytes
                    var src = PrefetchedSource(csv, position: { $0.reader.bytesRead })
                    let position = src.position
                    return try session.importProcedures(from: &src, pendingFileHash: hash, strict: common.strict,
                                                        progress: { progress.show(name, position.value, total, $0) })
                case .exposures:
                    let hash = try pendingFileSHA256(path)
                    let csv = try ExposureCSVSource(path: path, tracksDuplicates: false)
                    let total = csv.reader.totalBytes
                    // Handed over compactly: bound straight from one byte buffer per batch.
                    var src = PrefetchedExposures(csv, position: { $0.reader.bytesRead })
                    let position = src.position
                    return try session.importExposures(from: &src, pendingFileHash: hash, strict: common.strict,
                                                       progress: { progress.show(name, position.value, total, $0) })
                case .operators:
                    let hash = path == "-" ? nil : try fileSHA256(path)
                    var src = try OperatorCSVSource(path: path)
                    return try session.importOperators(from: &src, fileHash: hash, strict: common.strict)
                case .memory:
                    let hash = path == "-" ? nil : try fileSHA256(path)
                    var src = try MemoryCSVSource(path: path)
                    return try session.importMemoryReadings(from: &src, fileHash: hash, strict: common.strict)
                }
            }
        }
        progress.finish()
        printSummaries(summaries, store: store, common: common)
    }

    static func printSummaries(_ summaries: [ImportSummary], store: DoseStore, common: Common) {
        common.output.emit(.object([
            ("store", .string(store.path)),
            ("imports", .array(summaries.map(summaryJSON))),
        ])) {
            var out = ""
            for s in summaries {
                if s.alreadyImported {
                    out += "\(s.source): already imported (same content); nothing to do.\n"
                    continue
                }
                out += "\(s.source): \(s.kind) — read \(s.read), imported \(s.imported), unchanged \(s.unchanged)"
                    + (s.skipped > 0 ? ", skipped \(s.skipped)" : "") + ", rejected \(s.rejected)\n"
                if s.rejected > 0 {
                    out += "  rejected by rule: " + s.rejectedByRule.sorted { $0.key.rawValue < $1.key.rawValue }
                        .map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ") + "\n"
                    for r in s.rejections.prefix(common.showRejected) { out += "  \(r)\n" }
                    if s.rejected > common.showRejected { out += "  … \(s.rejected - common.showRejected) more (--show-rejected N)\n" }
                }
            }
            return out + "Store: \(store.path)\n"
        }
    }

    static func summaryJSON(_ s: ImportSummary) -> JSONValue {
        .object([
            ("kind", .string(s.kind)), ("source", .string(s.source)), ("file_hash", .string(s.fileHash)),
            ("already_imported", .bool(s.alreadyImported)), ("read", .int(s.read)), ("imported", .int(s.imported)),
            ("unchanged", .int(s.unchanged)), ("skipped", .int(s.skipped)), ("rejected", .int(s.rejected)),
            ("rejected_by_rule", .object(s.rejectedByRule.sorted { $0.key.rawValue < $1.key.rawValue }.map { ($0.key.rawValue, .int($0.value)) })),
            ("rejections", .array(s.rejections.map { r in
                .object([("file", .string(r.location.file)), ("line", .int(r.location.line)), ("column", .string(r.location.column)),
                         ("value", .string(r.location.value)), ("byte_offset", .int(r.location.byteOffset)),
                         ("rule", .string(r.rule.rawValue)), ("reason", .string(r.reason))])
            })),
        ])
    }
}

/// SHA-256 of a file's bytes (re-import detection), read in 1 MiB chunks.
func fileSHA256(_ path: String) throws -> String {
    guard let handle = FileHandle(forReadingAtPath: path) else { throw CLIError("Cannot open \(path).") }
    return sha256(of: handle)
}

/// ``fileSHA256(_:)`` on its own thread: the file is opened now (so a missing file fails before
/// the import, as with ``fileSHA256(_:)``) and hashed while the import goes on; `nil` for
/// standard input (`-`), which is imported without the duplicate-file check.
func pendingFileSHA256(_ path: String) throws -> PendingValue<String>? {
    guard path != "-" else { return nil }
    guard let handle = FileHandle(forReadingAtPath: path) else { throw CLIError("Cannot open \(path).") }
    return PendingValue { sha256(of: handle) }
}

/// Hashes the rest of `handle`'s file in 1 MiB chunks and closes it.
private func sha256(of handle: FileHandle) -> String {
    defer { try? handle.close() }
    var h = SHA256()
    while true {
        let chunk = handle.readData(ofLength: 1 << 20)
        if chunk.isEmpty { break }
        chunk.withUnsafeBytes { h.update($0) }
    }
    return SHA256.hexString(h.finalize())
}

/// A one-line progress bar on stderr when stderr is a terminal; silent otherwise.
final class Progress {
    let enabled = isatty(2) != 0
    private var lastDraw = 0.0
    private var drawn = false

    func show(_ name: String, _ bytes: Int, _ total: Int?, _ rows: Int) {
        guard enabled else { return }
        let now = Date().timeIntervalSince1970
        guard now - lastDraw > 0.1 else { return }
        lastDraw = now
        var line = "\r\(name): \(rows) rows"
        if let total, total > 0 {
            let frac = min(1, Double(bytes) / Double(total))
            let width = 30
            let filled = Int(frac * Double(width))
            line += " [" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] \(Int(frac * 100)) %"
        }
        FileHandle.standardError.write(Data(line.utf8))
        drawn = true
    }

    func finish() {
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
