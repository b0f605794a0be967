import ArgumentParser
import DoseCalCSV
import DoseCalDomain
import DoseCalEngine
import DoseCalStore
import Foundation

/// Readings of one period, accumulated, from the store or from files.
struct LoadedPeriod {
    var period: Period
    var builder: IndicatorBuilder
    var pseudonymizer: Pseudonymizer
    /// Lines printed above a table (rejected rows in the direct-file mode…); empty when none.
    var notes: String = ""
}

/// The one place commands get records from.
enum DataAccess {
    /// Opens the store; a read command on a store that does not exist says how to make one.
    static func openStore(_ data: DataSource, create: Bool = false) throws -> DoseStore {
        let path = data.storePath
        if !create, !FileManager.default.fileExists(atPath: path) {
            throw CLIError("There is no store at \(path). Import records first (`dosecal import procedures FILE`, …), or name one with --db / DOSECAL_DB, or work on files with --procedures/--exposures.")
        }
        return try DoseStore(path: path)
    }

    /// `typeBreakdown`: the command reads breakdowns by procedure type; without them the
    /// direct-file engine keeps per-operator sums only.
    static func load(_ data: DataOptions, _ options: PeriodOptions, typeBreakdown: Bool = true) throws -> LoadedPeriod {
        let (from, to) = try options.parsed()
        return try load(data.source, from: from, to: to, typeBreakdown: typeBreakdown)
    }

    static func load(_ data: DataSource, from: CivilDate?, to: CivilDate?, typeBreakdown: Bool = true) throws -> LoadedPeriod {
        return data.usesFiles ? try loadFiles(data, from: from, to: to, typeBreakdown: typeBreakdown)
                              : try loadStore(data, from: from, to: to)
    }

    static func loadStore(_ data: DataSource, from: CivilDate?, to: CivilDate?) throws -> LoadedPeriod {
        let store = try openStore(data)
        var start = from, end = to
        if start == nil || end == nil {
            guard let range = try store.dateRange() else {
                throw CLIError("The store \(store.path) holds no procedures yet; nothing to compute.")
            }
            start = start ?? range.first
            end = end ?? range.last
        }
        let period = try Period(from: start!, to: end!)
        return LoadedPeriod(period: period, builder: try store.indicatorBuilder(for: period),
                            pseudonymizer: Pseudonymizer(labKey: try store.labKey()))
    }

    /// Direct-file mode: the streaming engine (DoseCalEngine) joins the files; rejected rows are
    /// noted on stderr, or the first is fatal with `--strict`.
    static func loadFiles(_ data: DataSource, from: CivilDate?, to: CivilDate?, typeBreakdown: Bool = true) throws -> LoadedPeriod {
        let result: DirectFileEngine.Result
        do {
            result = try DirectFileEngine.run(procedures: data.procedures!, exposures: data.exposures!, operators: data.operators,
                                              from: from, to: to, strict: data.strict,
                                              options: DirectFileEngine.Options(typeBreakdown: typeBreakdown))
        } catch let r as RowRejection {
            throw CLIError("\(r) (--strict makes every rejected row an error)")
        } catch let e as EngineError {
            throw CLIError(e.description)
        }
        let notes = rejectionNotes(result.rejected)
        if !notes.isEmpty { FileHandle.standardError.write(Data(notes.utf8)) }
        return LoadedPeriod(period: result.period, builder: result.builder, pseudonymizer: Pseudonymizer(labKey: "dosecal-direct-files"))
    }

    /// "N rows rejected (rule: n, …); first: …" or empty.
    static func rejectionNotes(_ rejected: RejectedRows, show: Int = 5) -> String {
        guard !rejected.isEmpty else { return "" }
        var out = "\(rejected.count) row\(rejected.count == 1 ? "" : "s") rejected and left out ("
        out += rejected.byRule.map { ($0.key.rawValue, $0.value) }.sorted { $0.0 < $1.0 }.map { "\($0.0): \($0.1)" }
            .joined(separator: ", ") + "):\n"
        let shown = rejected.listed.prefix(show)
        for r in shown { out += "  \(r)\n" }
        if rejected.count > shown.count { out += "  … and \(rejected.count - shown.count) more\n" }
        return out
    }
}

/// A plain error of the CLI layer: one sentence, printed by ArgumentParser, exit code 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One operator reading joined with its procedure (for models and group comparisons).
struct JoinedReading {
    var studyUID: String
    var date: CivilDate
    var room: String
    var specialty: String
    var procedureType: String
    var kapGyCm2: Double?
    var refMicroSv: Double?
    var operatorID: String
    var role: OperatorRole?
    var hp10MicroSv: Double
}

extension DataAccess {
    /// Every reading of the period, in memory (hospital scale), with the roster.
    static func readings(_ options: DataOptions, _ periodOptions: PeriodOptions) throws -> (period: Period, readings: [JoinedReading], roster: [String: String], pseudonymizer: Pseudonymizer) {
        let (from, to) = try periodOptions.parsed()
        let data = options.source
        if data.usesFiles {
            var roster: [String: String] = [:]
            if let path = data.operators {
                for op in try readAll(OperatorCSVSource(path: path)).records { roster[op.operatorID] = op.specialty }
            }
            let procedures = try readAll(ProcedureCSVSource(path: data.procedures!)).records
            guard let first = procedures.map(\.date).min(), let last = procedures.map(\.date).max() else {
                throw CLIError("\(data.procedures!) holds no valid procedure; nothing to compute.")
            }
            let period = try Period(from: from ?? first, to: to ?? last)
            let byUID = Dictionary(procedures.map { ($0.studyUID, $0) }, uniquingKeysWith: { a, _ in a })
            var out: [JoinedReading] = []
            for e in try readAll(ExposureCSVSource(path: data.exposures!)).records {
                guard let p = byUID[e.studyUID], period.contains(p.date) else { continue }
                out.append(JoinedReading(studyUID: p.studyUID, date: p.date, room: p.room, specialty: p.specialty, procedureType: p.procedureType,
                                         kapGyCm2: p.kapGyCm2, refMicroSv: p.refDosimeterMicroSv, operatorID: e.operatorID, role: e.role,
                                         hp10MicroSv: e.hp10MicroSv))
            }
            return (period, out, roster, Pseudonymizer(labKey: "dosecal-direct-files"))
        }
        let store = try openStore(data)
        var start = from, end = to
        if start == nil || end == nil {
            guard let range = try store.dateRange() else { throw CLIError("The store \(store.path) holds no procedures yet; nothing to compute.") }
            start = start ?? range.first
            end = end ?? range.last
        }
        let period = try Period(from: start!, to: end!)
        var out: [JoinedReading] = []
        try store.forEachReading(in: period) { r in
            out.append(JoinedReading(studyUID: r.studyUID, date: r.date, room: r.room, specialty: r.specialty, procedureType: r.procedureType,
                                     kapGyCm2: r.kapGyCm2, refMicroSv: r.refDosimeterMicroSv, operatorID: r.operatorID, role: r.role,
                                     hp10MicroSv: r.hp10MicroSv))
        }
        return (period, out, try store.roster(), Pseudonymizer(labKey: try store.labKey()))
    }
}
