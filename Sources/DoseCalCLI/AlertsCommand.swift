import ArgumentParser
import DoseCalDomain
import DoseCalReports

/// `dosecal alerts`: everyone's four traffic lights for a period (SPEC §4).
struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Green/yellow/red for each operator's four indicators, with the threshold version in force.",
        discussion: """
        On the store, the version in force on the period's last day is used unless --version names one.
        In the direct-file mode there is no saved version: the thresholds are calibrated on the same
        files and period (and the output says so).
        """)

    @OptionGroup var data: DataOptions
    @OptionGroup var period: PeriodOptions
    @OptionGroup var filter: FilterOptions
    @Option(name: .long, help: "Use this threshold version instead of the one in force.")
    var version: Int?
    @OptionGroup var calibration: CalibrationOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if version != nil, data.usesFiles { throw ValidationError("--version needs the store.") }
    }

    func run() throws {
        let loaded = try DataAccess.load(data, period, typeBreakdown: false)
        let set: ThresholdSet
        if data.usesFiles {
            let cal = Calibration.calibrate(period: loaded.period, indicators: loaded.builder.indicators(),
                                            specialtyProcedures: loaded.builder.specialtyProcedures, settings: try calibration.settings())
            set = ThresholdSet(calibration: cal, createdAt: "", author: "", note: "calibrated on the same files and period (not saved)",
                               proceduresUsed: 0, exposuresUsed: 0, contentHash: "")
        } else {
            let store = try DataAccess.openStore(data.source)
            let number: Int
            if let version { number = version } else {
                guard let v = try store.versionInForce(on: loaded.period.to) else { throw DomainError.noThresholdVersion(onDate: loaded.period.to) }
                number = v
            }
            set = try store.thresholdSet(version: number)
        }
        let view = try View(loaded: loaded, filter: filter)
        let rows = view.operators.map { ($0, set.alerts(for: $0, period: loaded.period)) }
        output.emit(AlertRendering.alertsJSON(period: loaded.period, version: set, operators: rows, naming: view.naming)) {
            loaded.notes + AlertRendering.alertsTable(period: loaded.period, version: set, operators: rows, naming: view.naming)
        }
    }
}
