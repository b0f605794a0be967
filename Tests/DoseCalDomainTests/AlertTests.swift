import Testing
@testable import DoseCalDomain

@Suite struct AlertTests {
    @Test(arguments: [
        (Indicator.microSvPerProcedure, 18.0, 25.0), (.microSvPerProcedure, 21.1, 25), (.microSvPerProcedure, 25, 25),
        (.microSvPerProcedure, 25.000000001, 25), (.microSvPerProcedure, 25.1, 50), (.microSvPerProcedure, 0, 25),
        (.pdeKap, 0.30, 0.5), (.pdeKap, 0.44, 0.5), (.pdeKap, 0.5, 0.5), (.pdeKap, 0.51, 1.0), (.pdeKap, 0, 0.5),
        (.pctReference, 14.4, 15), (.pctReference, 22.5, 25), (.pctReference, 30, 30), (.pctReference, 0.1, 5),
    ])
    func standardRounding(indicator: Indicator, q3: Double, expected: Double) {
        #expect(RoundingSteps.standard.firstNotification(q3: q3, indicator: indicator) == expected)
    }

    @Test func unroundedKeepsQ3() {
        #expect(RoundingSteps.none.firstNotification(q3: 0.4412, indicator: .pdeKap) == 0.4412)
    }

    @Test func colourBoundaries() {
        let n = NotificationValues(first: 0.5, second: 1.0)
        #expect(n.colour(of: 0.4999999) == .green)
        #expect(n.colour(of: 0.5) == .yellow)
        #expect(n.colour(of: 1.0) == .yellow)
        #expect(n.colour(of: 1.0000001) == .red)
        #expect(n.colour(of: nil) == nil)
        #expect(n.colour(of: .nan) == nil)
    }

    @Test func worstColour() {
        let a = OperatorAlerts(colours: [.cumulativeMilliSv: .green, .pdeKap: .yellow, .pctReference: nil])
        #expect(a.overall == .yellow)
        let b = OperatorAlerts(colours: [.cumulativeMilliSv: nil])
        #expect(b.overall == nil)
    }

    @Test func versionInForce() throws {
        let d = { (s: String) in CivilDate(iso: s)! }
        let acts = [
            ThresholdActivation(version: 1, effective: d("2024-01-01"), activatedAt: "t1", sequence: 1),
            ThresholdActivation(version: 2, effective: d("2025-01-01"), activatedAt: "t2", sequence: 2),
            ThresholdActivation(version: 3, effective: d("2025-01-01"), activatedAt: "t3", sequence: 3),
        ]
        #expect(ThresholdActivation.versionInForce(on: d("2023-12-31"), among: acts) == nil)
        #expect(ThresholdActivation.versionInForce(on: d("2024-06-30"), among: acts) == 1)
        #expect(ThresholdActivation.versionInForce(on: d("2024-12-31"), among: acts) == 1)
        #expect(ThresholdActivation.versionInForce(on: d("2025-01-01"), among: acts) == 3)
    }
}
