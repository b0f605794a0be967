import ArgumentParser
import DoseCalCSV
import DoseCalDomain
import DoseCalReports
import Foundation

/// `dosecal export`: raw data and indicators for a spreadsheet user (SPEC §9).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a period's records and indicators as .xlsx (sheets) or CSV (one file per table).",
        discussion: "The physicist's raw-data export: every procedure and exposure of the period, by id, plus each operator's indicators.")

    @Option(name: .long, help: "The SQLite store (default: $DOSECAL_DB, else ./dosecal.sqlite).") var db: String?
    @OptionGroup var period: PeriodOptions
    @Option(name: .long, help: "Output: a .xlsx file, or a folder for CSV files (procedures.csv, exposures.csv, indicators.csv).") var out: String
    @Option(name: .long, help: "xlsx or csv (default: from --out's extension).") var format: String?

    func run() throws {
        let data = DataSource(db: db)
        let store = try DataAccess.openStore(data)
        let loaded = try DataAccess.load(data, from: try period.parsed().from, to: try period.parsed().to)
        let procedures = try store.procedures(in: loaded.period)
        let exposures = try store.exposures(in: loaded.period)
        let indicators = loaded.builder.indicators()
        let kind = format ?? (out.lowercased().hasSuffix(".xlsx") ? "xlsx" : "csv")

        let pHeader = ["study_uid", "started_at", "room", "specialty", "procedure_type", "kap_gycm2", "kap_fluoro_gycm2", "kap_acq_gycm2",
                       "fluoro_time_s", "ka_rp_mgy", "ref_dosimeter_usv"]
        let eHeader = ["study_uid", "operator_id", "dosimeter_id", "role", "hp10_usv", "hp10_fluoro_usv", "hp10_acq_usv"]
        let iHeader = ["operator_id", "specialty", "procedures", "cumulative_msv", "usv_per_procedure", "pde_kap", "pde_kap_mean_ratio",
                       "pct_reference", "pct_reference_mean_ratio", "total_kap_gycm2", "procedures_without_kap", "procedures_without_ref"]
        enum Cell { case t(String?), n(Double?), i(Int) }
        let pRows: [[Cell]] = procedures.map { p in
            [.t(p.studyUID), .t(p.startedAt), .t(p.room), .t(p.specialty), .t(p.procedureType), .n(p.kapGyCm2), .n(p.kapFluoroGyCm2),
             .n(p.kapAcqGyCm2), .n(p.fluoroTimeS), .n(p.kaRPMilliGy), .n(p.refDosimeterMicroSv)]
        }
        let eRows: [[Cell]] = exposures.map { e in
            [.t(e.studyUID), .t(e.operatorID), .t(e.dosimeterID), .t(e.role?.rawValue), .n(e.hp10MicroSv), .n(e.hp10FluoroMicroSv), .n(e.hp10AcqMicroSv)]
        }
        let iRows: [[Cell]] = indicators.map { o in
            [.t(o.operatorID), .t(o.specialty), .i(o.procedures), .n(o.cumulativeMilliSv), .n(o.microSvPerProcedure), .n(o.pdeKap),
             .n(o.pdeKapMeanRatio), .n(o.pctReference), .n(o.pctReferenceMeanRatio), .n(o.totalKapGyCm2),
             .i(o.sums.proceduresWithoutKap), .i(o.sums.proceduresWithoutRef)]
        }
        let tables = [("procedures", pHeader, pRows), ("exposures", eHeader, eRows), ("indicators", iHeader, iRows)]
        switch kind {
        case "xlsx":
            var book = XLSXWorkbook()
            for (name, header, rows) in tables {
                try book.addSheet(name: name, header: header, rows: rows.map { $0.map { c -> XLSXCell in
                    switch c {
                    case let .t(s): return .text(s)
                    case let .n(x): return .number(x)
                    case let .i(k): return .integer(k)
                    }
                } })
            }
            try book.write(to: out)
            print("Wrote \(out): \(procedures.count) procedures, \(exposures.count) exposures, \(indicators.count) operators (\(loaded.period)).")
        case "csv":
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            for (name, header, rows) in tables {
                let w = try CSVWriter(path: (out as NSString).appendingPathComponent("\(name).csv"))
                try w.writeRow(header)
                for row in rows {
                    try w.writeRow(row.map { c -> CSVWriter.Field in
                        switch c {
                        case let .t(s): return .text(s)
                        case let .n(x): return .number(x)
                        case let .i(k): return .integer(k)
                        }
                    })
                }
                try w.close()
            }
            print("Wrote procedures.csv, exposures.csv, indicators.csv in \(out) (\(loaded.period)).")
        default:
            throw ValidationError("--format must be xlsx or csv, got '\(kind)'.")
        }
    }
}
