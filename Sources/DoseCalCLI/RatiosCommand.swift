import ArgumentParser
import DoseCalDomain
import DoseCalReports

/// `dosecal ratios`: PDE/KAP and PDE/reference per procedure type with intervals (SPEC §6).
struct RatiosCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ratios",
        abstract: "Per procedure type: PDE/KAP (µSv/(Gy·cm²)) and PDE/reference (%) as ratios of sums, with bootstrap intervals.",
        discussion: "Readings of a type are resampled as independent draws (clustering by operator is ignored); the seed makes it reproducible.")

    @OptionGroup var data: DataOptions
    @OptionGroup var period: PeriodOptions
    @Option(name: .long, help: "Only this specialty.") var specialty: String?
    @Option(name: .customLong("operator"), help: "Only this operator (repeatable).") var operators: [String] = []
    @Option(name: .long, help: "Confidence level.") var level: Double = 0.95
    @Option(name: .long, help: "Bootstrap resamples.") var bootstrap: Int = 2000
    @Option(name: .long, help: "Bootstrap seed.") var seed: UInt64 = 20_240_930
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard level > 0, level < 1 else { throw ValidationError("--level must be between 0 and 1.") }
        guard bootstrap >= 100 else { throw ValidationError("--bootstrap needs at least 100 resamples.") }
    }

    func run() throws {
        let (p, readings, roster, _) = try DataAccess.readings(data, period)
        let only = Set(operators)
        let rows = readings.filter { r in
            (specialty == nil || (roster[r.operatorID] ?? r.specialty) == specialty) && (only.isEmpty || only.contains(r.operatorID))
        }.map { (type: $0.procedureType, hp10MicroSv: $0.hp10MicroSv, kapGyCm2: $0.kapGyCm2, refMicroSv: $0.refMicroSv) }
        let ratios = TypeRatios.compute(rows, level: level, resamples: bootstrap, seed: seed)
        func est(_ e: QuantileIntervalEstimate?) -> JSONValue {
            guard let e else { return .null }
            return .object([("estimate", .number(e.estimate)), ("interval", CalibrationRendering.intervalJSON(e.interval))])
        }
        output.emit(.object([
            ("period", IndicatorRendering.periodJSON(p)), ("specialty", .string(specialty)),
            ("operators", .array(operators.map { .string($0) })), ("estimator", .string(RatioEstimator.ratioOfSums.rawValue)),
            ("seed", .int(Int(truncatingIfNeeded: seed))),
            ("types", .array(ratios.map { r in
                .object([("procedure_type", .string(r.procedureType)), ("readings", .int(r.readings)),
                         ("readings_with_kap", .int(r.readingsWithKap)), ("readings_with_ref", .int(r.readingsWithRef)),
                         ("pde_kap", est(r.pdeKap)), ("pct_reference", est(r.pctReference))])
            })),
        ])) {
            var t = TextTable(header: ["procedure type", "readings", "µSv/(Gy·cm²)", "\(formatFixed(level * 100, 0)) % interval", "% reference", "\(formatFixed(level * 100, 0)) % interval"])
            func cells(_ e: QuantileIntervalEstimate?, _ d: Int) -> [String] {
                guard let e else { return ["—", "—"] }
                return [formatFixed(e.estimate, d), "[\(formatFixed(e.interval.lower, d)), \(formatFixed(e.interval.upper, d))]"]
            }
            for r in ratios { t.append([r.procedureType, "\(r.readings)"] + cells(r.pdeKap, 2) + cells(r.pctReference, 1)) }
            return "Ratios of sums per procedure type, \(p)\(specialty.map { ", \($0)" } ?? "")\(operators.isEmpty ? "" : ", " + operators.joined(separator: ", ")); bootstrap percentile intervals, \(bootstrap) resamples, seed \(seed)\n" + t.rendered()
        }
    }
}
