import Foundation

/// Charts for the markdown reports (SPEC §9), as self-contained SVG text.
///
/// The output is deterministic: coordinates are rounded to 0.1 px and printed without locale,
/// labels use ``formatFixed(_:_:)``, so the same input always gives the same bytes and a chart
/// can be checked against a golden file. Each chart has a white background (readable in dark
/// viewers), a visible title, an `aria-label` and `<title>`/`<desc>` for screen readers, a
/// `<title>` tooltip on every bar, dot and line, axis labels, a legend and `sans-serif` text.
/// Drawn elements carry a `class` (`bar-pde`, `bar-kap`, `dot`, `iqr`, `median`, `threshold`)
/// so a stylesheet or a test can find them.
public enum SVGChart {
    /// Blue of the PDE (operator dose) bars.
    public static let pdeColour = "#1f77b4"
    /// Grey of the KAP (patient dose) bars.
    public static let kapColour = "#9e9e9e"

    /// The paper's Figure 2: for each procedure type, its share of the total personal dose
    /// equivalent (a blue bar) beside its share of the total kerma-area product (a grey bar).
    ///
    /// A type whose blue bar is much longer than its grey one gives the operators more dose than
    /// its patient dose explains: that is where protection can improve. Categories are drawn in
    /// the order given (``TypeBreakdown`` already sorts the largest excess first). A missing
    /// share is drawn as "n/a", not as a zero bar.
    ///
    /// - Parameters:
    ///   - title: the chart's title, also its accessible name.
    ///   - categories: one entry per procedure type: its label and its shares of PDE and of KAP,
    ///     in % (0–100).
    /// - Returns: an SVG document, 760 px wide.
    public static func pairedShareBars(title: String,
                                       categories: [(label: String, pctPDE: Double?, pctKAP: Double?)]) -> String {
        let width = 760.0
        let labels = categories.map { shortened($0.label) }
        let left = 16 + min(textWidth(labels.map(\.count).max() ?? 0), 300) + 10
        let right = 64.0
        let top = 84.0
        let band = 40.0
        let plotHeight = band * Double(max(categories.count, 1))
        let height = top + plotHeight + 52
        let values = categories.flatMap { [$0.pctPDE, $0.pctKAP] }.compactMap { $0 }.filter(\.isFinite)
        let axis = Axis(lower: 0, upper: max(values.max() ?? 0, 10))
        let scale = { (v: Double) in left + (width - left - right) * axis.fraction(v) }

        var svg = SVGText(width: width, height: height, title: title, description:
            "Horizontal bars: for each procedure type, its share of the total personal dose equivalent "
            + "(PDE, operator dose, blue) beside its share of the total kerma-area product (KAP, patient dose, grey), in %.")
        svg.heading(title, width: width)
        svg.legendSwatch(x: left, y: 52, colour: pdeColour, label: "share of PDE (operator dose)")
        svg.legendSwatch(x: left + 230, y: 52, colour: kapColour, label: "share of KAP (patient dose)")
        svg.grid(axis: axis, scale: scale, top: top, bottom: top + plotHeight, decimals: axis.decimals,
                 label: "Share of the total (%)", labelX: (left + width - right) / 2)
        if categories.isEmpty {
            svg.line(##"<text x="\##(n(left + 8))" y="\##(n(top + band / 2 + 4))" fill="#616161">No procedure types in this period</text>"##)
        }
        for (i, category) in categories.enumerated() {
            let y = top + band * Double(i)
            let label = XMLText.escaped(category.label)
            svg.line(##"<g>"##)
            svg.line(##"<text x="\##(n(left - 8))" y="\##(n(y + band / 2 + 4))" text-anchor="end"><title>\##(label)</title>\##(XMLText.escaped(labels[i]))</text>"##)
            for (offset, value, fill, kind, what) in [(5.0, category.pctPDE, pdeColour, "bar-pde", "PDE"),
                                                         (21.0, category.pctKAP, kapColour, "bar-kap", "KAP")] {
                let barY = y + offset
                if let value, value.isFinite {
                    let end = scale(value)
                    let text = formatFixed(value, 1) + " %"
                    svg.line(##"<rect class="\##(kind)" x="\##(n(left))" y="\##(n(barY))" width="\##(n(max(end - left, 0)))" height="14" fill="\##(fill)"><title>\##(label): \##(text) of \##(what)</title></rect>"##)
                    svg.line(##"<text x="\##(n(end + 4))" y="\##(n(barY + 11))" font-size="11">\##(text)</text>"##)
                } else {
                    svg.line(##"<text x="\##(n(left + 4))" y="\##(n(barY + 11))" font-size="11" fill="#616161">n/a<title>\##(label): no \##(what) share</title></text>"##)
                }
            }
            svg.line("</g>")
        }
        return svg.finished()
    }

    /// A strip plot per group (e.g. cardiology, radiology) of one indicator, with its notification
    /// values drawn across the groups.
    ///
    /// Each value (one operator's indicator, say) is a dot; dots with close values are spread
    /// vertically in a fixed pattern (no randomness). Behind them, a light box spans the first to
    /// the third quartile with a dark line at the median, computed with Hyndman & Fan type 7
    /// (the product's default, as in R and numpy). Each threshold is a dashed vertical line.
    /// Non-finite values are left out.
    ///
    /// - Parameters:
    ///   - title: the chart's title, also its accessible name.
    ///   - unit: the value axis's label, e.g. "µSv per procedure".
    ///   - groups: one row per group: its name and its labelled values.
    ///   - thresholds: the notification values, each with a label and a colour: `"green"`,
    ///     `"yellow"` and `"red"` are drawn in shades readable on white (#2ca02c, #e0a800,
    ///     #d62728); any other string is used as the SVG colour as is.
    /// - Returns: an SVG document, 760 px wide.
    public static func distributionWithThresholds(
        title: String, unit: String,
        groups: [(name: String, values: [(label: String, value: Double)])],
        thresholds: [(label: String, value: Double, colour: String)]
    ) -> String {
        let width = 760.0
        let names = groups.map { shortened($0.name) }
        let left = 16 + min(textWidth(max(names.map(\.count).max() ?? 0, 9)), 240) + 12
        let right = 24.0
        let finiteThresholds = thresholds.filter(\.value.isFinite)
        let all = groups.flatMap { $0.values.map(\.value) }.filter(\.isFinite) + finiteThresholds.map(\.value)
        let axis = Axis(lower: min(all.min() ?? 0, 0), upper: (all.max() ?? 1) * 1.05)
        let scale = { (v: Double) in left + (width - left - right) * axis.fraction(v) }
        let decimals = axis.decimals + 1

        // The thresholds' legend items, wrapped onto as many rows as they need.
        var legendItems: [(x: Double, y: Double, text: String, colour: String)] = []
        var legendX = left, legendY = 66.0
        for threshold in finiteThresholds {
            let text = "\(threshold.label) (\(formatFixed(threshold.value, decimals)) \(unit))"
            let itemWidth = 28 + textWidth(text.count)
            if legendX > left, legendX + itemWidth > width - right {
                legendX = left
                legendY += 18
            }
            legendItems.append((legendX, legendY, text, colour(threshold.colour)))
            legendX += itemWidth + 20
        }
        let top = legendY + 30
        let band = 56.0
        let plotHeight = band * Double(max(groups.count, 1))
        let height = top + plotHeight + 52

        var svg = SVGText(width: width, height: height, title: title, description:
            "Strip plot per group: each dot is one value in \(unit); the shaded box spans the first to the third "
            + "quartile (Hyndman & Fan type 7) with a dark line at the median; dashed vertical lines are the notification values.")
        svg.heading(title, width: width)

        // Legend: the statistics on one row, the thresholds on the next.
        svg.line(##"<rect x="\##(n(left))" y="42" width="22" height="12" fill="#dbe4f0" stroke="#8da0b8"/>"##)
        svg.line(##"<text x="\##(n(left + 28))" y="52">Q1–Q3 (type 7)</text>"##)
        svg.line(##"<line x1="\##(n(left + 150))" y1="42" x2="\##(n(left + 150))" y2="54" stroke="#44546a" stroke-width="2"/>"##)
        svg.line(##"<text x="\##(n(left + 158))" y="52">median</text>"##)
        svg.line(##"<circle cx="\##(n(left + 228))" cy="48" r="4" fill="#1f4e79" fill-opacity="0.75"/>"##)
        svg.line(##"<text x="\##(n(left + 238))" y="52">one value</text>"##)
        for item in legendItems {
            svg.line(##"<line x1="\##(n(item.x))" y1="\##(n(item.y))" x2="\##(n(item.x + 22))" y2="\##(n(item.y))" stroke="\##(item.colour)" stroke-width="2" stroke-dasharray="6 4"/>"##)
            svg.line(##"<text x="\##(n(item.x + 28))" y="\##(n(item.y + 4))">\##(XMLText.escaped(item.text))</text>"##)
        }

        svg.grid(axis: axis, scale: scale, top: top, bottom: top + plotHeight, decimals: axis.decimals,
                 label: unit, labelX: (left + width - right) / 2)
        if groups.isEmpty {
            svg.line(##"<text x="\##(n(left + 8))" y="\##(n(top + band / 2 + 4))" fill="#616161">No values</text>"##)
        }
        for (i, group) in groups.enumerated() {
            let mid = top + band * (Double(i) + 0.5)
            let values = group.values.filter(\.value.isFinite).sorted {
                $0.value != $1.value ? $0.value < $1.value
                    : $0.label.unicodeScalars.lexicographicallyPrecedes($1.label.unicodeScalars)
            }
            let name = XMLText.escaped(group.name)
            svg.line("<g>")
            svg.line(##"<text x="\##(n(left - 10))" y="\##(n(mid - 2))" text-anchor="end" font-weight="bold"><title>\##(name)</title>\##(XMLText.escaped(names[i]))</text>"##)
            svg.line(##"<text x="\##(n(left - 10))" y="\##(n(mid + 13))" text-anchor="end" font-size="11" fill="#616161">n = \##(values.count)</text>"##)
            if !values.isEmpty {
                let sorted = values.map(\.value)
                let (q1, median, q3) = (quantile7(sorted, 0.25), quantile7(sorted, 0.5), quantile7(sorted, 0.75))
                let summary = "\(name): Q1 \(formatFixed(q1, decimals)), median \(formatFixed(median, decimals)), Q3 \(formatFixed(q3, decimals)) \(XMLText.escaped(unit))"
                svg.line(##"<rect class="iqr" x="\##(n(scale(q1)))" y="\##(n(mid - 16))" width="\##(n(scale(q3) - scale(q1)))" height="32" fill="#dbe4f0" stroke="#8da0b8"><title>\##(summary)</title></rect>"##)
                svg.line(##"<line class="median" x1="\##(n(scale(median)))" y1="\##(n(mid - 16))" x2="\##(n(scale(median)))" y2="\##(n(mid + 16))" stroke="#44546a" stroke-width="2"><title>\##(summary)</title></line>"##)
            }
            let spread: [Double] = [0, -8, 8, -4, 4, -12, 12]
            for (j, point) in values.enumerated() {
                let tip = "\(XMLText.escaped(point.label)): \(formatFixed(point.value, decimals)) \(XMLText.escaped(unit))"
                svg.line(##"<circle class="dot" cx="\##(n(scale(point.value)))" cy="\##(n(mid + spread[j % spread.count]))" r="4" fill="#1f4e79" fill-opacity="0.75" stroke="white" stroke-width="0.5"><title>\##(tip)</title></circle>"##)
            }
            svg.line("</g>")
        }
        for threshold in finiteThresholds {
            let x = scale(threshold.value)
            let tip = XMLText.escaped("\(threshold.label): \(formatFixed(threshold.value, decimals)) \(unit)")
            svg.line(##"<line class="threshold" x1="\##(n(x))" y1="\##(n(top - 6))" x2="\##(n(x))" y2="\##(n(top + plotHeight))" stroke="\##(colour(threshold.colour))" stroke-width="2" stroke-dasharray="6 4"><title>\##(tip)</title></line>"##)
        }
        return svg.finished()
    }

    // MARK: Helpers

    /// A coordinate rounded to 0.1 and printed without a locale or a trailing ".0".
    static func n(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let tenths = Int((x * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let whole = abs(tenths) / 10
        let fraction = abs(tenths) % 10
        return fraction == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }

    /// The estimated width of `characters` characters of 12 px sans-serif text.
    private static func textWidth(_ characters: Int) -> Double { Double(characters) * 6.6 }

    /// A label cut to 40 characters (the full text stays in the element's `<title>`).
    private static func shortened(_ text: String) -> String {
        text.count <= 40 ? text : String(text.prefix(39)) + "…"
    }

    private static func colour(_ name: String) -> String {
        switch name.lowercased() {
        case "green": return "#2ca02c"
        case "yellow": return "#e0a800"
        case "red": return "#d62728"
        default: return XMLText.escaped(name, attribute: true)
        }
    }

    /// Hyndman & Fan (1996) type 7 quantile of sorted values: linear interpolation between
    /// order statistics at h = (n − 1)p.
    static func quantile7(_ sorted: [Double], _ p: Double) -> Double {
        let h = Double(sorted.count - 1) * p
        let lo = Int(h.rounded(.down))
        let hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }

    /// A value axis with round tick steps (1, 2 or 5 × 10^k, about five ticks) that covers
    /// [lower, upper].
    struct Axis {
        var start: Double
        var step: Double
        var count: Int
        /// Decimals that print each tick exactly.
        var decimals: Int

        init(lower: Double, upper: Double) {
            let upper = upper > lower ? upper : lower + 1
            let raw = (upper - lower) / 5
            let exponent = Int(log10(raw).rounded(.down))
            let base = pow(10, Double(exponent))
            let m = raw / base
            let nice: Double = m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10
            step = nice * base
            start = (lower / step).rounded(.down) * step
            count = max(Int(((upper - start) / step - 1e-9).rounded(.up)), 1)
            decimals = max(0, -(nice == 10 ? exponent + 1 : exponent))
        }

        var end: Double { start + Double(count) * step }
        var ticks: [Double] { (0...count).map { start + Double($0) * step } }
        func fraction(_ v: Double) -> Double { (v - start) / (end - start) }
    }
}

/// An SVG document being written, one element per line.
private struct SVGText {
    private var text = ""

    init(width: Double, height: Double, title: String, description: String) {
        let w = SVGChart.n(width), h = SVGChart.n(height)
        text += ##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(w)" height="\##(h)" viewBox="0 0 \##(w) \##(h)" role="img" aria-label="\##(XMLText.escaped(title, attribute: true))" font-family="sans-serif" font-size="12" fill="#212121">"## + "\n"
        line("<title>\(XMLText.escaped(title))</title>")
        line("<desc>\(XMLText.escaped(description))</desc>")
        line(##"<rect width="100%" height="100%" fill="white"/>"##)
    }

    mutating func line(_ element: String) { text += element + "\n" }

    mutating func heading(_ title: String, width: Double) {
        line(##"<text x="\##(SVGChart.n(width / 2))" y="24" text-anchor="middle" font-size="15" font-weight="bold">\##(XMLText.escaped(title))</text>"##)
    }

    mutating func legendSwatch(x: Double, y: Double, colour: String, label: String) {
        line(##"<rect x="\##(SVGChart.n(x))" y="\##(SVGChart.n(y - 10))" width="12" height="12" fill="\##(colour)"/>"##)
        line(##"<text x="\##(SVGChart.n(x + 18))" y="\##(SVGChart.n(y))">\##(XMLText.escaped(label))</text>"##)
    }

    /// Vertical grid lines at the ticks, the axis line, tick labels and the axis label.
    mutating func grid(axis: SVGChart.Axis, scale: (Double) -> Double, top: Double, bottom: Double,
                       decimals: Int, label: String, labelX: Double) {
        line(##"<g stroke="#e0e0e0">"##)
        for tick in axis.ticks {
            let x = SVGChart.n(scale(tick))
            line(##"<line x1="\##(x)" y1="\##(SVGChart.n(top))" x2="\##(x)" y2="\##(SVGChart.n(bottom))"/>"##)
        }
        line("</g>")
        line(##"<line x1="\##(SVGChart.n(scale(axis.start)))" y1="\##(SVGChart.n(bottom))" x2="\##(SVGChart.n(scale(axis.end)))" y2="\##(SVGChart.n(bottom))" stroke="#616161"/>"##)
        for tick in axis.ticks {
            line(##"<text x="\##(SVGChart.n(scale(tick)))" y="\##(SVGChart.n(bottom + 16))" text-anchor="middle" font-size="11">\##(formatFixed(tick, decimals))</text>"##)
        }
        line(##"<text x="\##(SVGChart.n(labelX))" y="\##(SVGChart.n(bottom + 38))" text-anchor="middle">\##(XMLText.escaped(label))</text>"##)
    }

    func finished() -> String { text + "</svg>\n" }
}
