import ArgumentParser
import DoseCalDomain
import DoseCalReports

/// `dosecal eyelens`: projected annual eye-lens dose from the over-apron reading (SPEC §6).
struct EyeLensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eyelens",
        abstract: "Project each operator's annual eye-lens dose from the over-apron Hp(10), with its spread and the chance of passing 20 mSv.")

    @OptionGroup var data: DataOptions
    @OptionGroup var period: PeriodOptions
    @OptionGroup var filter: FilterOptions
    @Option(name: .long, help: "Mean eye/collar ratio (literature: 0.75).") var ratioMean: Double = 0.75
    @Option(name: .long, help: "Quartiles of the eye/collar ratio, Q1,median,Q3 (literature: 0.5,0.6,0.9).") var ratioQuartiles: String = "0.5,0.6,0.9"
    @Option(name: .long, help: "Protective eyewear dose-reduction factor (1 = none).") var eyewearFactor: Double = 1
    @Option(name: .long, help: "Annual eye-lens limit, mSv.") var limit: Double = 20
    @OptionGroup var output: OutputOptions

    func quartiles() throws -> (Double, Double, Double) {
        let q = ratioQuartiles.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard q.count == 3, q[0] > 0, q[0] < q[1], q[1] < q[2] else {
            throw ValidationError("--ratio-quartiles needs three increasing positive numbers Q1,median,Q3; got '\(ratioQuartiles)'.")
        }
        return (q[0], q[1], q[2])
    }

    func validate() throws {
        _ = try quartiles()
        guard eyewearFactor >= 1 else { throw ValidationError("--eyewear-factor must be ≥ 1 (1 = no eyewear).") }
        guard ratioMean > 0 else { throw ValidationError("--ratio-mean must be positive.") }
    }

    func run() throws {
        let q = try quartiles()
        let loaded = try DataAccess.load(data, period, typeBreakdown: false)
        let view = try View(loaded: loaded, filter: filter)
        let rows = try view.operators.map { op -> (OperatorIndicators, EyeLensProjection, Double) in
            let e = EyeLensProjection(periodMilliSv: op.cumulativeMilliSv, shareOfYear: loaded.period.shareOfYear, ratioMean: ratioMean,
                                      ratioQuartiles: q, eyewearFactor: eyewearFactor, limitMilliSv: limit)
            return (op, e, try e.probabilityAboveLimit())
        }
        output.emit(.object([
            ("period", IndicatorRendering.periodJSON(loaded.period)), ("share_of_year", .number(loaded.period.shareOfYear)),
            ("ratio_mean", .number(ratioMean)), ("ratio_quartiles", .array([.number(q.0), .number(q.1), .number(q.2)])),
            ("eyewear_factor", .number(eyewearFactor)), ("limit_msv", .number(limit)),
            ("method", .string("annual Hp(10) = period mSv / share of year; eye = annual × ratio / eyewear factor; P(> limit) from a log-normal ratio through its quartiles")),
            ("operators", .array(rows.map { op, e, p in
                let qs = e.quartilesMilliSv
                return .object([("operator_id", .string(view.naming.name(op.operatorID))), ("specialty", .string(op.specialty)),
                                ("period_msv", .number(e.periodMilliSv)), ("annual_hp10_msv", .number(e.annualHp10MilliSv)),
                                ("eye_mean_msv", .number(e.meanMilliSv)), ("eye_q1_msv", .number(qs.q1)), ("eye_median_msv", .number(qs.median)),
                                ("eye_q3_msv", .number(qs.q3)), ("p_above_limit", .number(p))])
            })),
        ])) {
            var t = TextTable(header: ["operator", "specialty", "period mSv", "annual Hp(10)", "eye mean", "eye Q1–Q3", "P(> \(formatFixed(limit, 0)) mSv)"])
            for (op, e, p) in rows {
                let qs = e.quartilesMilliSv
                t.append([view.naming.name(op.operatorID), op.specialty, formatFixed(e.periodMilliSv, 2), formatFixed(e.annualHp10MilliSv, 2),
                          formatFixed(e.meanMilliSv, 2), "\(formatFixed(qs.q1, 2))–\(formatFixed(qs.q3, 2))", formatFixed(p * 100, 2) + " %"])
            }
            return "Projected annual eye-lens dose, \(loaded.period) (× \(formatFixed(1 / loaded.period.shareOfYear, 3)) to a year; ratio mean \(ratioMean), quartiles \(ratioQuartiles); eyewear factor \(eyewearFactor))\n" + t.rendered()
        }
    }
}
