import Testing
@testable import DoseCalDomain

@Suite struct IndicatorTests {
    static func d(_ s: String) -> CivilDate { CivilDate(iso: s)! }

    static func procedure(_ uid: String, _ date: String, _ specialty: String, _ type: String, kap: Double?, ref: Double?) -> Procedure {
        Procedure(studyUID: uid, startedAt: date + "T10:00:00", date: d(date), room: "R1", specialty: specialty,
                  procedureType: type, kapGyCm2: kap, refDosimeterMicroSv: ref)
    }

    /// A hand-computed example: every number below is worked out on paper.
    @Test func handComputed() throws {
        let period = try Period(from: IndicatorTests.d("2024-01-01"), to: IndicatorTests.d("2024-01-31"))
        let procs = [
            IndicatorTests.procedure("1", "2024-01-02", "radiology", "biliary drainage", kap: 10, ref: 100),
            IndicatorTests.procedure("2", "2024-01-03", "radiology", "embolisation", kap: 100, ref: 400),
            IndicatorTests.procedure("3", "2024-01-31", "radiology", "embolisation", kap: nil, ref: 200),
            IndicatorTests.procedure("4", "2024-02-01", "radiology", "embolisation", kap: 50, ref: 50),  // outside
        ]
        let hp = [30.0, 20.0, 10.0, 99.0]
        var b = IndicatorBuilder(period: period)
        for (p, h) in zip(procs, hp) {
            b.countProcedure(p)
            b.add(Exposure(studyUID: p.studyUID, operatorID: "A", dosimeterID: "D", hp10MicroSv: h), of: p)
        }
        let op = try #require(b.indicators().first)
        #expect(op.procedures == 3)
        #expect(op.cumulativeMilliSv == 0.06)
        #expect(op.microSvPerProcedure == 20)
        #expect(op.pdeKap == 50.0 / 110.0)                  // (30+20)/(10+100)
        #expect(op.pdeKapMeanRatio == (3.0 + 0.2) / 2)       // mean(30/10, 20/100)
        #expect(op.pctReference! == 100 * 60.0 / 700.0)
        #expect(abs(op.pctReferenceMeanRatio! - 100 * (0.3 + 0.05 + 0.05) / 3) < 1e-12)
        #expect(op.totalKapGyCm2 == 110)
        #expect(op.sums.proceduresWithoutKap == 1)
        #expect(op.sums.proceduresWithoutRef == 0)
        #expect(b.specialtyProcedures == ["radiology": 3])

        let br = try #require(b.breakdown(of: "A"))
        // biliary: 50 % of PDE for 9.09 % of KAP → first; embolisation: 50 % PDE, 90.9 % KAP.
        #expect(br.types.map(\.procedureType) == ["biliary drainage", "embolisation"])
        #expect(br.types[0].pctPDE == 50)
        #expect(abs(br.types[0].pctKAP! - 100.0 / 11) < 1e-12)
        #expect(br.types[0].pdeKap == 3)
        #expect(br.types[1].procedures == 2)
        #expect(br.types[1].pdeKap == 0.2)
    }

    @Test func specialtyFromRosterElseMajorityWithCodePointTies() throws {
        let period = try Period(from: IndicatorTests.d("2024-01-01"), to: IndicatorTests.d("2024-12-31"))
        var b = IndicatorBuilder(period: period, roster: ["R": "radiology"])
        let specs = ["cardiology", "radiology", "cardiology", "Radiology"]
        for (i, s) in specs.enumerated() {
            let p = IndicatorTests.procedure("\(i)", "2024-05-0\(i + 1)", s, "x", kap: 1, ref: 1)
            b.add(Exposure(studyUID: p.studyUID, operatorID: "M", dosimeterID: "D", hp10MicroSv: 1), of: p)
            b.add(Exposure(studyUID: p.studyUID, operatorID: "R", dosimeterID: "D", hp10MicroSv: 1), of: p)
            if i % 2 == 1 { b.add(Exposure(studyUID: p.studyUID, operatorID: "T", dosimeterID: "D", hp10MicroSv: 1), of: p) }
        }
        #expect(b.specialty(of: "M") == "cardiology")
        #expect(b.specialty(of: "R") == "radiology")
        // T: one "radiology", one "Radiology": tie → first in code-point order ("R" < "r").
        #expect(b.specialty(of: "T") == "Radiology")
        #expect(b.indicators(specialty: "cardiology").map(\.operatorID) == ["M"])
        #expect(b.indicators(operators: ["R", "T"]).map(\.operatorID) == ["R", "T"])
    }

    /// Random readings: the accumulator against a naive, independent computation.
    @Test func matchesNaiveComputation() throws {
        var rng = SplitMix(seed: 42)
        for _ in 0..<200 {
            let n = Int(rng.next() % 60) + 1
            var acc = DoseAccumulator()
            var rows: [(Double, Double?, Double?)] = []
            for _ in 0..<n {
                let hp = Double(rng.next() % 100_000) / 100
                let kap: Double? = rng.next() % 10 == 0 ? nil : (rng.next() % 13 == 0 ? 0 : Double(rng.next() % 50_000) / 100)
                let ref: Double? = rng.next() % 7 == 0 ? nil : Double(rng.next() % 500_000) / 100
                rows.append((hp, kap, ref))
                acc.add(hp10MicroSv: hp, kapGyCm2: kap, refMicroSv: ref)
            }
            let withKap = rows.filter { $0.1 != nil }
            let withRef = rows.filter { $0.2 != nil }
            let positiveKap = rows.filter { ($0.1 ?? 0) > 0 }
            let positiveRef = rows.filter { ($0.2 ?? 0) > 0 }
            let sumHp = rows.map(\.0).reduce(0, +)
            func close(_ a: Double?, _ b: Double?) -> Bool {
                guard let a, let b else { return a == nil && b == nil }
                return abs(a - b) <= 1e-12 * max(1, abs(b))
            }
            #expect(acc.procedures == n)
            #expect(close(acc.cumulativeMilliSv, sumHp / 1000))
            #expect(close(acc.microSvPerProcedure, sumHp / Double(n)))
            let kapSum = withKap.map { $0.1! }.reduce(0, +), refSum = withRef.map { $0.2! }.reduce(0, +)
            #expect(close(acc.pdeKap, kapSum > 0 ? withKap.map(\.0).reduce(0, +) / kapSum : nil))
            #expect(close(acc.pdeKapMeanRatio, positiveKap.isEmpty ? nil : positiveKap.map { $0.0 / $0.1! }.reduce(0, +) / Double(positiveKap.count)))
            #expect(close(acc.pctReference, refSum > 0 ? 100 * withRef.map(\.0).reduce(0, +) / refSum : nil))
            #expect(close(acc.pctReferenceMeanRatio, positiveRef.isEmpty ? nil : 100 * positiveRef.map { $0.0 / $0.2! }.reduce(0, +) / Double(positiveRef.count)))
            #expect(acc.proceduresWithoutKap == n - withKap.count)
            #expect(acc.proceduresWithoutRef == n - withRef.count)
        }
    }

    /// Merging partial accumulators equals accumulating everything in one (order invariance).
    @Test func mergeIsOrderInvariant() {
        var rng = SplitMix(seed: 7)
        let rows = (0..<5000).map { _ in (Double(rng.next() % 1_000_000) / 997, Double(rng.next() % 1000) / 3, Double(rng.next() % 3000) / 7) }
        var whole = DoseAccumulator()
        rows.forEach { whole.add(hp10MicroSv: $0.0, kapGyCm2: $0.1, refMicroSv: $0.2) }
        var a = DoseAccumulator(), b = DoseAccumulator()
        for (i, r) in rows.reversed().enumerated() {
            if i % 3 == 0 { a.add(hp10MicroSv: r.0, kapGyCm2: r.1, refMicroSv: r.2) } else { b.add(hp10MicroSv: r.0, kapGyCm2: r.1, refMicroSv: r.2) }
        }
        b.merge(a)
        #expect(b.cumulativeMilliSv == whole.cumulativeMilliSv)
        #expect(b.pdeKap == whole.pdeKap)
        #expect(b.pctReference == whole.pctReference)
        #expect(b.procedures == whole.procedures)
    }
}

/// A tiny seeded generator for tests.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct MergeTotalTests {
    @Test func perOperatorTotalsGiveTheIndicatorsButNoBreakdown() throws {
        let period = try Period(from: CivilDate(year: 2024, month: 1, day: 1)!, to: CivilDate(year: 2024, month: 12, day: 31)!)
        var byReading = IndicatorBuilder(period: period), byTotal = IndicatorBuilder(period: period)
        var sums: [String: DoseAccumulator] = [:]
        for i in 0..<200 {
            let op = "op\(i % 7)", hp = Double(i % 13) * 1.7, kap: Double? = i % 5 == 0 ? nil : Double(i % 11) + 0.5
            byReading.add(operatorID: op, hp10MicroSv: hp, specialty: "cardiology", procedureType: "t\(i % 4)", kapGyCm2: kap, refMicroSv: 40)
            sums[op, default: DoseAccumulator()].add(hp10MicroSv: hp, kapGyCm2: kap, refMicroSv: 40)
        }
        for (op, s) in sums {
            byTotal.mergeTotal(operatorID: op, sums: s)
            byTotal.countReadings(operatorID: op, specialty: "cardiology", readings: s.procedures)
        }
        let a = byTotal.indicators(), b = byReading.indicators()
        #expect(a.map(\.operatorID) == b.map(\.operatorID) && a.map(\.procedures) == b.map(\.procedures))
        for (x, y) in zip(a, b) {
            #expect(abs(x.cumulativeMilliSv - y.cumulativeMilliSv) <= 1e-12 * y.cumulativeMilliSv)
            #expect(abs(x.pdeKap! - y.pdeKap!) <= 1e-12 * y.pdeKap! && abs(x.pctReference! - y.pctReference!) <= 1e-12 * y.pctReference!)
        }
        #expect(!byTotal.hasTypeBreakdown && byReading.hasTypeBreakdown)
        var merged = byReading
        merged.merge(byTotal)
        #expect(!merged.hasTypeBreakdown)
    }
}
