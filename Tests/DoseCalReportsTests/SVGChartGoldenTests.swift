import Foundation
import Testing
@testable import DoseCalReports

@Suite struct SVGChartGoldenTests {
    // MARK: Golden output

    /// Two procedure types, one with no KAP share. Coordinates checked by hand: the label column
    /// is 16 + 19 × 6.6 + 10 = 151.4 px, the axis 0–80 % spans 544.6 px, so 75 % → 510.6 px.
    @Test func pairedShareBarsGolden() {
        let svg = SVGChart.pairedShareBars(title: "Figure 2", categories: [
            (label: "spinal infiltration", pctPDE: 75, pctKAP: 10),
            (label: "biliary drainage", pctPDE: 17, pctKAP: nil),
        ])
        #expect(svg == Self.goldenBars)
    }

    /// Three values 10, 15, 20: type-7 quartiles 12.5, 15, 17.5; axis 0–30; threshold at 25.
    @Test func distributionGolden() {
        let svg = SVGChart.distributionWithThresholds(
            title: "µSv per procedure", unit: "µSv",
            groups: [(name: "cardiology", values: [(label: "A", value: 10), (label: "B", value: 20), (label: "C", value: 15)])],
            thresholds: [(label: "first", value: 25, colour: "yellow")])
        #expect(svg == Self.goldenDistribution)
    }

    static let goldenBars = """
        <svg xmlns="http://www.w3.org/2000/svg" width="760" height="216" viewBox="0 0 760 216" role="img" aria-label="Figure 2" font-family="sans-serif" font-size="12" fill="#212121">
        <title>Figure 2</title>
        <desc>Horizontal bars: for each procedure type, its share of the total personal dose equivalent (PDE, operator dose, blue) beside its share of the total kerma-area product (KAP, patient dose, grey), in %.</desc>
        <rect width="100%" height="100%" fill="white"/>
        <text x="380" y="24" text-anchor="middle" font-size="15" font-weight="bold">Figure 2</text>
        <rect x="151.4" y="42" width="12" height="12" fill="#1f77b4"/>
        <text x="169.4" y="52">share of PDE (operator dose)</text>
        <rect x="381.4" y="42" width="12" height="12" fill="#9e9e9e"/>
        <text x="399.4" y="52">share of KAP (patient dose)</text>
        <g stroke="#e0e0e0">
        <line x1="151.4" y1="84" x2="151.4" y2="164"/>
        <line x1="287.5" y1="84" x2="287.5" y2="164"/>
        <line x1="423.7" y1="84" x2="423.7" y2="164"/>
        <line x1="559.9" y1="84" x2="559.9" y2="164"/>
        <line x1="696" y1="84" x2="696" y2="164"/>
        </g>
        <line x1="151.4" y1="164" x2="696" y2="164" stroke="#616161"/>
        <text x="151.4" y="180" text-anchor="middle" font-size="11">0</text>
        <text x="287.5" y="180" text-anchor="middle" font-size="11">20</text>
        <text x="423.7" y="180" text-anchor="middle" font-size="11">40</text>
        <text x="559.9" y="180" text-anchor="middle" font-size="11">60</text>
        <text x="696" y="180" text-anchor="middle" font-size="11">80</text>
        <text x="423.7" y="202" text-anchor="middle">Share of the total (%)</text>
        <g>
        <text x="143.4" y="108" text-anchor="end"><title>spinal infiltration</title>spinal infiltration</text>
        <rect class="bar-pde" x="151.4" y="89" width="510.6" height="14" fill="#1f77b4"><title>spinal infiltration: 75.0 % of PDE</title></rect>
        <text x="666" y="100" font-size="11">75.0 %</text>
        <rect class="bar-kap" x="151.4" y="105" width="68.1" height="14" fill="#9e9e9e"><title>spinal infiltration: 10.0 % of KAP</title></rect>
        <text x="223.5" y="116" font-size="11">10.0 %</text>
        </g>
        <g>
        <text x="143.4" y="148" text-anchor="end"><title>biliary drainage</title>biliary drainage</text>
        <rect class="bar-pde" x="151.4" y="129" width="115.7" height="14" fill="#1f77b4"><title>biliary drainage: 17.0 % of PDE</title></rect>
        <text x="271.1" y="140" font-size="11">17.0 %</text>
        <text x="155.4" y="156" font-size="11" fill="#616161">n/a<title>biliary drainage: no KAP share</title></text>
        </g>
        </svg>

        """

    static let goldenDistribution = """
        <svg xmlns="http://www.w3.org/2000/svg" width="760" height="204" viewBox="0 0 760 204" role="img" aria-label="µSv per procedure" font-family="sans-serif" font-size="12" fill="#212121">
        <title>µSv per procedure</title>
        <desc>Strip plot per group: each dot is one value in µSv; the shaded box spans the first to the third quartile (Hyndman &amp; Fan type 7) with a dark line at the median; dashed vertical lines are the notification values.</desc>
        <rect width="100%" height="100%" fill="white"/>
        <text x="380" y="24" text-anchor="middle" font-size="15" font-weight="bold">µSv per procedure</text>
        <rect x="94" y="42" width="22" height="12" fill="#dbe4f0" stroke="#8da0b8"/>
        <text x="122" y="52">Q1–Q3 (type 7)</text>
        <line x1="244" y1="42" x2="244" y2="54" stroke="#44546a" stroke-width="2"/>
        <text x="252" y="52">median</text>
        <circle cx="322" cy="48" r="4" fill="#1f4e79" fill-opacity="0.75"/>
        <text x="332" y="52">one value</text>
        <line x1="94" y1="66" x2="116" y2="66" stroke="#e0a800" stroke-width="2" stroke-dasharray="6 4"/>
        <text x="122" y="70">first (25.0 µSv)</text>
        <g stroke="#e0e0e0">
        <line x1="94" y1="96" x2="94" y2="152"/>
        <line x1="308" y1="96" x2="308" y2="152"/>
        <line x1="522" y1="96" x2="522" y2="152"/>
        <line x1="736" y1="96" x2="736" y2="152"/>
        </g>
        <line x1="94" y1="152" x2="736" y2="152" stroke="#616161"/>
        <text x="94" y="168" text-anchor="middle" font-size="11">0</text>
        <text x="308" y="168" text-anchor="middle" font-size="11">10</text>
        <text x="522" y="168" text-anchor="middle" font-size="11">20</text>
        <text x="736" y="168" text-anchor="middle" font-size="11">30</text>
        <text x="415" y="190" text-anchor="middle">µSv</text>
        <g>
        <text x="84" y="122" text-anchor="end" font-weight="bold"><title>cardiology</title>cardiology</text>
        <text x="84" y="137" text-anchor="end" font-size="11" fill="#616161">n = 3</text>
        <rect class="iqr" x="361.5" y="108" width="107" height="32" fill="#dbe4f0" stroke="#8da0b8"><title>cardiology: Q1 12.5, median 15.0, Q3 17.5 µSv</title></rect>
        <line class="median" x1="415" y1="108" x2="415" y2="140" stroke="#44546a" stroke-width="2"><title>cardiology: Q1 12.5, median 15.0, Q3 17.5 µSv</title></line>
        <circle class="dot" cx="308" cy="124" r="4" fill="#1f4e79" fill-opacity="0.75" stroke="white" stroke-width="0.5"><title>A: 10.0 µSv</title></circle>
        <circle class="dot" cx="415" cy="116" r="4" fill="#1f4e79" fill-opacity="0.75" stroke="white" stroke-width="0.5"><title>C: 15.0 µSv</title></circle>
        <circle class="dot" cx="522" cy="132" r="4" fill="#1f4e79" fill-opacity="0.75" stroke="white" stroke-width="0.5"><title>B: 20.0 µSv</title></circle>
        </g>
        <line class="threshold" x1="629" y1="90" x2="629" y2="152" stroke="#e0a800" stroke-width="2" stroke-dasharray="6 4"><title>first: 25.0 µSv</title></line>
        </svg>

        """
}
