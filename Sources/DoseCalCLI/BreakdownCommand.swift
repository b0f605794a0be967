import ArgumentParser
import DoseCalDomain
import DoseCalReports

/// `dosecal breakdown`: each operator's dose by procedure type (the paper's Figure 2).
struct BreakdownCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "breakdown",
        abstract: "Per procedure type: procedures, % of PDE, % of KAP, PDE/KAP — types where the PDE share most exceeds the KAP share first.")

    @OptionGroup var data: DataOptions
    @OptionGroup var period: PeriodOptions
    @OptionGroup var filter: FilterOptions
    @Flag(name: .long, help: "Also pool the selected operators into one group breakdown.")
    var pooled = false
    @OptionGroup var output: OutputOptions

    func run() throws {
        let loaded = try DataAccess.load(data, period)
        let view = try View(loaded: loaded, filter: filter)
        let rows = view.operators.compactMap { op in loaded.builder.breakdown(of: op.operatorID).map { (op, $0) } }
        let group: (String, TypeBreakdown)? = pooled
            ? (filter.specialty ?? (filter.operators.isEmpty ? "all" : "selected operators"), loaded.builder.breakdown(ofGroup: view.operators.map(\.operatorID)))
            : nil
        output.emit(IndicatorRendering.breakdownJSON(period: loaded.period, operators: rows, group: group, naming: view.naming)) {
            var out = loaded.notes + "Breakdown by procedure type, \(loaded.period)\n"
            for (op, br) in rows {
                out += "\n" + IndicatorRendering.breakdownTable("\(view.naming.name(op.operatorID)) (\(op.specialty))", br)
            }
            if let (name, br) = group { out += "\n" + IndicatorRendering.breakdownTable("Group \(name)", br) }
            return out
        }
    }
}
