import DoseCalDomain

/// JSON and tables for `dosecal alerts` (SPEC §4, §9).
public enum AlertRendering {
    public static func colourJSON(_ c: AlertColour?) -> JSONValue { c.map { .string($0.rawValue) } ?? .null }

    public static func alertsJSON(period: Period, version: ThresholdSet, operators: [(OperatorIndicators, OperatorAlerts)],
                                  naming: OperatorNaming) -> JSONValue {
        let notification: [(String, JSONValue)] = version.specialties.map { s in
            var members: [(String, JSONValue)] = [(Indicator.cumulativeMilliSv.rawValue, CalibrationRendering.notificationJSON(version.limits.notification(for: period)))]
            for ind in [Indicator.microSvPerProcedure, .pdeKap, .pctReference] {
                members.append((ind.rawValue, CalibrationRendering.notificationJSON(s.notification(ind))))
            }
            return (s.specialty, .object(members))
        }
        return .object([
            ("period", IndicatorRendering.periodJSON(period)),
            ("ratio_estimator", .string(version.estimator.rawValue)),
            ("version", version.version > 0 ? .int(version.version) : .null),
            ("thresholds_note", .string(version.version > 0 ? nil : version.note)),
            ("view", naming.viewJSON),
            ("notification", .object(notification)),
            ("operators", .array(operators.map { op, alerts in
                .object(IndicatorRendering.operatorFields(op, naming: naming) + [
                    ("alerts", .object(Indicator.alerted.map { ($0.rawValue, colourJSON(alerts.colours[$0] ?? nil)) })),
                    ("overall", colourJSON(alerts.overall)),
                ])
            })),
        ])
    }

    static func badge(_ c: AlertColour?) -> String {
        switch c {
        case .green: return "green"
        case .yellow: return "YELLOW"
        case .red: return "RED"
        case nil: return "—"
        }
    }

    public static func alertsTable(period: Period, version: ThresholdSet, operators: [(OperatorIndicators, OperatorAlerts)],
                                   naming: OperatorNaming) -> String {
        var t = TextTable(header: ["operator", "specialty", "procedures", "mSv", "", "µSv/proc", "", "µSv/(Gy·cm²)", "", "% ref", "", "overall"])
        for (op, a) in operators {
            func cell(_ ind: Indicator) -> [String] {
                [formatFixed(op.value(ind, estimator: version.estimator), decimals(ind)), badge(a.colours[ind] ?? nil)]
            }
            t.append([naming.name(op.operatorID), op.specialty, "\(op.procedures)"] + cell(.cumulativeMilliSv) + cell(.microSvPerProcedure)
                     + cell(.pdeKap) + cell(.pctReference) + [badge(a.overall)])
        }
        let n = version.limits.notification(for: period)
        var out = "Alerts \(period) with " + (version.version > 0 ? "threshold version \(version.version)" : "thresholds \(version.note)")
            + " (calibrated on \(version.periodFrom)..\(version.periodTo)); "
        out += "alert 1: \(formatFixed(n.first, 2)) / \(formatFixed(n.second, 2)) mSv (\(period.shareRule))\n"
        for s in version.specialties {
            let parts = [Indicator.microSvPerProcedure, .pdeKap, .pctReference].compactMap { ind -> String? in
                s.notification(ind).map { "\(ind.label) \(formatFixed($0.first, 2)) / \(formatFixed($0.second, 2))" }
            }
            out += "  \(s.specialty): " + parts.joined(separator: "; ") + "\n"
        }
        out += t.rendered()
        let yellow = operators.filter { $0.1.overall == .yellow }.count
        let red = operators.filter { $0.1.overall == .red }.count
        out += "\(operators.count) operators: \(yellow) yellow, \(red) red.\n"
        return out
    }
}
