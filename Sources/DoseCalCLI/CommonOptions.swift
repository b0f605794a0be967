import ArgumentParser
import DoseCalDomain
import Foundation

/// Where records come from: the embedded store (default) or CSV files directly.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "The SQLite store (default: $DOSECAL_DB, else ./dosecal.sqlite).")
    var db: String?

    @Option(name: .long, help: "Work directly on this procedures CSV (no store); needs --exposures.")
    var procedures: String?

    @Option(name: .long, help: "Work directly on this exposures CSV (no store); needs --procedures.")
    var exposures: String?

    @Option(name: .long, help: "Roster CSV (operator_id, specialty, …) for the direct-file mode.")
    var operators: String?

    @Flag(name: .long, help: "Direct-file mode: make every rejected row an error.")
    var strict = false

    func validate() throws {
        if (procedures == nil) != (exposures == nil) {
            throw ValidationError("--procedures and --exposures go together (direct-file mode), or give neither to use the store.")
        }
        if procedures != nil, db != nil {
            throw ValidationError("Give either --db or --procedures/--exposures, not both.")
        }
        if operators != nil, procedures == nil {
            throw ValidationError("--operators is for the direct-file mode; import a roster into the store with `dosecal import operators FILE`.")
        }
    }

    var usesFiles: Bool { procedures != nil }

    /// The parsed values as a plain value.
    var source: DataSource {
        DataSource(db: db, procedures: procedures, exposures: exposures, operators: operators, strict: strict)
    }
}

/// Where records come from, as plain values (commands that only take `--db` build one directly).
struct DataSource {
    var db: String?
    var procedures: String?
    var exposures: String?
    var operators: String?
    var strict = false

    init(db: String?, procedures: String? = nil, exposures: String? = nil, operators: String? = nil, strict: Bool = false) {
        self.db = db
        self.procedures = procedures
        self.exposures = exposures
        self.operators = operators
        self.strict = strict
    }

    var usesFiles: Bool { procedures != nil }

    /// The store path: --db, else $DOSECAL_DB, else ./dosecal.sqlite.
    var storePath: String {
        db ?? ProcessInfo.processInfo.environment["DOSECAL_DB"] ?? "dosecal.sqlite"
    }
}

/// `--from/--to`: a period of whole days, both included.
struct PeriodOptions: ParsableArguments {
    @Option(name: .long, help: "First day, YYYY-MM-DD (default: the first day with data).")
    var from: String?

    @Option(name: .long, help: "Last day, YYYY-MM-DD, included (default: the last day with data).")
    var to: String?

    func validate() throws {
        _ = try parsed()
    }

    func parsed() throws -> (from: CivilDate?, to: CivilDate?) {
        func day(_ text: String?, _ flag: String) throws -> CivilDate? {
            guard let text else { return nil }
            guard let d = CivilDate(iso: text) else { throw ValidationError("\(flag) must be a date YYYY-MM-DD, got '\(text)'.") }
            return d
        }
        let f = try day(from, "--from"), t = try day(to, "--to")
        if let f, let t, t < f { throw ValidationError("--to (\(t)) is before --from (\(f)).") }
        return (f, t)
    }
}

/// Who to show.
struct FilterOptions: ParsableArguments {
    @Option(name: .customLong("operator"), help: "Only this operator (repeatable).")
    var operators: [String] = []

    @Option(name: .long, help: "Only operators of this specialty.")
    var specialty: String?

    @Option(name: .customLong("as"), help: "An interventionist's view: this operator by id, colleagues of the same specialty as stable pseudonyms, no one else.")
    var viewer: String?

    var operatorSet: Set<String>? { operators.isEmpty ? nil : Set(operators) }
}
