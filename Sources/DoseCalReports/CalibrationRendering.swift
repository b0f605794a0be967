import DoseCalDomain
import DoseCalNumerics

/// JSON and the Table-1 layout for `dosecal calibrate` (SPEC §5, §9).
public enum CalibrationRendering {
    public static func intervalJSON(_ i: QuantileInterval) -> JSONValue {
        .object([
            ("method", .string(i.method)), ("level", .number(i.level)), ("lower", .number(i.lower)),
            ("upper", .number(i.upper)), ("coverage", .number(i.coverage)), ("lower_rank", .int(i.lowerRank)),
            ("upper_rank", .int(i.upperRank)), ("resamples", .int(i.resamples)), ("note", .string(i.note)),
        ])
    }

    public static func quantileTypeJSON(_ m: QuantileMethod) -> JSONValue {
        m.hyndmanFanType.map { .int($0) } ?? .string("hd")
    }

    public static func notificationJSON(_ n: NotificationValues?) -> JSONValue {
        guard let n else { return .null }
        return .object([("first", .number(n.first)), ("second", .number(n.second))])
    }

    public static func specialtyJSON(_ s: SpecialtyCalibration, settings: CalibrationSettings) -> JSONValue {
        let stats: [(String, JSONValue)] = Indicator.allCases.map { ind in
            guard let st = s.stats[ind] else { return (ind.rawValue, .null) }
            return (ind.rawValue, .object([
                ("n", .int(st.n)), ("q1", .number(st.q1)), ("median", .number(st.median)), ("q3", .number(st.q3)),
                ("iqr", .number(st.iqr)), ("q3_interval", intervalJSON(st.q3Interval)),
            ]))
        }
        let notification: [(String, JSONValue)] = Indicator.alerted.map { ($0.rawValue, notificationJSON(s.notification[$0])) }
        let alerts: [(String, JSONValue)] = Indicator.alerted.map { ind in
            let c = s.alertCounts[ind] ?? ColourCounts()
            return (ind.rawValue, .object([("green", .int(c.green)), ("yellow", .int(c.yellow)), ("red", .int(c.red)), ("none", .int(c.none))]))
        }
        return .object([
            ("specialty", .string(s.specialty)), ("operators", .int(s.operators)), ("procedures", .int(s.procedures)),
            ("stats", .object(stats)), ("notification", .object(notification)), ("alerts", .object(alerts)),
            ("operators_yellow", .int(s.operatorsYellow)), ("operators_red", .int(s.operatorsRed)),
        ])
    }

    public static func calibrationJSON(_ c: Calibration, savedVersion: Int?, extra: [(String, JSONValue)] = []) -> JSONValue {
        let rounding: [(String, JSONValue)] = [Indicator.microSvPerProcedure, .pdeKap, .pctReference].map {
            ($0.rawValue, .number(c.settings.rounding.step(for: $0)))
        }
        return .object([
            ("period", IndicatorRendering.periodJSON(c.period)),
            ("quantile_type", quantileTypeJSON(c.settings.quantileMethod)),
            ("quantile_method", .string(c.settings.quantileMethod.name)),
            ("ratio_estimator", .string(c.settings.estimator.rawValue)),
            ("rounding", .object(rounding)),
            ("alert1_rule", .object([
                ("annual_first_msv", .number(c.settings.limits.investigationMilliSvPerYear)),
                ("annual_second_msv", .number(c.settings.limits.eyeLensLimitMilliSvPerYear)),
                ("share_of_year", .number(c.period.shareOfYear)), ("share_rule", .string(c.period.shareRule)),
            ])),
            ("specialties", .array(c.specialties.map { specialtyJSON($0, settings: c.settings) })),
            ("version", .int(savedVersion)),
        ] + extra)
    }

    /// The paper's Table 1 layout: per specialty, median (IQR) and 3rd quartile of each
    /// indicator, the Q3 interval, and the proposed notification values with colour counts.
    public static func table1(_ c: Calibration) -> String {
        var out = "Calibration \(c.period) (\(c.period.days) days) — quantiles \(c.settings.quantileMethod.name), \(c.settings.estimator == .ratioOfSums ? "ratio of sums" : "mean of per-procedure ratios")\n"
        let columns = Indicator.allCases
        for s in c.specialties {
            out += "\n\(s.specialty): \(s.operators) interventionists, \(s.procedures) procedures\n"
            var t = TextTable(header: [""] + columns.map(\.label))
            t.append(["median (IQR)"] + columns.map { ind in
                guard let st = s.stats[ind] else { return "—" }
                return "\(formatFixed(st.median, decimals(ind))) (\(formatFixed(st.iqr, decimals(ind))))"
            })
            t.append(["3rd quartile"] + columns.map { ind in s.stats[ind].map { formatFixed($0.q3, decimals(ind)) } ?? "—" })
            t.append(["Q3 interval"] + columns.map { ind in
                guard let i = s.stats[ind]?.q3Interval else { return "—" }
                guard let lo = i.lower, let hi = i.upper else { return "none" }
                return "[\(formatFixed(lo, decimals(ind))), \(formatFixed(hi, decimals(ind)))]"
            })
            t.append(["first notification"] + columns.map { ind in s.notification[ind].map { formatFixed($0.first, max(decimals(ind), 2)) } ?? "—" })
            t.append(["second notification"] + columns.map { ind in s.notification[ind].map { formatFixed($0.second, max(decimals(ind), 2)) } ?? "—" })
            t.append(["green/yellow/red/none"] + columns.map { ind in
                guard let k = s.alertCounts[ind] else { return "—" }
                return "\(k.green)/\(k.yellow)/\(k.red)/\(k.none)"
            })
            out += t.rendered()
            if let note = s.stats[.microSvPerProcedure]?.q3Interval, !note.exists, let text = note.note {
                out += "Q3 interval (\(note.method), \(formatFixed(note.level * 100, 0)) %): \(text)\n"
            } else if let i = s.stats[.microSvPerProcedure]?.q3Interval {
                out += "Q3 interval: \(i.method), level \(formatFixed(i.level * 100, 0)) %"
                    + (i.coverage.map { ", achieved coverage \(formatFixed($0 * 100, 1)) %" } ?? "")
                    + (i.lowerRank.map { r in ", ranks \(r)–\(i.upperRank ?? 0)" } ?? "") + "\n"
            }
            out += "Would alert in the calibration period: \(s.operatorsYellow) yellow, \(s.operatorsRed) red of \(s.operators).\n"
        }
        out += "\nAlert 1 (cumulative mSv): \(formatFixed(c.settings.limits.investigationMilliSvPerYear, 0)) and \(formatFixed(c.settings.limits.eyeLensLimitMilliSvPerYear, 0)) mSv/year × \(c.period.shareRule).\n"
        return out
    }
}
