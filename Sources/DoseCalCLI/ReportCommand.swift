import ArgumentParser
import DoseCalDomain
import DoseCalReports
import Foundation

/// `dosecal report`: markdown notebooks with SVG charts, written from the store (SPEC §9).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a markdown notebook (with SVG charts) from the store.",
        subcommands: [Table1.self])

    struct Table1: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "table1",
            abstract: "The reproduced Table 1 beside the published one, the alert values, the traffic lights and Figure 2.")

        @Option(name: .long, help: "The SQLite store (default: $DOSECAL_DB, else ./dosecal.sqlite).") var db: String?
        @Option(name: .long, help: "Threshold version (default: the one in force on the last day of the alerts period).") var version: Int?
        @OptionGroup var period: PeriodOptions
        @Option(name: .long, help: "Draw Figure 2 for these operators (default: the yellow/red ones and the one with the largest PDE-over-KAP share).")
        var figureOperator: [String] = []
        @Option(name: .long, help: "Markdown file to write; SVG charts go to a 'figures' folder beside it.") var out: String = "notebooks-md/table1.md"

        func run() throws {
            let data = DataSource(db: db)
            let store = try DataAccess.openStore(data)
            let loaded = try DataAccess.load(data, from: try period.parsed().from, to: try period.parsed().to)
            let number: Int
            if let version { number = version } else {
                guard let v = try store.versionInForce(on: loaded.period.to) else { throw DomainError.noThresholdVersion(onDate: loaded.period.to) }
                number = v
            }
            let set = try store.thresholdSet(version: number)
            let calPeriod = try Period(from: set.periodFrom, to: set.periodTo)
            let calLoaded = try DataAccess.load(data, from: calPeriod.from, to: calPeriod.to)
            let calOperators = calLoaded.builder.indicators()
            var settings = CalibrationSettings()
            settings.estimator = set.estimator
            let calibration = Calibration.calibrate(period: calPeriod, indicators: calOperators,
                                                    specialtyProcedures: calLoaded.builder.specialtyProcedures, settings: settings)
            let operators = loaded.builder.indicators()
            let alerts = operators.map { ($0, set.alerts(for: $0, period: loaded.period)) }

            var chosen = figureOperator
            if chosen.isEmpty {
                chosen = alerts.filter { $0.1.overall == .yellow || $0.1.overall == .red }.map(\.0.operatorID)
                let gaps = operators.compactMap { op -> (String, Double)? in
                    guard let top = loaded.builder.breakdown(of: op.operatorID)?.types.first else { return nil }
                    return (op.operatorID, (top.pctPDE ?? 0) - (top.pctKAP ?? 0))
                }
                if let widest = gaps.max(by: { $0.1 < $1.1 }), !chosen.contains(widest.0) { chosen.append(widest.0) }
            }
            let figures = chosen.compactMap { id -> (operatorID: String, caption: String, breakdown: TypeBreakdown)? in
                guard let br = loaded.builder.breakdown(of: id) else { return nil }
                let top = br.types.first
                let caption = "\(loaded.period): \(br.total.procedures) procedures, \(formatFixed(br.total.cumulativeMilliSv, 2)) mSv. "
                    + (top.map { "\($0.procedureType): \(formatFixed($0.pctPDE, 1)) % of the PDE for \(formatFixed($0.pctKAP, 1)) % of the KAP (\(formatFixed($0.pdeKap, 2)) µSv/(Gy·cm²))." } ?? "")
                return (id, caption, br)
            }
            let notebook = Table1Notebook(calibration: calibration, calibrationOperators: calOperators, version: set, alertsPeriod: loaded.period,
                                          alerts: alerts, figures: figures, naming: .physicist(),
                                          command: "dosecal report table1 --from \(loaded.period.from) --to \(loaded.period.to)")
            let (markdown, files) = notebook.render()
            let outURL = URL(fileURLWithPath: out)
            let folder = outURL.deletingLastPathComponent().appendingPathComponent("figures")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try markdown.write(to: outURL, atomically: true, encoding: .utf8)
            for (name, svg) in files { try svg.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
            print("Wrote \(out) and \(files.count) charts in \(folder.path).")
        }
    }
}
