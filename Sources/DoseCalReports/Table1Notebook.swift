import DoseCalDomain

/// The `notebooks-md/table1.md` report: the reproduced Table 1 beside the published one, the
/// proposed alert values, the full-year traffic lights, and the charts (SVG files beside it).
public struct Table1Notebook: Sendable {
    public var calibration: Calibration
    /// Per-operator indicators of the calibration period (the reference samples).
    public var calibrationOperators: [OperatorIndicators]
    public var version: ThresholdSet
    public var alertsPeriod: Period
    public var alerts: [(OperatorIndicators, OperatorAlerts)]
    /// Breakdowns drawn as the paper's Figure 2, each with a caption.
    public var figures: [(operatorID: String, caption: String, breakdown: TypeBreakdown)]
    public var naming: OperatorNaming
    /// The command that wrote the notebook (printed in it, so it can be re-made).
    public var command: String

    public init(calibration: Calibration, calibrationOperators: [OperatorIndicators], version: ThresholdSet, alertsPeriod: Period,
                alerts: [(OperatorIndicators, OperatorAlerts)], figures: [(operatorID: String, caption: String, breakdown: TypeBreakdown)],
                naming: OperatorNaming, command: String) {
        self.calibration = calibration
        self.calibrationOperators = calibrationOperators
        self.version = version
        self.alertsPeriod = alertsPeriod
        self.alerts = alerts
        self.figures = figures
        self.naming = naming
        self.command = command
    }

    /// "µSv/procedure", "procedures/operator (count)": the unit only when the label lacks it.
    static func label(_ ind: Indicator) -> String {
        ind.label.contains(ind.unit) || ind.unit == "µSv" ? ind.label : "\(ind.label) (\(ind.unit))"
    }

    /// The markdown text and the SVG files it links to (file name → SVG), to be written in
    /// `figureFolder` beside the markdown.
    public func render(figureFolder: String = "figures") -> (markdown: String, files: [(name: String, svg: String)]) {
        var md = "# Table 1 reproduced from the shipped dataset\n\n"
        md += "Written by `\(command)` from the records in the store; do not edit by hand.\n\n"
        md += "Calibration period \(calibration.period) (\(calibration.period.days) days), quantiles \(calibration.settings.quantileMethod.name), "
        md += "ratios as ratios of sums. Published values: Sanchez, Vaño, Fernández Soto, Table 1 (SPEC §8). "
        md += "A reproduced value matches when, rounded as the paper prints it, it equals the published one.\n\n"
        var files: [(String, String)] = []
        for s in calibration.specialties {
            let published = PublishedTable1.specialties.first { $0.name == s.specialty }
            md += "## \(s.specialty.capitalized): \(s.operators) interventionists, \(s.procedures) procedures"
            if let published { md += " (published: \(published.operators), \(published.procedures))" }
            md += "\n\n"
            var t = MarkdownTable(header: ["indicator", "median (IQR) reproduced", "published", "3rd quartile reproduced", "published", "match"],
                                  alignments: [.left, .right, .right, .right, .right, .center])
            for ind in [Indicator.procedures, .cumulativeMilliSv, .microSvPerProcedure, .pctReference, .pdeKap] {
                guard let st = s.stats[ind] else { continue }
                if let row = published?.rows.first(where: { $0.indicator == ind }) {
                    let m = PublishedTable1.rounded(st.median, row.median.decimals), i = PublishedTable1.rounded(st.iqr, row.iqr.decimals)
                    let q = PublishedTable1.rounded(st.q3, row.q3.decimals)
                    let ok = abs(m - row.median.value) < 1e-9 && abs(i - row.iqr.value) < 1e-9 && abs(q - row.q3.value) < 1e-9
                    t.append([Table1Notebook.label(ind),
                              "\(formatFixed(st.median, row.median.decimals)) (\(formatFixed(st.iqr, row.iqr.decimals)))",
                              "\(formatFixed(row.median.value, row.median.decimals)) (\(formatFixed(row.iqr.value, row.iqr.decimals)))",
                              formatFixed(st.q3, row.q3.decimals), formatFixed(row.q3.value, row.q3.decimals), ok ? "✓" : "✗"])
                } else {
                    t.append([Table1Notebook.label(ind), "\(formatFixed(st.median, decimals(ind))) (\(formatFixed(st.iqr, decimals(ind))))", "—",
                              formatFixed(st.q3, decimals(ind)), "—", "—"])
                }
            }
            md += t.rendered() + "\n"
            md += "Q3 uncertainty (\(s.stats[.microSvPerProcedure]?.q3Interval.method ?? "—")): "
            md += s.stats[.microSvPerProcedure].map { st in
                st.q3Interval.exists
                    ? "µSv/procedure Q3 in [\(formatFixed(st.q3Interval.lower, 1)), \(formatFixed(st.q3Interval.upper, 1))] with coverage \(formatFixed((st.q3Interval.coverage ?? 0) * 100, 1)) %."
                    : (st.q3Interval.note ?? "no interval")
            } ?? "—"
            md += "\n\n"
        }

        md += "## Proposed notification values (version \(version.version))\n\n"
        var n = MarkdownTable(header: ["specialty", "alert", "Q3", "first", "second"], alignments: [.left, .left, .right, .right, .right])
        let a1 = version.limits.notification(for: calibration.period)
        for s in version.specialties {
            n.append([s.specialty, "1 cumulative mSv (\(calibration.period.shareRule))", "—", formatFixed(a1.first, 2), formatFixed(a1.second, 2)])
            for ind in [Indicator.microSvPerProcedure, .pdeKap, .pctReference] {
                guard let v = s.notification(ind) else { continue }
                n.append([s.specialty, "\(ind.alertNumber ?? 0) \(ind.label)", formatFixed(s.q3[ind.rawValue], 3), formatFixed(v.first, 2), formatFixed(v.second, 2)])
            }
        }
        md += n.rendered() + "\n"
        md += "Published: 25 / 50 µSv per procedure and 0.50 / 1.0 µSv/(Gy·cm²) for both specialties; 4.5 / 15 mSv for the nine months.\n\n"

        let aYear = version.limits.notification(for: alertsPeriod)
        md += "## Alerts \(alertsPeriod) with version \(version.version)\n\n"
        md += "Alert 1: \(formatFixed(aYear.first, 2)) / \(formatFixed(aYear.second, 2)) mSv (\(alertsPeriod.shareRule)). "
        md += "Green below the first value, yellow from the first up to and including the second, red above.\n\n"
        var at = MarkdownTable(header: ["operator", "specialty", "procedures", "mSv", "µSv/proc", "µSv/(Gy·cm²)", "% ref", "overall"],
                               alignments: [.left, .left, .right, .right, .right, .right, .right, .left])
        for (op, al) in alerts {
            func cell(_ ind: Indicator) -> String {
                "\(formatFixed(op.value(ind, estimator: version.estimator), decimals(ind))) \(colourBadge(al.colours[ind] ?? nil))"
            }
            at.append([naming.name(op.operatorID), op.specialty, "\(op.procedures)", cell(.cumulativeMilliSv), cell(.microSvPerProcedure),
                       cell(.pdeKap), cell(.pctReference), colourBadge(al.overall)])
        }
        md += at.rendered() + "\n"
        let yellow = alerts.filter { $0.1.overall == .yellow }.count, red = alerts.filter { $0.1.overall == .red }.count
        md += "\(alerts.count) monitored interventionists: \(yellow) yellow, \(red) red.\n\n"

        md += "## Distributions with the notification values\n\n"
        for ind in [Indicator.microSvPerProcedure, .pdeKap, .pctReference, .cumulativeMilliSv] {
            let groups = calibration.specialties.map { s in
                (name: s.specialty, values: calibrationOperators.filter { $0.specialty == s.specialty }.compactMap { op in
                    op.value(ind, estimator: calibration.settings.estimator).map { (label: naming.name(op.operatorID), value: $0) }
                })
            }
            // One line per distinct value; specialties sharing it are named together.
            var thresholds: [(label: String, value: Double, colour: String)] = []
            for (level, colour) in [("first", "yellow"), ("second", "red")] {
                var byValue: [(Double, [String])] = []
                for s in calibration.specialties {
                    guard let v = s.notification[ind] else { continue }
                    let value = level == "first" ? v.first : v.second
                    if let i = byValue.firstIndex(where: { $0.0 == value }) { byValue[i].1.append(s.specialty) } else { byValue.append((value, [s.specialty])) }
                }
                for (value, names) in byValue {
                    let who = ind == .cumulativeMilliSv ? "" : " (" + names.joined(separator: ", ") + ")"
                    thresholds.append(("\(level)\(who)", value, colour))
                }
            }
            let name = "distribution-\(ind.rawValue).svg"
            files.append((name, SVGChart.distributionWithThresholds(title: "\(ind.label), \(calibration.period)", unit: ind.unit,
                                                                     groups: groups, thresholds: thresholds)))
            md += "![\(ind.label) per operator with the notification values](\(figureFolder)/\(name))\n\n"
        }

        if !figures.isEmpty { md += "## Dose by procedure type (the paper's Figure 2)\n\n" }
        for (i, f) in figures.enumerated() {
            let name = "figure2-\(i + 1).svg"
            let cats = f.breakdown.types.map { (label: $0.procedureType, pctPDE: $0.pctPDE, pctKAP: $0.pctKAP) }
            files.append((name, SVGChart.pairedShareBars(title: "\(naming.name(f.operatorID)): share of PDE and of KAP by procedure type", categories: cats)))
            md += "### \(naming.name(f.operatorID))\n\n\(f.caption)\n\n![PDE and KAP share by procedure type](\(figureFolder)/\(name))\n\n"
            var bt = MarkdownTable(header: ["procedure type", "procedures", "% PDE", "% KAP", "µSv/(Gy·cm²)"], alignments: [.left, .right, .right, .right, .right])
            for s in f.breakdown.types {
                bt.append([s.procedureType, "\(s.procedures)", formatFixed(s.pctPDE, 1), formatFixed(s.pctKAP, 1), formatFixed(s.pdeKap, 2)])
            }
            md += bt.rendered() + "\n"
        }
        return (md, files)
    }
}
