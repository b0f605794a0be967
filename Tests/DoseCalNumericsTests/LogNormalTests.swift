import Testing
@testable import DoseCalNumerics

@Suite("Log-normal distribution")
struct LogNormalTests {
    struct Case: Decodable {
        let x: [Double]
        let mu, sigma_mle, sigma_unbiased, mean, sd: Double
        let p, quantiles, points, cdf, sf: [Double]
    }

    struct QuartileFit: Decodable {
        let q1, median, q3, mu, sigma, mean, sf_at_1, ppf_0_95: Double
    }

    struct File: Decodable {
        let cases: [Case]
        let quartile_fit: QuartileFit
    }

    @Test("fit, moments, quantiles, cdf and exceedance equal numpy and scipy.stats.lognorm")
    func matchesScipy() throws {
        let file = try Fixture.load("lognormal.json", as: File.self)
        #expect(file.cases.count == 4)
        for c in file.cases {
            let mle = try LogNormalDistribution.fit(c.x)
            #expect(isClose(mle.mu, c.mu, relative: 1e-13, absolute: 1e-15))
            #expect(isClose(mle.sigma, c.sigma_mle, relative: 1e-12))
            let unbiased = try LogNormalDistribution.fit(c.x, divisor: .nMinusOne)
            #expect(isClose(unbiased.sigma, c.sigma_unbiased, relative: 1e-12))
            #expect(isClose(mle.mean, c.mean, relative: 1e-12))
            #expect(isClose(mle.standardDeviation, c.sd, relative: 1e-12))
            for (p, want) in zip(c.p, c.quantiles) {
                #expect(isClose(mle.quantile(p), want, relative: 1e-12))
            }
            for (x, (cdf, sf)) in zip(c.points, zip(c.cdf, c.sf)) {
                #expect(isClose(mle.cdf(x), cdf, relative: 1e-12, absolute: 1e-300))
                #expect(isClose(mle.exceedanceProbability(x), sf, relative: 1e-11, absolute: 1e-300))
            }
        }
    }

    @Test("eye-lens ratio from its quartiles 0.5, 0.6, 0.9")
    func fromQuartiles() throws {
        let file = try Fixture.load("lognormal.json", as: File.self)
        let q = file.quartile_fit
        let fit = try LogNormalDistribution.fromQuartiles(q1: q.q1, median: q.median, q3: q.q3)
        #expect(isClose(fit.mu, q.mu, relative: 1e-15))
        #expect(isClose(fit.sigma, q.sigma, relative: 1e-14))
        #expect(isClose(fit.median, 0.6, relative: 1e-15))
        #expect(isClose(fit.mean, q.mean, relative: 1e-13))
        #expect(isClose(fit.exceedanceProbability(1), q.sf_at_1, relative: 1e-12))
        #expect(isClose(fit.quantile(0.95), q.ppf_0_95, relative: 1e-12))
        // σ = (ln 0.9 − ln 0.5) / (2 · 0.6744897501960817).
        #expect(isClose(fit.sigma, 0.5877866649021190 / (2 * 0.6744897501960817), relative: 1e-14))
    }

    @Test("cdf and quantile are inverse; exceedance is 1 − cdf")
    func inverse() {
        var random = TestRandom(seed: 61)
        for _ in 0..<300 {
            let d = LogNormalDistribution(mu: random.uniform(-3...3), sigma: random.uniform(0.05...2))
            let p = random.uniform(0.001...0.999)
            let x = d.quantile(p)
            #expect(isClose(d.cdf(x), p, relative: 1e-12))
            #expect(isClose(d.exceedanceProbability(x), 1 - p, relative: 1e-11))
        }
    }

    @Test("invalid input")
    func validation() throws {
        #expect(throws: NumericsError.notPositive(index: 1, value: 0)) { try LogNormalDistribution.fit([1, 0, 2]) }
        #expect(throws: NumericsError.tooFewValues(needed: 2, got: 1)) { try LogNormalDistribution.fit([1], divisor: .nMinusOne) }
        #expect(throws: NumericsError.emptySample) { try LogNormalDistribution.fit([]) }
        #expect(throws: (any Error).self) { try LogNormalDistribution.fromQuartiles(q1: 0.9, median: 0.6, q3: 0.5) }
        #expect(throws: (any Error).self) { try LogNormalDistribution.fromQuartiles(q1: 0, median: 0.6, q3: 0.9) }
        let d = LogNormalDistribution(mu: 0, sigma: 1)
        #expect(d.cdf(0) == 0 && d.exceedanceProbability(-1) == 1 && d.quantile(0) == 0)
        #expect(try LogNormalDistribution.fit([2]).sigma == 0)
    }
}

@Suite("Errors")
struct NumericsErrorTests {
    @Test("every error is one clear sentence", arguments: [
        NumericsError.emptySample,
        .tooFewValues(needed: 2, got: 1),
        .notFinite(index: 4, value: .nan),
        .notPositive(index: 0, value: -1),
        .probabilityOutOfRange(1.2),
        .invalidLevel(95),
        .invalidParameter(name: "number of resamples", value: 0, requirement: "at least 1"),
        .dimensionMismatch(what: "response", expected: 3, got: 2),
        .rankDeficient(rank: 2, columns: 3),
        .lapackFailure(routine: "dgelsd", info: 1),
        .lapackUnavailable,
    ])
    func sentences(error: NumericsError) {
        let text = error.description
        #expect(text.first!.isUppercase)
        #expect(text.hasSuffix("."))
        #expect(!text.dropLast().contains(". "), "\(text)")
        #expect(text.count < 140)
    }

    @Test("messages carry their payload")
    func payload() {
        #expect(NumericsError.notFinite(index: 4, value: .nan).description.contains("number 5"))
        #expect(NumericsError.rankDeficient(rank: 2, columns: 3).description.contains("rank 2 but 3 columns"))
        #expect(NumericsError.invalidLevel(95).description.contains("95"))
    }
}
