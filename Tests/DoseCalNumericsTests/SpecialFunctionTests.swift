import Foundation
import Testing
@testable import DoseCalNumerics

@Suite("Special functions and distributions")
struct SpecialFunctionTests {
    struct Beta: Decodable { let a, b, x, value, exact: Double }
    struct CDF: Decodable { let z, value: Double }
    struct PPF: Decodable { let p, value: Double }
    struct Binom: Decodable { let n: Int; let p: Double; let k: Int; let pmf, exact_pmf, cdf: Double }

    /// The relative accuracy a correctly implemented function can promise for a result r that
    /// comes from exp(−large): ε·|ln r| is the conditioning of xᵃ and friends.
    static func tailTolerance(_ base: Double, _ value: Double) -> Double {
        value > 0 ? base * (1 + abs(Foundation.log(value))) : base
    }
    struct File: Decodable {
        let betainc: [Beta]
        let ndtr: [CDF]
        let ndtri: [PPF]
        let binom: [Binom]
    }

    @Test("regularized incomplete beta equals the 50-digit value and scipy.special.betainc")
    func incompleteBeta() throws {
        let file = try Fixture.load("special.json", as: File.self)
        #expect(file.betainc.count > 500)
        for c in file.betainc {
            let got = betaIncomplete(c.a, c.b, c.x)
            #expect(isClose(got, c.exact, relative: Self.tailTolerance(4e-15, c.exact), absolute: 1e-300),
                    "I_\(c.x)(\(c.a), \(c.b)) = \(got), mpmath \(c.exact)")
            // scipy (Boost) is itself off by up to ~3e-14 in places.
            #expect(isClose(got, c.value, relative: Self.tailTolerance(1e-13, c.value), absolute: 1e-300),
                    "I_\(c.x)(\(c.a), \(c.b)) = \(got), scipy \(c.value)")
        }
    }

    @Test("incomplete beta: closed forms and domain")
    func incompleteBetaClosedForms() {
        // I_x(1, 1) = x; I_x(a, 1) = x^a; I_x(1, b) = 1 - (1 - x)^b.
        for x in stride(from: 0.0, through: 1.0, by: 0.0625) {
            #expect(isClose(betaIncomplete(1, 1, x), x, relative: 1e-15, absolute: 1e-16))
            #expect(isClose(betaIncomplete(3, 1, x), x * x * x, relative: 1e-14, absolute: 1e-16))
            #expect(isClose(betaIncomplete(1, 2, x), 1 - (1 - x) * (1 - x), relative: 1e-14, absolute: 1e-16))
        }
        #expect(betaIncomplete(2, 3, 0) == 0)
        #expect(betaIncomplete(2, 3, 1) == 1)
        #expect(betaIncomplete(0, 3, 0.5).isNaN)
        #expect(betaIncomplete(2, 3, 1.5).isNaN)
        #expect(betaIncomplete(2, 3, .nan).isNaN)
    }

    @Test("normal cdf equals scipy.special.ndtr")
    func normalCDF() throws {
        let file = try Fixture.load("special.json", as: File.self)
        #expect(file.ndtr.count > 100)
        for c in file.ndtr {
            let got = NormalDistribution.cdf(c.z)
            #expect(isClose(got, c.value, relative: 2e-15 * max(1, abs(c.z)), absolute: 0x1p-1022),
                    "Φ(\(c.z)) = \(got), scipy \(c.value)")
        }
        #expect(NormalDistribution.cdf(0) == 0.5)
        #expect(NormalDistribution.cdf(-.infinity) == 0)
        #expect(NormalDistribution.cdf(.infinity) == 1)
        #expect(NormalDistribution.cdf(.nan).isNaN)
    }

    @Test("normal quantile equals scipy.special.ndtri")
    func normalQuantile() throws {
        let file = try Fixture.load("special.json", as: File.self)
        #expect(file.ndtri.count > 80)
        for c in file.ndtri {
            let got = NormalDistribution.quantile(c.p)
            #expect(isClose(got, c.value, relative: 1e-15, absolute: 1e-16), "Φ⁻¹(\(c.p)) = \(got), scipy \(c.value)")
        }
        #expect(NormalDistribution.quantile(0.5) == 0)
        #expect(NormalDistribution.quantile(0) == -.infinity)
        #expect(NormalDistribution.quantile(1) == .infinity)
        #expect(NormalDistribution.quantile(1.5).isNaN)
        #expect(NormalDistribution.quantile(.nan).isNaN)
        #expect(isClose(NormalDistribution.quantile(0.75), LogNormalDistribution.normalQuartile, relative: 1e-16))
    }

    @Test("quantile inverts cdf over many random probabilities")
    func roundTrip() {
        var random = TestRandom(seed: 3)
        for _ in 0..<2000 {
            let p = random.uniform()
            guard p > 0 else { continue }
            let z = NormalDistribution.quantile(p)
            #expect(isClose(NormalDistribution.cdf(z), p, relative: 1e-14 * max(1, abs(z))))
            #expect(NormalDistribution.quantile(1 - p) == -z || isClose(NormalDistribution.quantile(1 - p), -z, relative: 1e-12, absolute: 1e-15))
        }
    }

    @Test("binomial pmf equals the 50-digit value and scipy.stats.binom; cdf equals scipy")
    func binomial() throws {
        let file = try Fixture.load("special.json", as: File.self)
        #expect(file.binom.count > 200)
        for c in file.binom {
            let distribution = BinomialDistribution(trials: c.n, probability: c.p)
            #expect(isClose(distribution.pmf(c.k), c.exact_pmf, relative: Self.tailTolerance(4e-15, c.exact_pmf), absolute: 1e-300),
                    "pmf(\(c.k); \(c.n), \(c.p)) = \(distribution.pmf(c.k)), mpmath \(c.exact_pmf)")
            #expect(isClose(distribution.pmf(c.k), c.pmf, relative: Self.tailTolerance(1e-13, c.pmf), absolute: 1e-300),
                    "pmf(\(c.k); \(c.n), \(c.p)) = \(distribution.pmf(c.k)), scipy \(c.pmf)")
            #expect(isClose(distribution.cdf(c.k), c.cdf, relative: 1e-12, absolute: 1e-15),
                    "cdf(\(c.k); \(c.n), \(c.p)) = \(distribution.cdf(c.k)), scipy \(c.cdf)")
        }
    }

    @Test("binomial pmf sums to 1 and is exact for small n", arguments: [1, 2, 7, 40, 400])
    func binomialTotal(n: Int) {
        for p in [0.01, 0.3, 0.5, 0.75, 0.999] {
            let pmfs = BinomialDistribution(trials: n, probability: p).pmfs()
            #expect(isClose(pmfs.reduce(0, +), 1, relative: 1e-13))
        }
        // Bin(2, 0.5) = (1/4, 1/2, 1/4), Bin(3, 0.25) = (27, 27, 9, 1)/64.
        let half: [Double] = BinomialDistribution(trials: 2, probability: 0.5).pmfs()
        let quarter: [Double] = BinomialDistribution(trials: 3, probability: 0.25).pmfs()
        let halfExpected: [Double] = [0.25, 0.5, 0.25]
        let quarterExpected: [Double] = [27.0 / 64, 27.0 / 64, 9.0 / 64, 1.0 / 64]
        for (got, want) in zip(half + quarter, halfExpected + quarterExpected) {
            #expect(isClose(got, want, relative: 4e-16))
        }
    }
}
