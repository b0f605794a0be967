import ArgumentParser
import DoseCalDomain
import DoseCalReports
import Foundation

/// `dosecal calibrate`: proposes notification values from local quartiles, and saves them as a
/// threshold version on request (SPEC §5).
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Quartiles per specialty, Q3 uncertainty, proposed notification values and the alerts they would raise.")

    @OptionGroup var data: DataOptions
    @OptionGroup var period: PeriodOptions
    @Option(name: .long, help: "Only this specialty.")
    var specialty: String?
    @OptionGroup var calibration: CalibrationOptions
    @Flag(name: .long, help: "Save the proposal as a new, immutable threshold version in the store.")
    var save = false
    @Option(name: .long, help: "Note recorded with the saved version.")
    var note: String = ""
    @Option(name: .long, help: "Author recorded with the saved version (default: $USER).")
    var author: String?
    @Option(name: .long, help: "With --save: activate the new version from this date (YYYY-MM-DD).")
    var activate: String?
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if save, data.usesFiles { throw ValidationError("--save needs the store; import the files first (`dosecal import …`).") }
        if activate != nil, !save { throw ValidationError("--activate goes with --save.") }
        if let activate, CivilDate(iso: activate) == nil { throw ValidationError("--activate must be a date YYYY-MM-DD, got '\(activate)'.") }
    }

    func run() throws {
        let settings = try calibration.settings()
        let loaded = try DataAccess.load(data, period, typeBreakdown: false)
        let cal = Calibration.calibrate(period: loaded.period, indicators: loaded.builder.indicators(),
                                        specialtyProcedures: loaded.builder.specialtyProcedures, settings: settings,
                                        onlySpecialty: specialty)
        var saved: ThresholdSet?
        var activation: ThresholdActivation?
        if save {
            let store = try DataAccess.openStore(data.source)
            let hash = try store.contentHash(in: loaded.period, specialty: specialty)
            let set = ThresholdSet(calibration: cal, createdAt: Clock.nowISO(), author: author ?? Clock.user(), note: note,
                                   proceduresUsed: hash.procedures, exposuresUsed: hash.exposures, contentHash: hash.hash)
            saved = try store.saveThresholdSet(set)
            if let activate, let day = CivilDate(iso: activate), let version = saved?.version {
                activation = try store.activate(version: version, effective: day, activatedAt: Clock.nowISO())
            }
        }
        output.emit(CalibrationRendering.calibrationJSON(cal, savedVersion: saved?.version, extra: [
            ("content_hash", .string(saved?.contentHash)),
            ("effective", .string(activation?.effective.description)),
        ])) {
            var out = loaded.notes + CalibrationRendering.table1(cal)
            if let saved {
                out += "\nSaved as threshold version \(saved.version) (\(saved.contentHash))"
                out += activation.map { ", effective from \($0.effective).\n" } ?? ". Activate it with `dosecal thresholds activate \(saved.version) --effective YYYY-MM-DD`.\n"
            }
            return out
        }
    }
}

/// Wall-clock helpers at the edge (the domain never reads the clock).
enum Clock {
    static func nowISO() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date())
    }

    static func today() -> CivilDate {
        CivilDate(iso: String(nowISO().prefix(10))) ?? CivilDate(dayNumber: 0)
    }

    static func user() -> String {
        ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.environment["LOGNAME"] ?? "unknown"
    }
}
