import ArgumentParser
import DoseCalDICOM
import DoseCalDomain
import DoseCalReports
import DoseCalStore
import Foundation

/// `dosecal rdsr`: read DICOM X-Ray Radiation Dose Structured Reports (SPEC §2).
struct RDSRCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rdsr",
        abstract: "Read DICOM radiation dose structured reports (TID 10001/10002/10003).",
        subcommands: [Dump.self, Scan.self])

    struct Dump: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What DoseCal reads from one dose report: study, system, KAP (Gy·cm²), times (s), dose at the reference point (Gy) per plane.")
        @Argument(help: "An RDSR file (several files of one study are merged).") var files: [String]
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if files.isEmpty { throw ValidationError("Name an RDSR file.") }
        }

        func run() throws {
            var report = try RDSRReport(contentsOf: URL(fileURLWithPath: files[0]))
            for f in files.dropFirst() { report = try report.merged(with: RDSRReport(contentsOf: URL(fileURLWithPath: f))) }
            output.emit(RDSRCommand.json(report, file: files.joined(separator: ", "))) { RDSRCommand.text(report) }
        }
    }

    struct Scan: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the stations, models and descriptions in a folder of reports, and a mapping skeleton to complete.")
        @Argument(help: "Files or folders (recursive).") var paths: [String]
        @OptionGroup var output: OutputOptions

        func run() throws {
            var source = RDSRSource(paths: paths, mapping: RDSRMapping())
            var rejected: [RowRejection] = []
            while let o = try source.next() { if case let .rejected(r) = o { rejected.append(r) } }
            let reports = source.reports
            let stations = Set(reports.compactMap(\.station)).sorted(), models = Set(reports.compactMap(\.model)).sorted()
            let descriptions = Set(reports.compactMap { $0.studyDescription ?? $0.requestedProcedure }).sorted()
            output.emit(.object([
                ("files_read", .int(source.filesRead)), ("reports", .int(reports.count)),
                ("stations", .array(stations.map { .string($0) })), ("models", .array(models.map { .string($0) })),
                ("descriptions", .array(descriptions.map { .string($0) })),
                ("skipped", .array(source.skipped.map { .object([("file", .string($0.file)), ("reason", .string($0.reason))]) })),
            ])) {
                var out = "# Mapping skeleton for `dosecal import rdsr --mapping FILE`: fill in rooms, specialties and procedure types.\n"
                out += "# \(source.filesRead) DICOM files read, \(reports.count) studies, \(source.skipped.count) skipped.\n"
                for s in stations { out += "station   | \(s) | ROOM | SPECIALTY\n" }
                for m in models { out += "model     | \(m) | ROOM | SPECIALTY\n" }
                for d in descriptions { out += "procedure | \(d) | PROCEDURE TYPE\n" }
                for s in source.skipped { out += "# skipped \(s)\n" }
                return out
            }
        }
    }

    static func planeJSON(_ p: PlaneDose) -> JSONValue {
        .object([
            ("plane", .string(p.plane.rawValue)), ("kap_total_gycm2", .number(p.kapTotalGyCm2)), ("kap_fluoro_gycm2", .number(p.kapFluoroGyCm2)),
            ("kap_acq_gycm2", .number(p.kapAcqGyCm2)), ("fluoro_time_s", .number(p.fluoroTimeS)), ("acq_time_s", .number(p.acqTimeS)),
            ("dose_rp_total_gy", .number(p.doseRPTotalGy)), ("reference_point", .string(p.referencePoint)),
        ])
    }

    static func json(_ r: RDSRReport, file: String) -> JSONValue {
        .object([
            ("file", .string(file)), ("sop_class_uid", .string(r.sopClassUID)), ("study_uid", .string(r.studyUID)),
            ("started_at", .string(r.startedAt)), ("manufacturer", .string(r.manufacturer)), ("model", .string(r.model)),
            ("station", .string(r.station)), ("study_description", .string(r.studyDescription)),
            ("requested_procedure", .string(r.requestedProcedure)), ("kap_total_gycm2", .number(r.kapTotalGyCm2)),
            ("kap_fluoro_gycm2", .number(r.kapFluoroGyCm2)), ("kap_acq_gycm2", .number(r.kapAcqGyCm2)),
            ("fluoro_time_s", .number(r.fluoroTimeS)), ("acq_time_s", .number(r.acqTimeS)), ("events", .int(r.events)),
            ("dose_rp_total_gy", .number(r.doseRPTotalGy)),
            ("planes", .array(r.planes.map(planeJSON))), ("notes", .array(r.notes.map { .string($0) })),
        ])
    }

    static func text(_ r: RDSRReport) -> String {
        var out = "\(r.file)\n  study \(r.studyUID), started \(r.startedAt)\n"
        out += "  \(r.manufacturer ?? "—") \(r.model ?? "—"), station \(r.station ?? "—")\n"
        out += "  description: \(r.studyDescription ?? "—"); requested: \(r.requestedProcedure ?? "—")\n"
        out += "  KAP \(formatFixed(r.kapTotalGyCm2, 4)) Gy·cm² (fluoro \(formatFixed(r.kapFluoroGyCm2, 4)), acquisition \(formatFixed(r.kapAcqGyCm2, 4))); "
        out += "fluoro \(formatFixed(r.fluoroTimeS, 1)) s, acquisition \(formatFixed(r.acqTimeS, 1)) s; \(r.events) irradiation events\n"
        var t = TextTable(header: ["plane", "KAP Gy·cm²", "fluoro", "acq", "fluoro s", "acq s", "dose RP Gy", "reference point"])
        for p in r.planes {
            t.append([p.plane.rawValue, formatFixed(p.kapTotalGyCm2, 4), formatFixed(p.kapFluoroGyCm2, 4), formatFixed(p.kapAcqGyCm2, 4),
                      formatFixed(p.fluoroTimeS, 1), formatFixed(p.acqTimeS, 1), formatFixed(p.doseRPTotalGy, 5), p.referencePoint ?? "—"])
        }
        out += t.rendered()
        for n in r.notes { out += "  note: \(n)\n" }
        return out
    }
}

/// `dosecal import rdsr`: procedures from dose reports into the store.
struct RDSRImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rdsr",
        abstract: "Import procedures from RDSR files or folders (recursive), with a mapping of stations to rooms and descriptions to procedure types.")
    @OptionGroup var common: ImportCommand.Common
    @Option(name: .long, help: "Mapping file (`dosecal rdsr scan PATH` prints a skeleton).") var mapping: String
    @Argument(help: "Files or folders.") var paths: [String]

    func run() throws {
        let text: String
        do { text = try String(contentsOfFile: mapping, encoding: .utf8) } catch { throw CLIError("Cannot read the mapping file \(mapping).") }
        let map = try RDSRMapping(parsing: text, file: mapping)
        let store = try DataAccess.openStore(common.data, create: true)
        var source = RDSRSource(paths: paths, mapping: map)
        var summary = try store.importBatch { session in
            try session.importProcedures(from: &source, fileHash: nil, strict: common.strict)
        }
        summary.kind = "rdsr"
        summary.skipped = source.skipped.count + source.ignored.count
        ImportCommand.printSummaries([summary], store: store, common: common)
        if !common.output.json {
            print("DICOM files read: \(source.filesRead); dose reports merged into \(source.reports.count) studies.")
            for s in source.skipped { print("  skipped \(s)") }
            for f in source.ignored { print("  ignored (not DICOM) \(f)") }
        }
    }
}
