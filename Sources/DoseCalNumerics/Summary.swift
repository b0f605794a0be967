#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Descriptive statistics of one sample: size, mean and standard deviation, extremes,
/// quartiles and interquartile range under a named quantile definition, and the geometric mean
/// and geometric standard deviation when every value is positive.
///
/// Units are those of the sample (the geometric standard deviation is a dimensionless factor).
public struct Summary: Sendable, Equatable {
    /// The number of values.
    public let n: Int
    /// The arithmetic mean.
    public let mean: Double
    /// The sample standard deviation (divisor n − 1); `nil` when n < 2.
    public let sd: Double?
    /// The smallest value.
    public let min: Double
    /// The largest value.
    public let max: Double
    /// The 0.25-quantile under ``method``.
    public let q1: Double
    /// The 0.5-quantile under ``method``.
    public let median: Double
    /// The 0.75-quantile under ``method``.
    public let q3: Double
    /// ``q3`` − ``q1``.
    public let iqr: Double
    /// exp(mean of ln x); `nil` unless every value is > 0.
    public let geometricMean: Double?
    /// exp(standard deviation of ln x, divisor n − 1), a dimensionless factor ≥ 1; `nil` unless
    /// every value is > 0 and n ≥ 2.
    public let geometricSD: Double?
    /// The quantile definition used for the quartiles.
    public let method: QuantileMethod

    /// Summarises `sample`.
    ///
    /// The mean and variance use the corrected two-pass algorithm (Chan, Golub & LeVeque,
    /// "Algorithms for computing the sample variance", The American Statistician 37(3), 1983):
    /// the mean, then Σ(x − m)² − (Σ(x − m))²/n, which is accurate even when the spread is tiny
    /// compared with the values.
    ///
    /// - Parameters:
    ///   - sample: The values, any order, non-empty, finite.
    ///   - method: The quantile definition for the quartiles (default type 7).
    /// - Throws: ``NumericsError/emptySample``, ``NumericsError/notFinite(index:value:)``.
    /// - Complexity: O(n log n) (one sort).
    public init(_ sample: [Double], method: QuantileMethod = .linear) throws {
        try validateSample(sample)
        precondition(method.isValid, "invalid quantile method \(method)")
        let sorted = sample.sorted()
        n = sorted.count
        let (m, variance) = meanAndVariance(sorted)
        mean = m
        sd = variance.map { $0.squareRoot() }
        min = sorted[0]
        max = sorted[n - 1]
        q1 = quantile(sorted: sorted, p: 0.25, method: method)
        median = quantile(sorted: sorted, p: 0.5, method: method)
        q3 = quantile(sorted: sorted, p: 0.75, method: method)
        iqr = q3 - q1
        if sorted[0] > 0 {
            let (logMean, logVariance) = meanAndVariance(sorted.map { log($0) })
            geometricMean = exp(logMean)
            geometricSD = logVariance.map { exp($0.squareRoot()) }
        } else {
            geometricMean = nil
            geometricSD = nil
        }
        self.method = method
    }
}

/// The mean and the unbiased variance (divisor n − 1, `nil` when n < 2) by the corrected
/// two-pass algorithm.
func meanAndVariance(_ x: [Double]) -> (mean: Double, variance: Double?) {
    let n = Double(x.count)
    var sum = 0.0
    for value in x { sum += value }
    var mean = sum / n
    var deviationSum = 0.0
    var squareSum = 0.0
    for value in x {
        let d = value - mean
        deviationSum += d
        squareSum += d * d
    }
    mean += deviationSum / n
    guard x.count >= 2 else { return (mean, nil) }
    let variance = Swift.max(0, (squareSum - deviationSum * deviationSum / n) / (n - 1))
    return (mean, variance)
}
