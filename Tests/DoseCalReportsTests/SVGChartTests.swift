import Foundation
import Testing
@testable import DoseCalReports

@Suite struct SVGChartTests {
    static let categories: [(label: String, pctPDE: Double?, pctKAP: Double?)] = [
        ("spinal infiltration", 75, 10), ("biliary drainage", 17, 2.5), ("angio <PCI> & \"stent\" 'x'\u{1}", 8, 87.5),
        ("no KAP", 0, nil), ("no PDE", nil, 0),
    ]

    static let groups: [(name: String, values: [(label: String, value: Double)])] = [
        ("cardiology", [("C1", 12.1), ("C2", 15.3), ("C3", 18.0), ("C4", 14.9), ("C5", .nan)]),
        ("radiology <IR>", [("R1", 17.2), ("R2", 21.1), ("R3", 31.7), ("R4", 55.0)]),
        ("empty", []),
    ]

    static let thresholds: [(label: String, value: Double, colour: String)] = [
        ("first notification", 25, "yellow"), ("second notification", 50, "red"), ("custom", 40, "#123456"),
        ("ignored", .infinity, "red"),
    ]

    /// Every chart opens with its accessible name and uses sans-serif text.
    static func checkFrame(_ svg: ParsedXML, title: String) throws {
        let root = try #require(svg.root)
        #expect(root.name == "svg")
        #expect(root.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(root.attributes["role"] == "img")
        #expect(root.attributes["aria-label"] == title)
        #expect(root.attributes["font-family"] == "sans-serif")
        #expect(svg.elements[1].name == "title" && svg.elements[1].text == title)
        #expect(svg.elements[2].name == "desc" && !svg.elements[2].text.isEmpty)
        #expect(svg.all("text").contains { $0.text == title })
    }

    @Test func pairedShareBarsAreWellFormedWithOneBarPerShare() throws {
        let title = "Operator <R3> & co"
        let svg = try ParsedXML(SVGChart.pairedShareBars(title: title, categories: Self.categories))
        try Self.checkFrame(svg, title: title)
        let rects = svg.all("rect")
        let pde = rects.filter { $0.attributes["class"] == "bar-pde" }
        let kap = rects.filter { $0.attributes["class"] == "bar-kap" }
        #expect(pde.count == 4 && kap.count == 4)
        #expect(pde.allSatisfy { $0.attributes["fill"] == SVGChart.pdeColour })
        #expect(kap.allSatisfy { $0.attributes["fill"] == SVGChart.kapColour })
        // Bar lengths are proportional to the shares: 75 % vs 10 %.
        let w = { (e: ParsedXML.Element) in Double(e.attributes["width"] ?? "") ?? -1 }
        #expect(abs(w(pde[0]) / w(kap[0]) - 7.5) < 0.02)
        #expect(abs(w(kap[2]) / w(pde[0]) - 87.5 / 75) < 0.01)
        #expect(w(pde[3]) == 0)
        // Each PDE bar sits just above its KAP bar, at the same x.
        for (a, b) in zip(pde.prefix(3), kap.prefix(3)) {
            #expect(a.attributes["x"] == b.attributes["x"])
            #expect((Double(b.attributes["y"]!)! - Double(a.attributes["y"]!)!) == 16)
        }
        // Labels survive escaping; control characters are dropped.
        #expect(svg.all("title").contains { $0.text == "angio <PCI> & \"stent\" 'x': 8.0 % of PDE" })
        #expect(svg.all("text").filter { $0.text.hasPrefix("n/a") }.count == 2)
        #expect(svg.all("text").contains { $0.text == "Share of the total (%)" })
        #expect(svg.all("text").contains { $0.text == "share of PDE (operator dose)" })
    }

    @Test func distributionIsWellFormedWithThresholdsAndBoxes() throws {
        let svg = try ParsedXML(SVGChart.distributionWithThresholds(
            title: "PDE per procedure", unit: "µSv per procedure", groups: Self.groups, thresholds: Self.thresholds))
        try Self.checkFrame(svg, title: "PDE per procedure")
        let dots = svg.all("circle").filter { $0.attributes["class"] == "dot" }
        #expect(dots.count == 8, "NaN is left out")
        let lines = svg.all("line").filter { $0.attributes["class"] == "threshold" }
        #expect(lines.map { $0.attributes["stroke"] ?? "" } == ["#e0a800", "#d62728", "#123456"])
        #expect(lines.allSatisfy { $0.attributes["stroke-dasharray"] == "6 4" })
        // Two boxes and two medians: the empty group has none.
        #expect(svg.all("rect").filter { $0.attributes["class"] == "iqr" }.count == 2)
        #expect(svg.all("line").filter { $0.attributes["class"] == "median" }.count == 2)
        #expect(svg.all("text").contains { $0.text == "n = 0" })
        #expect(svg.all("text").contains { $0.text == "µSv per procedure" })
        #expect(svg.all("text").contains { $0.text == "first notification (25.0 µSv per procedure)" })
        #expect(svg.all("title").contains { $0.text == "radiology <IR>" })

        // The second threshold line is twice as far from the axis origin as the first.
        let x = { (e: ParsedXML.Element) in Double(e.attributes["x1"] ?? "") ?? -1 }
        let origin = try #require(svg.all("line").first { $0.attributes["stroke"] == "#616161" }.flatMap(x))
        #expect(abs((x(lines[1]) - origin) / (x(lines[0]) - origin) - 2) < 0.01)
        // The cardiology median (type 7 of 12.1, 14.9, 15.3, 18.0 = 15.1) lies between the thresholds' origin and 25.
        let median = svg.all("line").first { $0.attributes["class"] == "median" }!
        #expect(abs((x(median) - origin) / (x(lines[0]) - origin) - 15.1 / 25) < 0.01)
    }

    @Test func longThresholdLegendWrapsAndPushesThePlotDown() throws {
        let many = (1...6).map { (label: "notification value number \($0)", value: Double($0) * 10, colour: "red") }
        let svg = try ParsedXML(SVGChart.distributionWithThresholds(
            title: "t", unit: "µSv per procedure", groups: Self.groups, thresholds: many))
        let legendLines = svg.all("line").filter { $0.attributes["stroke-dasharray"] != nil && $0.attributes["class"] == nil }
        let rows = Set(legendLines.compactMap { $0.attributes["y1"] })
        #expect(legendLines.count == 6 && rows.count > 1)
        let lastRow = rows.compactMap(Double.init).max()!
        let thresholdTops = svg.all("line").filter { $0.attributes["class"] == "threshold" }.compactMap { Double($0.attributes["y1"] ?? "") }
        #expect(thresholdTops.count == 6 && thresholdTops.allSatisfy { $0 > lastRow + 10 })
        #expect(legendLines.allSatisfy { (Double($0.attributes["x2"] ?? "") ?? 999) < 760 })
    }

    @Test func emptyChartsStillRender() throws {
        let bars = try ParsedXML(SVGChart.pairedShareBars(title: "none", categories: []))
        #expect(bars.all("text").contains { $0.text == "No procedure types in this period" })
        let dist = try ParsedXML(SVGChart.distributionWithThresholds(title: "none", unit: "mSv", groups: [], thresholds: []))
        #expect(dist.all("circle").filter { $0.attributes["class"] == "dot" }.isEmpty)
    }

    @Test func outputIsDeterministic() {
        let a = SVGChart.distributionWithThresholds(title: "t", unit: "u", groups: Self.groups, thresholds: Self.thresholds)
        let b = SVGChart.distributionWithThresholds(title: "t", unit: "u", groups: Self.groups, thresholds: Self.thresholds)
        #expect(a == b)
        #expect(SVGChart.pairedShareBars(title: "t", categories: Self.categories) == SVGChart.pairedShareBars(title: "t", categories: Self.categories))
    }

    // Reference values: numpy.percentile(x, q) with the default (linear, type 7) method.
    @Test(arguments: [
        ([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.25, 3.25),
        ([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.75, 7.75),
        ([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5, 5.5),
        ([12.1, 14.9, 15.3, 18.0], 0.75, 15.975),
        ([7.0], 0.25, 7.0),
    ])
    func typeSevenQuantiles(sorted: [Double], p: Double, expected: Double) {
        #expect(abs(SVGChart.quantile7(sorted, p) - expected) < 1e-12)
    }

    @Test func axisTicksAreRound() {
        let percent = SVGChart.Axis(lower: 0, upper: 75)
        #expect(percent.ticks == [0, 20, 40, 60, 80] && percent.decimals == 0)
        let ratio = SVGChart.Axis(lower: 0, upper: 1.05)
        #expect(ratio.ticks.map { formatFixed($0, ratio.decimals) } == ["0.0", "0.5", "1.0", "1.5"])
        let exact = SVGChart.Axis(lower: 0, upper: 50)
        #expect(exact.end == 50)
        let negative = SVGChart.Axis(lower: -3, upper: 7)
        #expect(negative.start == -4 && negative.end == 8)
        let flat = SVGChart.Axis(lower: 0, upper: 0)
        #expect(flat.end > flat.start)
    }

    @Test(arguments: [(0.0, "0"), (12.34, "12.3"), (12.35, "12.4"), (-0.04, "0"), (-1.25, "-1.3"), (696.0, "696"), (Double.nan, "0")])
    func coordinatesPrintWithoutLocale(value: Double, text: String) {
        #expect(SVGChart.n(value) == text)
    }
}
