import Testing
@testable import DoseCalNumerics

@Suite("Quantiles")
struct QuantileTests {
    struct Case: Decodable {
        let x: [Double]
        let p: [Double]
        let type1, type2, type3, type4, type5, type6, type7, type8, type9: [Double]

        func expected(type: Int) -> [Double] {
            [type1, type2, type3, type4, type5, type6, type7, type8, type9][type - 1]
        }
    }

    struct File: Decodable { let cases: [Case] }

    struct HDCase: Decodable {
        let x: [Double]
        let p: [Double]
        let hd: [Double]
    }

    struct HDFile: Decodable { let cases: [HDCase] }

    @Test("types 1-9 equal numpy.quantile bit for bit", arguments: 1...9)
    func matchesNumpy(type: Int) throws {
        let file = try Fixture.load("quantiles.json", as: File.self)
        #expect(file.cases.count >= 40)
        var checked = 0
        for testCase in file.cases {
            let sorted = testCase.x.sorted()
            let expected = testCase.expected(type: type)
            for (p, want) in zip(testCase.p, expected) {
                let got = quantile(sorted: sorted, p: p, method: .hyndmanFan(type))
                // The implementation follows numpy's arithmetic, so demand identity; the brief's
                // 1e-12 tolerance would hide a differently associated formula.
                #expect(got == want, "type \(type), n = \(sorted.count), p = \(p): \(got) vs numpy \(want)")
                checked += 1
            }
        }
        #expect(checked > 1000)
    }

    @Test("Harrell-Davis equals scipy.stats.mstats.hdquantiles")
    func harrellDavis() throws {
        let file = try Fixture.load("harrell_davis.json", as: HDFile.self)
        #expect(file.cases.count >= 30)
        for testCase in file.cases {
            let sorted = testCase.x.sorted()
            let scale = max(abs(sorted.first!), abs(sorted.last!))
            for (p, want) in zip(testCase.p, testCase.hd) {
                let got = quantile(sorted: sorted, p: p, method: .harrellDavis)
                #expect(isClose(got, want, relative: 1e-10, absolute: 1e-10 * scale),
                        "n = \(sorted.count), p = \(p): \(got) vs scipy \(want)")
            }
        }
    }

    @Test("Harrell-Davis of one value is that value")
    func harrellDavisSingle() {
        #expect(quantile(sorted: [4.5], p: 0.3, method: .harrellDavis) == 4.5)
    }

    @Test("hand-checked values from the definitions of Hyndman & Fan (x = 1...10, p = 0.75)")
    func handChecked() {
        let x: [Double] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
        // np = 7.5. Type 3: j = floor(np - 1/2) = 7 is odd, so x(8). Type 4: np = 7.5 -> 7.5.
        // Type 6: (n + 1)p = 8.25. Type 7: 1 + (n - 1)p = 7.75. Type 8: (n + 1/3)p + 1/3 = 8 1/12.
        // Type 9: (n + 1/4)p + 3/8 = 8.0625.
        let expected: [Int: Double] = [1: 8, 2: 8, 3: 8, 4: 7.5, 5: 8, 6: 8.25, 7: 7.75, 8: 8 + 1.0 / 12, 9: 8.0625]
        for (type, want) in expected {
            #expect(isClose(quantile(sorted: x, p: 0.75, method: .hyndmanFan(type)), want, relative: 1e-15),
                    "type \(type)")
        }
    }

    @Test("method names and parsing")
    func names() {
        #expect(QuantileMethod.hyndmanFan(7).name == "type 7 (linear)")
        #expect(QuantileMethod.harrellDavis.name == "Harrell-Davis")
        #expect(QuantileMethod.hyndmanFan(8).numpyName == "median_unbiased")
        #expect(QuantileMethod.harrellDavis.numpyName == nil)
        for type in 1...9 {
            let method = QuantileMethod.hyndmanFan(type)
            #expect(QuantileMethod(argument: "\(type)") == method)
            #expect(QuantileMethod(argument: "type\(type)") == method)
            #expect(QuantileMethod(argument: method.numpyName!) == method)
        }
        #expect(QuantileMethod(argument: "hd") == .harrellDavis)
        #expect(QuantileMethod(argument: "HD") == .harrellDavis)
        #expect(QuantileMethod(argument: "0") == nil)
        #expect(QuantileMethod(argument: "10") == nil)
        #expect(QuantileMethod(argument: "median") == nil)
        #expect(QuantileMethod(argument: "") == nil)
        #expect(!QuantileMethod.hyndmanFan(0).isValid)
    }

    @Test("the throwing form rejects bad input")
    func validation() throws {
        #expect(throws: NumericsError.emptySample) { try quantile([], p: 0.5) }
        #expect(throws: NumericsError.probabilityOutOfRange(1.5)) { try quantile([1, 2], p: 1.5) }
        #expect(throws: NumericsError.probabilityOutOfRange(-0.1)) { try quantile([1, 2], p: -0.1) }
        #expect(throws: NumericsError.notFinite(index: 1, value: .infinity)) { try quantile([1, .infinity], p: 0.5) }
        do {
            _ = try quantile([1, .nan, 3], p: 0.5)
            Issue.record("NaN accepted")
        } catch let error as NumericsError {
            guard case .notFinite(index: 1, _) = error else {
                Issue.record("wrong error \(error)")
                return
            }
        }
        do {
            _ = try quantile([1, 2], p: .nan)
            Issue.record("NaN probability accepted")
        } catch let error as NumericsError {
            guard case .probabilityOutOfRange = error else {
                Issue.record("wrong error \(error)")
                return
            }
        }
        #expect(try quantile([3, 1, 2], p: 0.5) == 2)
        #expect(try quantiles([4, 1, 3, 2], ps: [0, 0.5, 1]) == [1, 2.5, 4])
    }

    static let allMethods: [QuantileMethod] = (1...9).map { QuantileMethod.hyndmanFan($0) } + [.harrellDavis]

    @Test("monotone in p and within [min, max]", arguments: allMethods)
    func monotoneAndBounded(method: QuantileMethod) {
        var random = TestRandom(seed: 11)
        // Harrell-Davis costs n incomplete-beta evaluations per p: fewer cases keep the suite fast.
        for _ in 0..<(method == .harrellDavis ? 40 : 150) {
            let sorted = random.sample(size: 1...60).sorted()
            var previous = -Double.infinity
            for step in 0...40 {
                let p = Double(step) / 40
                let q = quantile(sorted: sorted, p: p, method: method)
                let slack = method == .harrellDavis ? 1e-12 * max(1, abs(q)) : 0
                #expect(q >= previous - slack, "\(method) not monotone at p = \(p) for \(sorted)")
                #expect(q >= sorted.first! - slack && q <= sorted.last! + slack)
                previous = q
            }
        }
    }

    @Test("translation and scale equivariance q(a + b x) = a + b q(x)", arguments: allMethods)
    func equivariance(method: QuantileMethod) {
        var random = TestRandom(seed: 12)
        for _ in 0..<150 {
            let x = random.sample(size: 1...40)
            let a = random.uniform(-100...100)
            let b = random.uniform(0.01...50)
            let y = x.map { a + b * $0 }
            let p = random.uniform()
            let qx = quantile(sorted: x.sorted(), p: p, method: method)
            let qy = quantile(sorted: y.sorted(), p: p, method: method)
            let scale = abs(a) + b * (x.map(abs).max() ?? 0)
            #expect(isClose(qy, a + b * qx, relative: 0, absolute: 1e-12 * scale),
                    "\(method): q(a + b x) = \(qy), a + b q(x) = \(a + b * qx)")
        }
    }

    @Test("endpoints: p = 0 is the minimum, p = 1 the maximum, for the types that reach them")
    func endpoints() {
        let x: [Double] = [2, 3, 5, 7, 11, 13]
        for type in 1...9 {
            #expect(quantile(sorted: x, p: 1, method: .hyndmanFan(type)) == 13)
            #expect(quantile(sorted: x, p: 0, method: .hyndmanFan(type)) == 2)
        }
    }
}
