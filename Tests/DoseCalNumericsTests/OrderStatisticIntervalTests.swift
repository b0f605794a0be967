import Testing
@testable import DoseCalNumerics

@Suite("Order-statistic interval for a quantile")
struct OrderStatisticIntervalTests {
    struct Case: Decodable {
        let n: Int
        let p: Double
        let level: Double
        let widest_coverage: Double
        let lower: Int?
        let upper: Int?
        let coverage: Double?
    }

    struct File: Decodable { let cases: [Case] }

    @Test("n = 11, p = 0.75, 95 %: [x(5), x(11)], coverage 0.9502 (scipy.stats.binom)")
    func radiologists() throws {
        let ranks = try #require(OrderStatisticRanks.shortest(n: 11, p: 0.75, level: 0.95))
        #expect(ranks.lower == 5 && ranks.upper == 11)
        #expect(isClose(ranks.coverage, 0.9502036571502686, relative: 1e-13))
        let sample: [Double] = [30, 10, 20, 50, 40, 60, 70, 110, 80, 100, 90]
        let interval = try orderStatisticInterval(sample, p: 0.75, level: 0.95)
        #expect(interval.lower == 50 && interval.upper == 110)
        #expect(interval.lowerRank == 5 && interval.upperRank == 11)
        #expect(interval.method == "order statistics (binomial, distribution-free)")
        #expect(interval.note == nil && interval.exists)
    }

    @Test("n = 8, p = 0.75, 95 %: no interval, with the reason")
    func cardiologists() throws {
        #expect(OrderStatisticRanks.shortest(n: 8, p: 0.75, level: 0.95) == nil)
        let interval = try orderStatisticInterval([1, 2, 3, 4, 5, 6, 7, 8], p: 0.75, level: 0.95)
        #expect(interval.lower == nil && interval.upper == nil && interval.coverage == nil)
        #expect(interval.lowerRank == nil && !interval.exists)
        let note = try #require(interval.note)
        #expect(note.contains("n = 8") && note.contains("95 %") && note.contains("0.8999"))
        // 1 - 0.75^8 - 0.25^8 = 0.899871826171875 < 0.95
        #expect(note.contains("[x(1), x(8)]"))
    }

    @Test("ranks and coverage equal a brute-force search with scipy.stats.binom")
    func matchesBruteForce() throws {
        let file = try Fixture.load("order_statistics.json", as: File.self)
        #expect(file.cases.count > 300)
        var found = 0
        for c in file.cases {
            let ranks = OrderStatisticRanks.shortest(n: c.n, p: c.p, level: c.level)
            guard let lower = c.lower, let upper = c.upper, let coverage = c.coverage else {
                #expect(ranks == nil, "n = \(c.n), p = \(c.p), level = \(c.level): expected none")
                continue
            }
            found += 1
            let got = try #require(ranks, "n = \(c.n), p = \(c.p), level = \(c.level): expected (\(lower), \(upper))")
            #expect(got.upper - got.lower == upper - lower, "width for n = \(c.n), p = \(c.p), level = \(c.level)")
            #expect(isClose(got.coverage, coverage, relative: 1e-12))
            // Equal coverage (p = 0.5 mirror images) may legitimately pick the other pair.
            if abs(got.coverage - coverage) > 1e-13 {
                #expect(got.lower == lower && got.upper == upper)
            }
            #expect(got.coverage >= c.level)
        }
        #expect(found > 200)
    }

    @Test("coverage ≥ level whenever an interval exists, and the interval is the shortest")
    func properties() {
        var random = TestRandom(seed: 5)
        for _ in 0..<400 {
            let n = random.int(2...120)
            let p = random.uniform(0.01...0.99)
            let level = [0.5, 0.8, 0.9, 0.95, 0.99][random.int(0...4)]
            guard let ranks = OrderStatisticRanks.shortest(n: n, p: p, level: level) else {
                // Then not even the full range reaches the level.
                let b = BinomialDistribution(trials: n, probability: p)
                #expect(b.cdf(n - 1) - b.cdf(0) < level + 1e-12)
                continue
            }
            #expect(ranks.coverage >= level)
            #expect(1 <= ranks.lower && ranks.lower < ranks.upper && ranks.upper <= n)
            // Direct check of the coverage formula P(l <= B < u).
            let b = BinomialDistribution(trials: n, probability: p)
            let direct = b.cdf(ranks.upper - 1) - b.cdf(ranks.lower - 1)
            #expect(isClose(ranks.coverage, direct, relative: 1e-12))
            // No narrower pair reaches the level.
            let width = ranks.upper - ranks.lower
            if width > 1 {
                for l in 1...(n - width + 1) {
                    let u = l + width - 1
                    #expect(b.cdf(u - 1) - b.cdf(l - 1) < level + 1e-12)
                }
            }
        }
    }

    @Test("too few values, bad level and p")
    func edges() throws {
        let one = try orderStatisticInterval([5], p: 0.5, level: 0.9)
        #expect(!one.exists && one.note != nil)
        #expect(throws: NumericsError.invalidLevel(1)) { try orderStatisticInterval([1, 2, 3], p: 0.5, level: 1) }
        #expect(throws: NumericsError.invalidLevel(0)) { try orderStatisticInterval([1, 2, 3], p: 0.5, level: 0) }
        #expect(throws: NumericsError.probabilityOutOfRange(2)) { try orderStatisticInterval([1, 2, 3], p: 2, level: 0.9) }
        #expect(throws: NumericsError.emptySample) { try orderStatisticInterval([], p: 0.5, level: 0.9) }
        // p = 0 or 1: no pair of order statistics can bracket the extreme quantile.
        #expect(OrderStatisticRanks.shortest(n: 50, p: 0, level: 0.5) == nil)
        #expect(OrderStatisticRanks.shortest(n: 50, p: 1, level: 0.5) == nil)
    }
}
