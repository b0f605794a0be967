import ArgumentParser
import DoseCalDomain
import DoseCalReports

/// `dosecal thresholds`: the versioned threshold sets (SPEC §5).
struct ThresholdsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "thresholds",
        abstract: "List, show, diff, activate and override threshold versions.",
        subcommands: [List.self, Show.self, Diff.self, Activate.self, Override.self],
        defaultSubcommand: List.self)

    struct StoreOption: ParsableArguments {
        @Option(name: .long, help: "The SQLite store (default: $DOSECAL_DB, else ./dosecal.sqlite).")
        var db: String?
        var data: DataSource { DataSource(db: db) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every saved version with its effective dates.")
        @OptionGroup var store: StoreOption
        @OptionGroup var output: OutputOptions

        func run() throws {
            let s = try DataAccess.openStore(store.data)
            let versions = try s.thresholdSets(), acts = try s.activations()
            let inForce = try s.versionInForce(on: Clock.today())
            output.emit(.object([
                ("versions", .array(versions.map { ThresholdRendering.versionJSON($0, activations: acts) })),
                ("in_force_today", .int(inForce)),
            ])) {
                versions.isEmpty ? "No threshold versions yet. Make one with `dosecal calibrate --from … --to … --save`.\n"
                    : ThresholdRendering.listTable(versions, activations: acts) + "In force today: \(inForce.map { "version \($0)" } ?? "none").\n"
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One version with its provenance and values.")
        @OptionGroup var store: StoreOption
        @Argument(help: "Version number.") var version: Int
        @OptionGroup var output: OutputOptions

        func run() throws {
            let s = try DataAccess.openStore(store.data)
            let v = try s.thresholdSet(version: version), acts = try s.activations()
            output.emit(ThresholdRendering.versionJSON(v, activations: acts)) { ThresholdRendering.showText(v, activations: acts) }
        }
    }

    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "What changed between two versions.")
        @OptionGroup var store: StoreOption
        @Argument(help: "Older version.") var a: Int
        @Argument(help: "Newer version.") var b: Int
        @OptionGroup var output: OutputOptions

        func run() throws {
            let s = try DataAccess.openStore(store.data)
            let x = try s.thresholdSet(version: a), y = try s.thresholdSet(version: b)
            output.emit(ThresholdRendering.diffJSON(x, y)) { ThresholdRendering.diffText(x, y) }
        }
    }

    struct Activate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put a version in force from an effective date on.")
        @OptionGroup var store: StoreOption
        @Argument(help: "Version number.") var version: Int
        @Option(name: .long, help: "First day the version is in force (YYYY-MM-DD).") var effective: String
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if CivilDate(iso: effective) == nil { throw ValidationError("--effective must be a date YYYY-MM-DD, got '\(effective)'.") }
        }

        func run() throws {
            let s = try DataAccess.openStore(store.data)
            _ = try s.thresholdSet(version: version)
            let a = try s.activate(version: version, effective: CivilDate(iso: effective)!, activatedAt: Clock.nowISO())
            output.emit(.object([("version", .int(a.version)), ("effective", .string(a.effective.description)), ("activated_at", .string(a.activatedAt))])) {
                "Version \(a.version) is in force from \(a.effective) (until a later activation).\n"
            }
        }
    }

    struct Override: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a new version derived from N with one notification value replaced by the administrator.")
        @OptionGroup var store: StoreOption
        @Argument(help: "The version to derive from.") var version: Int
        @Option(name: .long, help: "Specialty whose value changes.") var specialty: String
        @Option(name: .long, help: "usv_per_procedure, pde_kap or pct_reference.") var indicator: String
        @Option(name: .long, help: "New first notification value (indicator unit).") var first: Double
        @Option(name: .long, help: "New second notification value (default 2 × first).") var second: Double?
        @Option(name: .long, help: "Why (recorded).") var note: String = ""
        @Option(name: .long, help: "Author (default: $USER).") var author: String?
        @OptionGroup var output: OutputOptions

        func run() throws {
            guard let ind = Indicator(rawValue: indicator) else {
                throw ValidationError("--indicator must be usv_per_procedure, pde_kap or pct_reference; got '\(indicator)'.")
            }
            let s = try DataAccess.openStore(store.data)
            let base = try s.thresholdSet(version: version)
            let next = try base.overriding(specialty: specialty, indicator: ind, first: first, second: second,
                                           createdAt: Clock.nowISO(), author: author ?? Clock.user(), note: note)
            let saved = try s.saveThresholdSet(next)
            let acts = try s.activations()
            output.emit(ThresholdRendering.versionJSON(saved, activations: acts)) {
                "Saved version \(saved.version), derived from \(version). It is not in force until activated.\n" + ThresholdRendering.diffText(base, saved)
            }
        }
    }
}
