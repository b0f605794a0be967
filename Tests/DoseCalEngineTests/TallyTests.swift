import DoseCalDomain
import Testing
@testable import DoseCalEngine

@Suite("Tally: flat and per-pair sums")
struct TallyTests {
    static let period = try! Period(from: CivilDate(year: 2024, month: 1, day: 1)!, to: CivilDate(year: 2024, month: 12, day: 31)!)

    /// Random readings: (operator, type, specialty, Hp(10), KAP or NaN, reference or NaN);
    /// operators and types drawn so that some pairs repeat and most never occur.
    static func readings(seed: UInt64, count: Int, operators: Int, types: Int) -> [(Int, Int, Int, Double, Double, Double)] {
        var rng = TestRNG(state: seed)
        return (0..<count).map { _ in
            let op = Int.random(in: 0..<operators, using: &rng)
            let type = (op * 7 + Int.random(in: 0..<5, using: &rng) * 13) % types
            let kap = Int.random(in: 0..<10, using: &rng) == 0 ? Double.nan : Double.random(in: 0...150, using: &rng)
            let ref = Int.random(in: 0..<8, using: &rng) == 0 ? Double.nan : Double.random(in: 0...400, using: &rng)
            return (op, type, op % 3, Double.random(in: 0...90, using: &rng), kap, ref)
        }
    }

    static func builder(_ readings: [(Int, Int, Int, Double, Double, Double)], operators: Int, types: Int,
                        typeBreakdown: Bool, denseLimit: Int) -> IndicatorBuilder {
        var tally = Tally(typeCount: types, specialtyCount: 3, feedsBuilder: true, typeBreakdown: typeBreakdown, denseLimit: denseLimit)
        for r in readings { tally.add(operator: r.0, type: r.1, specialty: r.2, hp10: r.3, kap: r.4, ref: r.5) }
        var b = IndicatorBuilder(period: period)
        tally.feed(&b, operators: (0..<operators).map { "op\($0)" }, types: (0..<types).map { "type \($0)" },
                   specialties: ["cardiology", "radiology", "vascular"])
        return b
    }

    @Test("sums kept per pair met equal the flat array's, bit for bit, wherever the switch happens",
          arguments: [0, 1, 64, 5000] as [Int])
    func perPairEqualsFlat(denseLimit: Int) {
        let (operators, types) = (300, 200)
        let readings = Self.readings(seed: UInt64(denseLimit) + 1, count: 20000, operators: operators, types: types)
        let flat = Self.builder(readings, operators: operators, types: types, typeBreakdown: true, denseLimit: .max)
        let paired = Self.builder(readings, operators: operators, types: types, typeBreakdown: true, denseLimit: denseLimit)
        #expect(paired.indicators() == flat.indicators())
        #expect(paired.hasTypeBreakdown && flat.hasTypeBreakdown)
        for op in flat.indicators() {
            #expect(paired.breakdown(of: op.operatorID) == flat.breakdown(of: op.operatorID))
        }
    }

    @Test("without a breakdown by type: each operator's sums are its readings' sums, and the builder says it has no types",
          arguments: [1 << 16, 10] as [Int])
    func perOperatorOnly(denseLimit: Int) {
        let (operators, types) = (300, 200)
        let readings = Self.readings(seed: 9, count: 20000, operators: operators, types: types)
        let totals = Self.builder(readings, operators: operators, types: types, typeBreakdown: false, denseLimit: denseLimit)
        var direct = IndicatorBuilder(period: Self.period)
        for r in readings {
            direct.add(operatorID: "op\(r.0)", hp10MicroSv: r.3, specialty: ["cardiology", "radiology", "vascular"][r.2],
                       procedureType: "type \(r.1)", kapGyCm2: r.4.isNaN ? nil : r.4, refMicroSv: r.5.isNaN ? nil : r.5)
        }
        #expect(!totals.hasTypeBreakdown && direct.hasTypeBreakdown)
        // The same counts; the same sums to 1e-12 (merged into the builder's total, a sum's
        // compensation is added separately, so the last bits may differ).
        let a = totals.indicators(), b = direct.indicators()
        #expect(a.count == Set(readings.map(\.0)).count && a.map(\.operatorID) == b.map(\.operatorID))
        for (x, y) in zip(a, b) {
            #expect(x.specialty == y.specialty && x.procedures == y.procedures)
            #expect(x.sums.proceduresWithKap == y.sums.proceduresWithKap && x.sums.proceduresWithPositiveRef == y.sums.proceduresWithPositiveRef)
            for (u, v) in [(x.cumulativeMilliSv, y.cumulativeMilliSv), (x.pdeKap, y.pdeKap), (x.pdeKapMeanRatio, y.pdeKapMeanRatio),
                           (x.pctReference, y.pctReference), (x.pctReferenceMeanRatio, y.pctReferenceMeanRatio),
                           (x.totalKapGyCm2, y.totalKapGyCm2)] as [(Double?, Double?)] {
                #expect(close(u, v), "\(x.operatorID)")
            }
        }
    }
}
