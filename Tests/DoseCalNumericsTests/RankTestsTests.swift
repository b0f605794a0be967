import Testing
@testable import DoseCalNumerics

@Suite("Mann-Whitney U test")
struct MannWhitneyTests {
    struct Case: Decodable {
        let a, b: [Double]
        let u, p: Double
    }

    struct File: Decodable {
        let exact: [Case]
        let asymptotic: [Case]
        let permutation_ties: [Case]
    }

    @Test("exact p-values equal scipy.stats.mannwhitneyu(method='exact')")
    func exact() throws {
        let file = try Fixture.load("mann_whitney.json", as: File.self)
        #expect(file.exact.count >= 30)
        for c in file.exact {
            let result = try mannWhitneyTest(c.a, c.b)
            #expect(result.method == .exact)
            #expect(result.u == c.u, "U for n = (\(c.a.count), \(c.b.count))")
            #expect(isClose(result.pValue, c.p, relative: 1e-12, absolute: 1e-300),
                    "n = (\(c.a.count), \(c.b.count)): p = \(result.pValue), scipy \(c.p)")
        }
    }

    @Test("normal approximation equals scipy.stats.mannwhitneyu(method='asymptotic') with ties")
    func asymptotic() throws {
        let file = try Fixture.load("mann_whitney.json", as: File.self)
        #expect(file.asymptotic.count >= 20)
        for c in file.asymptotic {
            let result = try mannWhitneyTest(c.a, c.b, method: .normalApproximation)
            #expect(result.method.name == "normal approximation, tie-corrected, continuity-corrected")
            #expect(result.u == c.u)
            #expect(isClose(result.pValue, c.p, relative: 1e-9, absolute: 1e-300),
                    "n = (\(c.a.count), \(c.b.count)): p = \(result.pValue), scipy \(c.p)")
        }
    }

    @Test("exact permutation p-values with ties equal full enumeration")
    func permutationTies() throws {
        let file = try Fixture.load("mann_whitney.json", as: File.self)
        #expect(file.permutation_ties.count >= 8)
        for c in file.permutation_ties {
            let result = try mannWhitneyTest(c.a, c.b)
            #expect(result.method == .exactPermutationTies && result.method.name == "exact permutation (ties)")
            #expect(result.u == c.u)
            #expect(isClose(result.pValue, c.p, relative: 1e-12), "a = \(c.a), b = \(c.b): \(result.pValue) vs \(c.p)")
        }
    }

    @Test("hand-checked: scipy's documentation example (males vs females)")
    func documentationExample() throws {
        let result = try mannWhitneyTest([19, 22, 16, 29, 24], [20, 11, 17, 12])
        #expect(result.u == 17 && result.uB == 3)
        #expect(isClose(result.pValue, 0.1111111111111111, relative: 1e-14))
        let normal = try mannWhitneyTest([19, 22, 16, 29, 24], [20, 11, 17, 12], method: .normalApproximation)
        #expect(isClose(normal.pValue, 0.11134688653314041, relative: 1e-12))
    }

    @Test("method choice: exact up to 50 per group, normal approximation beyond")
    func methodChoice() throws {
        let a = (0..<51).map { Double($0) * 1.01 }
        let b = (0..<40).map { Double($0) * 0.97 + 0.5 }
        #expect(try mannWhitneyTest(a, b).method == .normalApproximation)
        #expect(try mannWhitneyTest(Array(a.prefix(50)), b).method == .exact)
        #expect(try mannWhitneyTest([1, 2, 2], [2, 3]).method == .exactPermutationTies)
        #expect(try mannWhitneyTest([1, 2, 2], [2, 3], method: .exact).method == .exactPermutationTies)
        #expect(throws: NumericsError.self) { try mannWhitneyTest(a, b, method: .exact) }
    }

    @Test("U_A + U_B = n_a n_b, U counts pairs, and p is symmetric under swapping")
    func properties() throws {
        var random = TestRandom(seed: 31)
        for _ in 0..<150 {
            let a = random.sample(size: 1...15)
            let b = random.sample(size: 1...15)
            let ab = try mannWhitneyTest(a, b)
            let ba = try mannWhitneyTest(b, a)
            #expect(ab.u + ba.u == Double(a.count * b.count))
            #expect(ab.uB == ba.u)
            var pairs = 0.0
            for x in a { for y in b { pairs += x > y ? 1 : (x == y ? 0.5 : 0) } }
            #expect(ab.u == pairs)
            #expect(isClose(ab.pValue, ba.pValue, relative: 1e-12), "\(ab.method): \(ab.pValue) vs \(ba.pValue)")
            #expect(ab.pValue > 0 && ab.pValue <= 1)
            let normal = try mannWhitneyTest(a, b, method: .normalApproximation)
            let normalSwapped = try mannWhitneyTest(b, a, method: .normalApproximation)
            #expect(isClose(normal.pValue, normalSwapped.pValue, relative: 1e-12))
        }
    }

    @Test("the exact null distribution sums to one and is symmetric")
    func nullDistribution() {
        for (m, n) in [(1, 1), (3, 4), (7, 7), (12, 5)] {
            let counts = mannWhitneyNullCounts(upTo: m * n, m, n)
            var total = 1.0
            for i in 0..<min(m, n) { total = total * Double(m + n - i) / Double(i + 1) }
            #expect(counts.reduce(0, +) == total)
            #expect(counts == counts.reversed())
        }
        // m = 2, n = 2: U ∈ {0, 1, 2, 2, 3, 4} over the 6 arrangements.
        #expect(mannWhitneyNullCounts(upTo: 4, 2, 2) == [1, 1, 2, 1, 1])
    }

    @Test("bad input is rejected")
    func validation() {
        #expect(throws: NumericsError.emptySample) { try mannWhitneyTest([], [1]) }
        #expect(throws: NumericsError.emptySample) { try mannWhitneyTest([1], []) }
        #expect(throws: NumericsError.notFinite(index: 0, value: .infinity)) { try mannWhitneyTest([1], [.infinity]) }
    }
}

@Suite("Hodges-Lehmann shift")
struct HodgesLehmannTests {
    struct Case: Decodable {
        let a, b: [Double]
        let level, estimate: Double
        let method: String
        let rank: Int?
        let lower, upper, achieved: Double?
    }

    struct File: Decodable { let cases: [Case] }

    @Test("estimate and Moses interval equal the reference computation (scipy's exact U distribution)")
    func matchesReference() throws {
        let file = try Fixture.load("hodges_lehmann.json", as: File.self)
        #expect(file.cases.count == 10)
        for c in file.cases {
            let result = try hodgesLehmannShift(c.a, c.b, level: c.level)
            #expect(result.estimate == c.estimate)
            #expect(result.rank == c.rank, "n = (\(c.a.count), \(c.b.count)), level \(c.level)")
            #expect(result.lower == c.lower && result.upper == c.upper)
            #expect(isClose(result.achievedLevel, c.achieved, relative: 1e-12))
            #expect(result.method == (c.method == "exact" ? HodgesLehmannShift.exactMethod : HodgesLehmannShift.normalMethod))
            if c.rank == nil { #expect(result.note != nil) }
        }
    }

    @Test("hand-checked: B = A + 10 exactly")
    func pureShift() throws {
        let a: [Double] = [1, 4, 9, 16, 25, 36]
        let result = try hodgesLehmannShift(a, a.map { $0 + 10 })
        #expect(result.estimate == 10)
        #expect(result.lower! <= 10 && result.upper! >= 10)
        // n = 6, 6: P(U ≤ 5) = 0.0206 ≤ 0.025 < P(U ≤ 6) = 0.0325, so k = 6 and level 0.9589.
        #expect(result.rank == 6)
        #expect(isClose(result.achievedLevel, 1 - 2 * 19.0 / 924, relative: 1e-12))
    }

    @Test("the estimate lies in its interval; achieved level ≥ requested (exact)")
    func properties() throws {
        var random = TestRandom(seed: 41)
        for _ in 0..<200 {
            let a = random.sample(size: 1...20)
            let b = random.sample(size: 1...20)
            let level = [0.8, 0.9, 0.95, 0.99][random.int(0...3)]
            let result = try hodgesLehmannShift(a, b, level: level)
            guard let lower = result.lower, let upper = result.upper else {
                #expect(result.note != nil && result.achievedLevel == nil)
                continue
            }
            #expect(lower <= result.estimate && result.estimate <= upper)
            #expect(result.achievedLevel! >= level)
            // Swapping the samples negates everything.
            let swapped = try hodgesLehmannShift(b, a, level: level)
            #expect(swapped.estimate == -result.estimate)
            #expect(swapped.lower == -upper && swapped.upper == -lower)
        }
    }
}
