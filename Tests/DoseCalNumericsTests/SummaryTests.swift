import Testing
@testable import DoseCalNumerics

@Suite("Summary")
struct SummaryTests {
    struct Case: Decodable {
        let x: [Double]
        let mean: Double
        let sd: Double?
        let q1, median, q3: Double
        let geometric_mean: Double?
        let geometric_sd: Double?
    }

    struct File: Decodable { let cases: [Case] }

    @Test("mean, sd, quartiles, geometric mean and sd equal numpy/scipy")
    func matchesNumpy() throws {
        let file = try Fixture.load("summary.json", as: File.self)
        #expect(file.cases.count >= 40)
        for c in file.cases {
            let s = try Summary(c.x)
            let scale = c.x.map(abs).max()!
            #expect(s.n == c.x.count)
            #expect(isClose(s.mean, c.mean, relative: 1e-14, absolute: 1e-15 * scale), "mean of \(c.x.count) values")
            #expect(isClose(s.sd, c.sd, relative: 1e-12, absolute: 1e-15 * scale), "sd \(String(describing: s.sd)) vs \(String(describing: c.sd))")
            #expect(s.q1 == c.q1 && s.median == c.median && s.q3 == c.q3)
            #expect(s.iqr == s.q3 - s.q1)
            #expect(s.min == c.x.min()! && s.max == c.x.max()!)
            #expect(isClose(s.geometricMean, c.geometric_mean, relative: 1e-13))
            #expect(isClose(s.geometricSD, c.geometric_sd, relative: 1e-12))
            #expect(s.method == .linear)
        }
    }

    @Test("hand-checked sample")
    func handChecked() throws {
        let s = try Summary([2, 4, 4, 4, 5, 5, 7, 9])
        #expect(s.mean == 5)
        #expect(isClose(s.sd, (32.0 / 7).squareRoot(), relative: 1e-15))
        #expect(s.median == 4.5)
        #expect(s.q1 == 4 && s.q3 == 5.5 && s.iqr == 1.5)
        let g = try Summary([1, 10, 100])
        #expect(isClose(g.geometricMean, 10, relative: 1e-15))
        // sd of (0, ln 10, 2 ln 10) = ln 10, so the geometric sd is 10.
        #expect(isClose(g.geometricSD, 10, relative: 1e-14))
    }

    @Test("the quantile method is used and named")
    func method() throws {
        let x: [Double] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
        let s = try Summary(x, method: .hyndmanFan(6))
        #expect(s.q3 == 8.25 && s.q1 == 2.75 && s.method.name == "type 6 (Weibull)")
    }

    @Test("edge cases: one value, zeros and negatives, bad input")
    func edges() throws {
        let one = try Summary([3])
        #expect(one.sd == nil && one.geometricSD == nil && one.iqr == 0)
        #expect(isClose(one.geometricMean, 3, relative: 1e-15))
        let withZero = try Summary([0, 1, 2])
        #expect(withZero.geometricMean == nil && withZero.geometricSD == nil)
        #expect(throws: NumericsError.emptySample) { try Summary([]) }
        #expect(throws: NumericsError.notFinite(index: 2, value: -.infinity)) { try Summary([1, 2, -.infinity]) }
    }

    @Test("the variance stays accurate when the spread is tiny compared with the values")
    func cancellation() throws {
        let s = try Summary([1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16])
        #expect(s.mean == 1e9 + 10)
        #expect(isClose(s.sd, 30.0.squareRoot(), relative: 1e-14))
    }
}
