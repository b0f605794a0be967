import PropertyBased
import Testing
@testable import DoseCalNumerics

/// Invariants checked on random inputs with swift-property-based (a failure prints the seed
/// that reproduces it and a shrunk input). The seeded loops in the other suites check the same
/// kind of invariants deterministically.
@Suite("Properties")
struct PropertyTests {
    static let continuous = Gen.double(in: -1000...1000).array(of: 1...40)
    /// Small integers: many ties.
    static let tied = Gen.int(in: 0...6).map { Double($0) }.array(of: 1...25)

    @Test("quantiles are monotone in p and lie within [min, max]")
    func quantileBounds() async {
        await propertyCheck(input: Self.continuous, Gen.int(in: 1...9), Gen.double(in: 0...1), Gen.double(in: 0...1)) { x, type, p1, p2 in
            let sorted = x.sorted()
            let method = QuantileMethod.hyndmanFan(type)
            let low = quantile(sorted: sorted, p: min(p1, p2), method: method)
            let high = quantile(sorted: sorted, p: max(p1, p2), method: method)
            #expect(low <= high)
            #expect(sorted.first! <= low && high <= sorted.last!)
        }
    }

    @Test("Mann-Whitney: U_A + U_B = n_a n_b and the p-value does not depend on the order")
    func mannWhitneySymmetry() async throws {
        await propertyCheck(count: 60, input: Self.tied, Self.tied) { a, b in
            let ab = try mannWhitneyTest(a, b)
            let ba = try mannWhitneyTest(b, a)
            #expect(ab.u + ba.u == Double(a.count * b.count))
            #expect(isClose(ab.pValue, ba.pValue, relative: 1e-12))
            #expect(ab.pValue > 0 && ab.pValue <= 1)
        }
    }

    @Test("Hodges-Lehmann: the estimate lies inside its interval")
    func hodgesLehmannInside() async {
        await propertyCheck(count: 60, input: Self.continuous, Self.continuous) { a, b in
            let shift = try hodgesLehmannShift(a, b, level: 0.9)
            if let lower = shift.lower, let upper = shift.upper {
                #expect(lower <= shift.estimate && shift.estimate <= upper)
                #expect(shift.achievedLevel! >= 0.9)
            } else {
                #expect(shift.note != nil)
            }
        }
    }

    @Test("order-statistic intervals reach their level whenever they exist")
    func orderStatisticCoverage() async {
        let levels = Gen.element(of: [0.5, 0.8, 0.9, 0.95, 0.99]).map { $0! }
        await propertyCheck(input: Gen.int(in: 2...150), Gen.double(in: 0.01...0.99), levels) { n, p, level in
            if let ranks = OrderStatisticRanks.shortest(n: n, p: p, level: level) {
                #expect(ranks.coverage >= level)
                #expect(1 <= ranks.lower && ranks.lower < ranks.upper && ranks.upper <= n)
            } else {
                let b = BinomialDistribution(trials: n, probability: p)
                #expect(b.cdf(n - 1) - b.cdf(0) < level + 1e-12)
            }
        }
    }
}
