import ArgumentParser
import DoseCalDomain
import DoseCalNumerics
import DoseCalReports

/// `dosecal compare`: two groups of operators, distribution-free (SPEC §6).
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare an indicator between two groups: specialties, first vs second operator, or rooms.",
        discussion: """
        Each operator contributes one value per group: its indicator over the group's readings
        (e.g. --by role: an operator's PDE/KAP as first operator vs as second operator). Prints
        medians and IQRs, Mann–Whitney U (exact without ties for small samples), the
        Hodges–Lehmann shift B − A with its Moses interval, a bootstrap interval of Q3(B) − Q3(A),
        and, for pde_kap, the literature values beside.
        """)

    @OptionGroup var data: DataOptions
    @OptionGroup var period: PeriodOptions
    @Option(name: .long, help: "specialty, role or room.") var by: String = "specialty"
    @Option(name: .long, help: "Group A (e.g. cardiology, first, CARD-1).") var a: String
    @Option(name: .long, help: "Group B.") var b: String
    @Option(name: .long, help: "procedures, cumulative_msv, usv_per_procedure, pde_kap or pct_reference.") var indicator: String = "pde_kap"
    @Option(name: .long, help: "Confidence level.") var level: Double = 0.95
    @Option(name: .long, help: "Bootstrap resamples for the Q3 difference.") var bootstrap: Int = 4000
    @Option(name: .long, help: "Bootstrap seed.") var seed: UInt64 = 20_240_930
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard ["specialty", "role", "room"].contains(by) else { throw ValidationError("--by must be specialty, role or room; got '\(by)'.") }
        guard Indicator(rawValue: indicator) != nil else { throw ValidationError("--indicator: unknown indicator '\(indicator)'.") }
        guard level > 0, level < 1 else { throw ValidationError("--level must be between 0 and 1.") }
    }

    func run() throws {
        let ind = Indicator(rawValue: indicator)!
        let (p, readings, roster, _) = try DataAccess.readings(data, period)
        func values(_ group: String) -> [Double] {
            var builder = IndicatorBuilder(period: p, roster: roster)
            for r in readings {
                let key: String?
                switch by {
                case "role": key = r.role?.rawValue
                case "room": key = r.room
                default: key = nil
                }
                if by != "specialty", key != group { continue }
                builder.add(operatorID: r.operatorID, hp10MicroSv: r.hp10MicroSv, specialty: r.specialty, procedureType: r.procedureType,
                            kapGyCm2: r.kapGyCm2, refMicroSv: r.refMicroSv)
            }
            let ops = by == "specialty" ? builder.indicators(specialty: group) : builder.indicators()
            return ops.compactMap { $0.value(ind) }
        }
        let va = values(a), vb = values(b)
        guard !va.isEmpty, !vb.isEmpty else {
            throw CLIError("No operator has a \(indicator) value in group \(va.isEmpty ? a : b) (--by \(by)) in \(p).")
        }
        let c = try GroupComparison(nameA: a, a: va, nameB: b, b: vb, level: level, resamples: bootstrap, seed: seed)
        let lit = ind == .pdeKap ? LiteratureRange.pdeKap : []
        func group(_ name: String, _ s: Summary) -> JSONValue {
            .object([("name", .string(name)), ("n", .int(s.n)), ("median", .number(s.median)), ("q1", .number(s.q1)), ("q3", .number(s.q3)), ("iqr", .number(s.iqr))])
        }
        output.emit(.object([
            ("period", IndicatorRendering.periodJSON(p)), ("by", .string(by)), ("indicator", .string(indicator)),
            ("a", group(a, c.summaryA)), ("b", group(b, c.summaryB)),
            ("n_a", .int(c.mannWhitney.nA)), ("n_b", .int(c.mannWhitney.nB)), ("u", .number(c.mannWhitney.u)),
            ("p_value", .number(c.mannWhitney.pValue)), ("p_method", .string(c.mannWhitney.method.name)),
            ("hodges_lehmann", .number(c.shift.estimate)),
            ("hl_interval", .object([("level", .number(c.shift.level)), ("lower", .number(c.shift.lower)), ("upper", .number(c.shift.upper)),
                                     ("achieved_level", .number(c.shift.achievedLevel)), ("method", .string(c.shift.method))])),
            ("q3_difference_interval", CalibrationRendering.intervalJSON(c.q3Difference)), ("seed", .int(Int(truncatingIfNeeded: c.seed))),
            ("literature", .array(lit.map { .object([("source", .string($0.source)), ("low", .number($0.low)), ("high", .number($0.high))]) })),
        ])) {
            let d = decimals(ind) + 1
            var t = TextTable(header: ["group", "operators", "median", "IQR", "Q1", "Q3"])
            for (n, s) in [(a, c.summaryA), (b, c.summaryB)] {
                t.append([n, "\(s.n)", formatFixed(s.median, d), formatFixed(s.iqr, d), formatFixed(s.q1, d), formatFixed(s.q3, d)])
            }
            var out = "\(ind.label) (\(ind.unit)) by \(by), \(p)\n" + t.rendered()
            out += "Mann–Whitney U = \(formatFixed(c.mannWhitney.u, 1)), p = \(formatFixed(c.mannWhitney.pValue, 4)) (\(c.mannWhitney.method.name))\n"
            out += "Hodges–Lehmann shift \(b) − \(a): \(formatFixed(c.shift.estimate, d)) [\(formatFixed(c.shift.lower, d)), \(formatFixed(c.shift.upper, d))] (\(c.shift.method)"
                + (c.shift.achievedLevel.map { ", achieved level \(formatFixed($0 * 100, 1)) %" } ?? "") + ")\n"
            out += "Q3(\(b)) − Q3(\(a)): \(c.q3Difference.method) [\(formatFixed(c.q3Difference.lower, d)), \(formatFixed(c.q3Difference.upper, d))], seed \(c.seed)\n"
            if !lit.isEmpty {
                out += "Literature PDE/KAP (µSv/(Gy·cm²)):\n"
                for l in lit { out += "  \(l.source): \(l.low == l.high ? formatFixed(l.low, 2) : "\(formatFixed(l.low, 1))–\(formatFixed(l.high, 1))")\n" }
            }
            return out
        }
    }
}
