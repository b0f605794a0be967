import Testing
@testable import DoseCalNumerics

@Suite("Random numbers and bootstrap")
struct BootstrapTests {
    struct Stream: Decodable { let seed: String; let outputs: [String] }
    struct RandomFile: Decodable {
        let xoshiro256starstar: [Stream]
        let splitmix64: Stream
    }

    @Test("xoshiro256** and SplitMix64 reproduce the reference streams")
    func referenceStreams() throws {
        let file = try Fixture.load("random.json", as: RandomFile.self)
        #expect(file.xoshiro256starstar.count == 4)
        for stream in file.xoshiro256starstar {
            var rng = Xoshiro256StarStar(seed: try #require(UInt64(stream.seed)))
            let outputs = stream.outputs.map { UInt64($0)! }
            #expect(outputs.map { _ in rng.next() } == outputs, "seed \(stream.seed)")
        }
        var splitmix = SplitMix64(seed: 1_234_567)
        // 6457827717110365317 is the published first output for seed 1234567.
        #expect(splitmix.next() == 6_457_827_717_110_365_317)
        let rest = file.splitmix64.outputs.dropFirst().map { UInt64($0)! }
        #expect(rest.map { _ in splitmix.next() } == Array(rest))
    }

    @Test("uniform indexes are unbiased and in range")
    func uniformIndexes() {
        var rng = Xoshiro256StarStar(seed: 9)
        var counts = [Int](repeating: 0, count: 7)
        let draws = 70_000
        for _ in 0..<draws { counts[uniformIndex(below: 7, using: &rng)] += 1 }
        for count in counts {
            // 10 000 expected, sd ≈ 93: a 6-sd band.
            #expect(abs(count - 10_000) < 560, "counts \(counts)")
        }
        #expect(uniformIndex(below: 1, using: &rng) == 0)
    }

    struct BCaCase: Decodable {
        let statistic: String
        let groups: [[Double]]
        let level: Double
        let replicates: [Double]
        let acceleration, alpha1, alpha2: Double
        let bca: [Double]
        let percentile: [Double]
    }

    struct BCaFile: Decodable { let cases: [BCaCase] }

    static func statistic(named name: String) -> ([[Double]]) -> Double {
        switch name {
        case "mean": return { $0[0].reduce(0, +) / Double($0[0].count) }
        case "q3": return { quantile(sorted: $0[0].sorted(), p: 0.75) }
        default: return { quantile(sorted: $0[1].sorted(), p: 0.75) - quantile(sorted: $0[0].sorted(), p: 0.75) }
        }
    }

    @Test("percentile and BCa intervals equal scipy.stats.bootstrap's arithmetic on the same replicates")
    func matchesScipy() throws {
        let file = try Fixture.load("bootstrap_bca.json", as: BCaFile.self)
        #expect(file.cases.count == 6)
        for c in file.cases {
            let distribution = BootstrapDistribution(
                groups: c.groups, replicates: c.replicates, statistic: Self.statistic(named: c.statistic))
            let adjusted = try #require(distribution.bcaProbabilities(level: c.level))
            #expect(isClose(adjusted.acceleration, c.acceleration, relative: 1e-10, absolute: 1e-15), "\(c.statistic)")
            #expect(isClose(adjusted.lower, c.alpha1, relative: 1e-12), "\(c.statistic) α₁")
            #expect(isClose(adjusted.upper, c.alpha2, relative: 1e-12), "\(c.statistic) α₂")
            let bca = try distribution.bcaInterval(level: c.level)
            let scale = c.replicates.map(abs).max()!
            #expect(isClose(bca.lower, c.bca[0], relative: 1e-12, absolute: 1e-12 * scale), "\(c.statistic) BCa lower")
            #expect(isClose(bca.upper, c.bca[1], relative: 1e-12, absolute: 1e-12 * scale), "\(c.statistic) BCa upper")
            #expect(bca.method == "bootstrap BCa" && bca.resamples == c.replicates.count)
            let percentile = try distribution.percentileInterval(level: c.level)
            #expect(isClose(percentile.lower, c.percentile[0], relative: 1e-12, absolute: 1e-12 * scale))
            #expect(isClose(percentile.upper, c.percentile[1], relative: 1e-12, absolute: 1e-12 * scale))
            #expect(percentile.method == "bootstrap percentile")
        }
    }

    @Test("the same seed gives the same intervals; another seed does not")
    func reproducible() throws {
        let sample: [Double] = [12.1, 15.3, 9.8, 22.4, 18.0, 16.2, 14.9, 30.5, 11.7, 19.9, 17.3]
        var first = Xoshiro256StarStar(seed: 20_240_930)
        var second = Xoshiro256StarStar(seed: 20_240_930)
        var other = Xoshiro256StarStar(seed: 7)
        let a = try bootstrapQuantileIntervals(sample, p: 0.75, level: 0.95, resamples: 500, using: &first)
        let b = try bootstrapQuantileIntervals(sample, p: 0.75, level: 0.95, resamples: 500, using: &second)
        let c = try bootstrapQuantileIntervals(sample, p: 0.75, level: 0.95, resamples: 500, using: &other)
        #expect(a.percentile == b.percentile && a.bca == b.bca)
        #expect(a.percentile != c.percentile || a.bca != c.bca)
        #expect(a.percentile.resamples == 500)
        let d1 = try bootstrapQuantileDifferenceInterval([1, 2, 3, 4, 5], [3, 4, 5, 6, 7, 8], p: 0.75, level: 0.9, resamples: 300, using: &first)
        let d2 = try bootstrapQuantileDifferenceInterval([1, 2, 3, 4, 5], [3, 4, 5, 6, 7, 8], p: 0.75, level: 0.9, resamples: 300, using: &second)
        #expect(d1 == d2)
    }

    @Test("intervals bracket the estimate for a smooth statistic and widen with the level")
    func sanity() throws {
        var random = TestRandom(seed: 21)
        for _ in 0..<20 {
            let sample = (0..<30).map { _ in random.normal() * 3 + 10 }
            var rng = Xoshiro256StarStar(seed: UInt64(random.int(0...1_000_000)))
            let distribution = try BootstrapDistribution(sample: sample, resamples: 400, using: &rng) {
                $0.reduce(0, +) / Double($0.count)
            }
            let mean = sample.reduce(0, +) / 30
            #expect(distribution.estimate == mean)
            let narrow = try distribution.percentileInterval(level: 0.5)
            let wide = try distribution.percentileInterval(level: 0.99)
            let bca = try distribution.bcaInterval(level: 0.9)
            for interval in [narrow, wide, bca] {
                let lower = try #require(interval.lower), upper = try #require(interval.upper)
                #expect(lower <= mean && mean <= upper)
            }
            #expect(wide.lower! <= narrow.lower! && narrow.upper! <= wide.upper!)
            #expect(distribution.jackknife.count == 1 && distribution.jackknife[0].count == 30)
        }
    }

    @Test("the difference of Q3s is B minus A")
    func differenceDirection() throws {
        var rng = Xoshiro256StarStar(seed: 1)
        let a: [Double] = [1, 2, 3, 4, 5, 6, 7, 8]
        let b = a.map { $0 + 100 }
        let interval = try bootstrapQuantileDifferenceInterval(a, b, p: 0.75, level: 0.95, resamples: 200, using: &rng)
        // Every resampled Q3 of A is in [1, 8] and of B in [101, 108].
        #expect(interval.lower! >= 93 && interval.upper! <= 107)
    }

    @Test("degenerate and invalid cases give notes or errors")
    func degenerate() throws {
        var rng = Xoshiro256StarStar(seed: 2)
        let constant = try BootstrapDistribution(sample: [4, 4, 4, 4], resamples: 50, using: &rng) { $0.reduce(0, +) / Double($0.count) }
        let percentile = try constant.percentileInterval(level: 0.95)
        #expect(percentile.lower == 4 && percentile.upper == 4)
        // All replicates equal the estimate: z0 = Φ⁻¹(1/2) = 0 and every jackknife value is equal.
        let bca = try constant.bcaInterval(level: 0.95)
        #expect(bca.lower == 4 && bca.note?.contains("acceleration") == true)
        let single = try BootstrapDistribution(sample: [5], resamples: 10, using: &rng) { $0[0] }
        #expect(try single.bcaInterval(level: 0.9).note?.contains("at least 2") == true)
        let nanStatistic = try BootstrapDistribution(sample: [1, 2, 3], resamples: 20, using: &rng) { _ in .nan }
        #expect(nanStatistic.nonFiniteReplicates == 20)
        #expect(try !nanStatistic.percentileInterval(level: 0.9).exists)
        #expect(throws: NumericsError.invalidParameter(name: "number of resamples", value: 0, requirement: "at least 1")) {
            try BootstrapDistribution(sample: [1, 2], resamples: 0, using: &rng) { $0[0] }
        }
        #expect(throws: NumericsError.invalidLevel(1.5)) {
            try bootstrapQuantileIntervals([1, 2, 3], p: 0.5, level: 1.5, resamples: 10, using: &rng)
        }
        // Every replicate above the estimate: BCa undefined.
        let above = BootstrapDistribution(groups: [[1, 2, 3]], replicates: [5, 6, 7], statistic: { $0[0].min()! })
        let undefined = try above.bcaInterval(level: 0.9)
        #expect(!undefined.exists && undefined.note?.contains("same side") == true)
    }
}
