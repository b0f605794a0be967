import ArgumentParser
import DoseCalDomain
import DoseCalReports

/// `dosecal model`: log-log regression of operator dose on KAP with procedure-type effects (SPEC §6).
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Fit ln Hp(10) = b0 + b1 ln KAP + type effects (LAPACK dgelsd); show operators and procedures far above expectation.")

    @OptionGroup var data: DataOptions
    @OptionGroup var period: PeriodOptions
    @Option(name: .long, help: "Only this specialty.") var specialty: String?
    @Option(name: .long, help: "How many procedures far above expectation to list.") var top: Int = 10
    @Option(name: .long, help: "Relative rank tolerance for dgelsd.") var rankTolerance: Double = 1e-10
    @OptionGroup var output: OutputOptions

    func run() throws {
        let (p, readings, _, _) = try DataAccess.readings(data, period)
        let rows = readings.filter { specialty == nil || $0.specialty == specialty }.map {
            ModelReading(studyUID: $0.studyUID, operatorID: $0.operatorID, procedureType: $0.procedureType, hp10MicroSv: $0.hp10MicroSv, kapGyCm2: $0.kapGyCm2)
        }
        let model = try DoseModel(readings: rows, rankTolerance: rankTolerance)
        let f = model.fit
        let ratios = model.ratios
        let worst = zip(model.used, ratios).sorted { $0.1 > $1.1 }.prefix(top)
        let ops = model.operatorRatios()
        output.emit(.object([
            ("period", IndicatorRendering.periodJSON(p)), ("specialty", .string(specialty)),
            ("model", .string("ln hp10_usv = b0 + b1 ln kap_gycm2 + type effects (reference: \(model.referenceType)); least squares, LAPACK dgelsd")),
            ("readings_used", .int(model.used.count)), ("readings_left_out", .int(model.leftOut)),
            ("rank", .int(f.rank)), ("rank_deficient", .bool(f.rankDeficient)), ("condition_number", .number(f.conditionNumber)),
            ("r_squared", .number(f.rSquared)), ("residual_standard_error", .number(f.residualStandardError)),
            ("coefficients", .array(zip(model.terms, zip(f.coefficients, f.standardErrors)).map { t, c in
                .object([("term", .string(t)), ("estimate", .number(c.0)), ("standard_error", .number(c.1))])
            })),
            ("operators", .array(ops.map { .object([("operator_id", .string($0.operatorID)), ("readings", .int($0.readings)), ("observed_over_expected", .number($0.ratio))]) })),
            ("top_procedures", .array(worst.map { r, x in
                .object([("study_uid", .string(r.studyUID)), ("operator_id", .string(r.operatorID)), ("procedure_type", .string(r.procedureType)),
                         ("hp10_usv", .number(r.hp10MicroSv)), ("kap_gycm2", .number(r.kapGyCm2)), ("observed_over_expected", .number(x))])
            })),
        ])) {
            var out = "Dose model \(p)\(specialty.map { ", \($0)" } ?? ""): \(model.used.count) readings (\(model.leftOut) without positive KAP or dose left out)\n"
            out += "R² = \(formatFixed(f.rSquared, 3)), rank \(f.rank) of \(model.terms.count)\(f.rankDeficient ? " — RANK DEFICIENT: near-collinear terms, standard errors withheld" : ""), condition number \(formatFixed(f.conditionNumber, 1))\n"
            var t = TextTable(header: ["term", "estimate", "std. error"])
            for (i, term) in model.terms.enumerated() { t.append([term, formatFixed(f.coefficients[i], 4), formatFixed(f.standardErrors[i], 4)]) }
            out += t.rendered() + "\nOperators, geometric mean of observed/expected:\n"
            var o = TextTable(header: ["operator", "readings", "observed/expected"])
            for x in ops { o.append([x.operatorID, "\(x.readings)", formatFixed(x.ratio, 2)]) }
            out += o.rendered() + "\nProcedures furthest above expectation:\n"
            var w = TextTable(header: ["study", "operator", "type", "Hp(10) µSv", "KAP Gy·cm²", "observed/expected"])
            for (r, x) in worst { w.append([r.studyUID, r.operatorID, r.procedureType, formatFixed(r.hp10MicroSv, 1), formatFixed(r.kapGyCm2, 1), formatFixed(x, 2)]) }
            return out + w.rendered()
        }
    }
}
