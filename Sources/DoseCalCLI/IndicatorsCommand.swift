import ArgumentParser
import DoseCalDomain
import DoseCalReports

/// `dosecal indicators`: per-operator indicators for a period (SPEC §3, §9).
struct IndicatorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indicators",
        abstract: "Per-operator indicators for a period: procedures, mSv, µSv/procedure, PDE/KAP, % reference.")

    @OptionGroup var data: DataOptions
    @OptionGroup var period: PeriodOptions
    @OptionGroup var filter: FilterOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let loaded = try DataAccess.load(data, period, typeBreakdown: false)
        let view = try View(loaded: loaded, filter: filter)
        output.emit(IndicatorRendering.indicatorsJSON(period: loaded.period, operators: view.operators, naming: view.naming)) {
            loaded.notes + IndicatorRendering.indicatorsTable(period: loaded.period, operators: view.operators, naming: view.naming)
        }
    }
}

/// The operators a command shows and how it names them, after `--operator`, `--specialty`, `--as`.
struct View {
    var operators: [OperatorIndicators]
    var naming: OperatorNaming

    init(loaded: LoadedPeriod, filter: FilterOptions) throws {
        var specialty = filter.specialty
        var only = filter.operatorSet
        if let viewer = filter.viewer {
            guard loaded.builder.indicators(operators: [viewer]).first != nil || loaded.builder.roster[viewer] != nil else {
                throw ValidationError("--as \(viewer): no such operator in the data for \(loaded.period).")
            }
            let own = loaded.builder.specialty(of: viewer)
            if let s = specialty, s != own {
                throw ValidationError("--as \(viewer): an interventionist sees their own specialty (\(own)) only.")
            }
            specialty = own
            if only != nil { only?.insert(viewer) }
        }
        operators = loaded.builder.indicators(operators: only, specialty: specialty)
        naming = OperatorNaming(viewer: filter.viewer, pseudonymizer: loaded.pseudonymizer)
        if filter.viewer != nil {
            // Colleagues are listed in pseudonym order, so row order says nothing about ids.
            operators.sort { naming.name($0.operatorID) < naming.name($1.operatorID) }
        }
    }
}
