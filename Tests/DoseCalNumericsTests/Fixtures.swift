import Foundation
import Testing
@testable import DoseCalNumerics

/// Reference values written by `Fixtures/make_fixtures.py` (numpy/scipy).
enum Fixture {
    static func load<T: Decodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let data = try Data(contentsOf: folder.appendingPathComponent(name))
        return try JSONDecoder().decode(T.self, from: data)
    }
}

/// |actual − expected| ≤ max(relative·|expected|, absolute).
func isClose(_ actual: Double, _ expected: Double, relative: Double, absolute: Double = 0) -> Bool {
    if actual == expected { return true }
    guard actual.isFinite, expected.isFinite else { return false }
    return abs(actual - expected) <= max(relative * abs(expected), absolute)
}

/// Optional version: both `nil`, or both present and close.
func isClose(_ actual: Double?, _ expected: Double?, relative: Double, absolute: Double = 0) -> Bool {
    switch (actual, expected) {
    case (nil, nil): return true
    case let (a?, e?): return isClose(a, e, relative: relative, absolute: absolute)
    default: return false
    }
}

/// A deterministic stream of test inputs (seeded, so failures reproduce).
struct TestRandom {
    var generator: Xoshiro256StarStar

    init(seed: UInt64) { generator = Xoshiro256StarStar(seed: seed) }

    mutating func uniform() -> Double {
        Double(generator.next() >> 11) * 0x1.0p-53
    }

    mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * uniform()
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &generator)
    }

    mutating func normal() -> Double {
        // Box–Muller; fine for generating test data.
        let u1 = max(uniform(), 1e-300), u2 = uniform()
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }

    /// A random sample: continuous or rounded (ties), sometimes constant.
    mutating func sample(size: ClosedRange<Int>) -> [Double] {
        let n = int(size)
        switch int(0...3) {
        case 0: return (0..<n).map { _ in normal() * 5 + 10 }
        case 1: return (0..<n).map { _ in (Foundation.exp(normal()) * 10).rounded() }
        case 2: return (0..<n).map { _ in (uniform(0...4) * 2).rounded() / 2 }
        default:
            let value = uniform(-3...3)
            return (0..<n).map { i in i % 5 == 0 ? value : value + uniform(0...1) }
        }
    }
}
