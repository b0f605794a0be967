import Testing
@testable import DoseCalDomain

@Suite struct TypeRatiosTests {
    typealias Row = (type: String, hp10MicroSv: Double, kapGyCm2: Double?, refMicroSv: Double?)

    static var rows: [Row] {
        var out: [Row] = []
        for i in 0..<40 {
            let ref: Double? = i % 9 == 0 ? nil : Double(i % 4) + 10
            out.append((type: "b", hp10MicroSv: Double(i % 7) + 1, kapGyCm2: Double(i % 5) + 2, refMicroSv: ref))
        }
        out.append((type: "a", hp10MicroSv: 30, kapGyCm2: 10, refMicroSv: 100))
        out.append((type: "a", hp10MicroSv: 20, kapGyCm2: 100, refMicroSv: 400))
        out.append((type: "a", hp10MicroSv: 10, kapGyCm2: nil, refMicroSv: 200))
        return out
    }

    @Test func ratioOfSumsWithIntervals() throws {
        let r = TypeRatios.compute(Self.rows, resamples: 500, seed: 1)
        #expect(r.map(\.procedureType) == ["a", "b"])
        let a = r[0]
        #expect(a.readings == 3)
        #expect(a.readingsWithKap == 2)
        #expect(a.pdeKap?.estimate == 50.0 / 110)
        #expect(a.pctReference?.estimate == 100 * 60.0 / 700)
        let b = try #require(r[1].pdeKap)
        let lo = try #require(b.interval.lower), hi = try #require(b.interval.upper)
        #expect(lo <= b.estimate && b.estimate <= hi)
        #expect(b.interval.method == "bootstrap percentile")
    }

    @Test func reproducibleWithASeed() {
        let x = TypeRatios.compute(Self.rows, resamples: 300, seed: 42)
        let y = TypeRatios.compute(Self.rows, resamples: 300, seed: 42)
        let z = TypeRatios.compute(Self.rows, resamples: 300, seed: 43)
        #expect(x[1].pdeKap?.interval.lower == y[1].pdeKap?.interval.lower)
        #expect(x[1].pdeKap?.interval.lower != z[1].pdeKap?.interval.lower)
    }
}
