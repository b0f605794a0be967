import DoseCalNumerics
import DoseCalReports
import Foundation

/// The result of a `stats` subcommand: its JSON document and its readable table.
struct StatsReport {
    let json: JSONValue
    let table: String

    /// The JSON document as printed by `--json`.
    var jsonText: String { json.rendered(pretty: true) }
}

/// Builds the output of the `stats` subcommands from the numerical core (no I/O here).
enum StatsReports {
    // MARK: quantile

    /// `stats quantile`: `{"n", "type", "method", "quantiles": [{"p", "value"}]}`.
    static func quantiles(_ numbers: [Double], source: String, ps: [Double], method: QuantileMethod) throws -> StatsReport {
        let values = try DoseCalNumerics.quantiles(numbers, ps: ps, method: method)
        let json = JSONValue.object([
            ("n", .int(numbers.count)),
            ("type", typeJSON(method)),
            ("method", .string(method.name)),
            ("quantiles", .array(zip(ps, values).map { p, value in
                .object([("p", .number(p)), ("value", .number(value))])
            })),
        ])
        var table = TextTable(header: ["p", "quantile"])
        for (p, value) in zip(ps, values) { table.append([StatsFormat.number(p), StatsFormat.number(value)]) }
        let text = "Quantiles of \(numbers.count) values from \(source), \(method.name)\n\n" + table.rendered()
        return StatsReport(json: json, table: text)
    }

    // MARK: describe

    /// `stats describe`: the summary, the order-statistic Q3 interval and, with `bootstrap`,
    /// the percentile and BCa bootstrap Q3 intervals.
    static func describe(
        _ numbers: [Double], source: String, method: QuantileMethod, level: Double, bootstrap: Int?, seed: UInt64
    ) throws -> StatsReport {
        let summary = try Summary(numbers, method: method)
        let q3Interval = try orderStatisticInterval(numbers, p: 0.75, level: level)
        var members: [(String, JSONValue)] = [
            ("n", .int(summary.n)),
            ("mean", .number(summary.mean)),
            ("sd", .number(summary.sd)),
            ("min", .number(summary.min)),
            ("max", .number(summary.max)),
            ("q1", .number(summary.q1)),
            ("median", .number(summary.median)),
            ("q3", .number(summary.q3)),
            ("iqr", .number(summary.iqr)),
            ("type", typeJSON(method)),
            ("method", .string(method.name)),
            ("geometric_mean", .number(summary.geometricMean)),
            ("geometric_sd", .number(summary.geometricSD)),
            ("q3_interval", intervalJSON(q3Interval)),
        ]
        var intervals = [q3Interval]
        if let bootstrap {
            var rng = Xoshiro256StarStar(seed: seed)
            let (percentile, bca) = try bootstrapQuantileIntervals(
                numbers, p: 0.75, method: method, level: level, resamples: bootstrap, using: &rng)
            members.append(("q3_bootstrap", .object([
                ("percentile", intervalJSON(percentile, seed: seed)),
                ("bca", intervalJSON(bca, seed: seed)),
            ])))
            intervals += [percentile, bca]
        }

        var table = TextTable(header: ["statistic", "value"])
        let rows: [(String, Double?)] = [
            ("mean", summary.mean), ("sd", summary.sd), ("min", summary.min), ("q1", summary.q1),
            ("median", summary.median), ("q3", summary.q3), ("max", summary.max), ("iqr", summary.iqr),
            ("geometric mean", summary.geometricMean), ("geometric sd", summary.geometricSD),
        ]
        table.append(["n", String(summary.n)])
        for (name, value) in rows { table.append([name, StatsFormat.number(value)]) }
        var text = "Summary of \(summary.n) values from \(source); quartiles: \(method.name)\n\n" + table.rendered()
        text += "\nQ3 \(StatsFormat.percent(level)) confidence interval\n\n"
        text += intervalTable(intervals, seed: bootstrap == nil ? nil : seed)
        return StatsReport(json: .object(members), table: text)
    }

    // MARK: compare

    /// `stats compare`: sizes, medians and IQRs, the Mann–Whitney test, the Hodges–Lehmann shift
    /// of B relative to A with its interval and, with `bootstrap`, an interval for Q3(B) − Q3(A).
    static func compare(
        _ a: [Double], _ b: [Double], sourceA: String, sourceB: String, method: QuantileMethod,
        level: Double, bootstrap: Int?, seed: UInt64
    ) throws -> StatsReport {
        let summaryA = try Summary(a, method: method)
        let summaryB = try Summary(b, method: method)
        let test = try mannWhitneyTest(a, b)
        let shift = try hodgesLehmannShift(a, b, level: level)
        var members: [(String, JSONValue)] = [
            ("source_a", .string(sourceA)),
            ("source_b", .string(sourceB)),
            ("n_a", .int(a.count)),
            ("n_b", .int(b.count)),
            ("u", .number(test.u)),
            ("p_value", .number(test.pValue)),
            ("p_method", .string(test.method.name)),
            ("hodges_lehmann", .number(shift.estimate)),
            ("hl_interval", .object([
                ("level", .number(shift.level)),
                ("lower", .number(shift.lower)),
                ("upper", .number(shift.upper)),
                ("achieved_level", .number(shift.achievedLevel)),
                ("method", .string(shift.method)),
                ("note", .string(shift.note)),
            ])),
            ("median_a", .number(summaryA.median)),
            ("median_b", .number(summaryB.median)),
            ("iqr_a", .number(summaryA.iqr)),
            ("iqr_b", .number(summaryB.iqr)),
            ("type", typeJSON(method)),
            ("method", .string(method.name)),
        ]
        var difference: QuantileInterval?
        if let bootstrap {
            var rng = Xoshiro256StarStar(seed: seed)
            let interval = try bootstrapQuantileDifferenceInterval(
                a, b, p: 0.75, method: method, level: level, resamples: bootstrap, using: &rng)
            members.append(("q3_difference", .number(summaryB.q3 - summaryA.q3)))
            members.append(("q3_difference_bootstrap", intervalJSON(interval, seed: seed)))
            difference = interval
        }

        var groups = TextTable(header: ["group", "source", "n", "median", "q1", "q3", "iqr"])
        for (name, source, s) in [("A", sourceA, summaryA), ("B", sourceB, summaryB)] {
            groups.append([name, source, String(s.n), StatsFormat.number(s.median), StatsFormat.number(s.q1),
                           StatsFormat.number(s.q3), StatsFormat.number(s.iqr)])
        }
        var results = TextTable(header: ["statistic", "value", "method"])
        results.append(["Mann-Whitney U (A)", StatsFormat.number(test.u), ""])
        results.append(["p-value (two-sided)", StatsFormat.probability(test.pValue), test.method.name])
        results.append(["Hodges-Lehmann shift B - A", StatsFormat.number(shift.estimate), "median of all b - a"])
        let intervalText = shift.lower == nil ? "none" :
            "[\(StatsFormat.number(shift.lower)), \(StatsFormat.number(shift.upper))]"
        results.append(["interval (\(StatsFormat.percent(level)))", intervalText, shift.method])
        if let achieved = shift.achievedLevel {
            results.append(["achieved level", StatsFormat.percent(achieved), ""])
        }
        if let difference {
            results.append(["Q3(B) - Q3(A)", StatsFormat.number(summaryB.q3 - summaryA.q3), method.name])
            let text = difference.exists ?
                "[\(StatsFormat.number(difference.lower)), \(StatsFormat.number(difference.upper))]" : "none"
            results.append(["interval (\(StatsFormat.percent(level)))", text,
                            "\(difference.method), \(bootstrap ?? 0) resamples, seed \(seed)"])
        }
        var text = "Comparison of A and B; quartiles: \(method.name)\n\n" + groups.rendered() + "\n" + results.rendered()
        for note in [shift.note, difference?.note].compactMap({ $0 }) { text += "\nNote: \(note)\n" }
        return StatsReport(json: .object(members), table: text)
    }

    // MARK: pieces

    /// The `type` value: the Hyndman & Fan number, or "hd".
    static func typeJSON(_ method: QuantileMethod) -> JSONValue {
        if let type = method.hyndmanFanType { return .int(type) }
        return .string("hd")
    }

    /// An interval as `{"method", "level", "lower", "upper", "coverage", "lower_rank",
    /// "upper_rank", "note"}`, plus `"resamples"` and `"seed"` for bootstrap intervals.
    static func intervalJSON(_ interval: QuantileInterval, seed: UInt64? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("method", .string(interval.method)),
            ("level", .number(interval.level)),
            ("lower", .number(interval.lower)),
            ("upper", .number(interval.upper)),
            ("coverage", .number(interval.coverage)),
            ("lower_rank", .int(interval.lowerRank)),
            ("upper_rank", .int(interval.upperRank)),
            ("note", .string(interval.note)),
        ]
        if let seed {
            members.append(("resamples", .int(interval.resamples)))
            members.append(("seed", .int(Int(seed))))
        }
        return .object(members)
    }

    /// The Q3 intervals as a table, their notes below it.
    static func intervalTable(_ intervals: [QuantileInterval], seed: UInt64?) -> String {
        var table = TextTable(header: ["method", "lower", "upper", "coverage", "ranks"])
        var notes: [String] = []
        for interval in intervals {
            var name = interval.method
            if let resamples = interval.resamples, let seed { name += " (\(resamples) resamples, seed \(seed))" }
            let ranks = interval.lowerRank.map { "\($0)-\(interval.upperRank!)" } ?? ""
            table.append([
                name, StatsFormat.number(interval.lower), StatsFormat.number(interval.upper),
                interval.coverage.map { StatsFormat.probability($0) } ?? "", ranks,
            ])
            if let note = interval.note { notes.append("\(interval.method): \(note)") }
        }
        var text = table.rendered()
        for note in notes { text += "\nNote: \(note)\n" }
        return text
    }
}

/// Number formatting for the `stats` tables.
enum StatsFormat {
    /// Six significant digits, trailing zeros dropped; "—" for `nil` or non-finite values.
    static func number(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "—" }
        if value == 0 { return "0" }
        let magnitude = Int(log10(abs(value)).rounded(.down))
        if magnitude >= 15 || magnitude <= -7 { return String(format: "%.5e", value) }
        let decimals = max(0, min(12, 5 - magnitude))
        var text = formatFixed(value, decimals)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }

    /// A probability with 4 decimals, or in scientific notation below 0.0001.
    static func probability(_ value: Double) -> String {
        value > 0 && value < 1e-4 ? String(format: "%.2e", value) : formatFixed(value, 4)
    }

    /// A level as a percentage, "95 %" or "95.9 %".
    static func percent(_ level: Double) -> String {
        let percent = level * 100
        if abs(percent - percent.rounded()) < 1e-9 { return "\(Int(percent.rounded())) %" }
        return formatFixed(percent, 1) + " %"
    }
}
