#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The log-normal distribution: X = exp(Y) with Y ~ N(μ, σ²).
///
/// Used for doses and dose ratios, which are positive and right-skewed: for example the
/// eye-lens/over-apron ratio with quartiles 0.5, 0.6, 0.9, and projected annual doses whose
/// chance of exceeding a limit is ``exceedanceProbability(_:)``. μ and σ are in log units
/// (ln of the data's unit); the median exp(μ) and every quantile are in the data's unit.
public struct LogNormalDistribution: Sendable, Equatable {
    /// The divisor of the variance of the logarithms in a maximum-likelihood style fit.
    public enum VarianceDivisor: Sendable, Hashable {
        /// Divide by n: the maximum-likelihood estimate of σ.
        case n
        /// Divide by n − 1: the usual sample standard deviation of ln x.
        case nMinusOne
    }

    /// The mean of ln X.
    public let mu: Double
    /// The standard deviation of ln X, ≥ 0.
    public let sigma: Double

    /// Creates the distribution of exp(N(`mu`, `sigma`²)).
    ///
    /// - Precondition: `mu` finite, `sigma` finite and ≥ 0.
    public init(mu: Double, sigma: Double) {
        precondition(mu.isFinite && sigma.isFinite && sigma >= 0, "invalid log-normal parameters")
        self.mu = mu
        self.sigma = sigma
    }

    /// Fits μ and σ to a sample: μ = mean of ln x, σ = standard deviation of ln x with divisor
    /// n (the maximum-likelihood estimate, default) or n − 1.
    ///
    /// - Parameters:
    ///   - sample: The values, all > 0 and finite.
    ///   - divisor: ``VarianceDivisor/n`` (MLE) or ``VarianceDivisor/nMinusOne``.
    /// - Returns: The fitted distribution.
    /// - Throws: ``NumericsError/emptySample``, ``NumericsError/notFinite(index:value:)``,
    ///   ``NumericsError/notPositive(index:value:)``, and
    ///   ``NumericsError/tooFewValues(needed:got:)`` for divisor n − 1 with one value.
    public static func fit(_ sample: [Double], divisor: VarianceDivisor = .n) throws -> LogNormalDistribution {
        try validateSample(sample)
        if let index = sample.firstIndex(where: { $0 <= 0 }) {
            throw NumericsError.notPositive(index: index, value: sample[index])
        }
        if divisor == .nMinusOne && sample.count < 2 {
            throw NumericsError.tooFewValues(needed: 2, got: sample.count)
        }
        let logs = sample.map { log($0) }
        let (mean, variance) = meanAndVariance(logs)
        let n = Double(logs.count)
        let unbiased = variance ?? 0
        let chosen = divisor == .n ? unbiased * (n - 1) / n : unbiased
        return LogNormalDistribution(mu: mean, sigma: chosen.squareRoot())
    }

    /// The standard normal 0.75-quantile, Φ⁻¹(0.75).
    public static let normalQuartile = 0.6744897501960817

    /// The distribution with the given median and quartiles: μ = ln median,
    /// σ = (ln q3 − ln q1) / (2 Φ⁻¹(0.75)).
    ///
    /// When the quartiles are not symmetric around the median on the log scale the fit matches
    /// the median exactly and the log-IQR exactly, not each quartile.
    ///
    /// - Parameters:
    ///   - q1: The first quartile, > 0.
    ///   - median: The median, > 0.
    ///   - q3: The third quartile, ≥ q1.
    /// - Throws: ``NumericsError/invalidParameter(name:value:requirement:)`` when a value is not
    ///   positive and finite or the quartiles are out of order.
    public static func fromQuartiles(q1: Double, median: Double, q3: Double) throws -> LogNormalDistribution {
        for (name, value) in [("first quartile", q1), ("median", median), ("third quartile", q3)] {
            guard value.isFinite, value > 0 else {
                throw NumericsError.invalidParameter(name: name, value: value, requirement: "a positive finite number")
            }
        }
        guard q1 <= median, median <= q3 else {
            throw NumericsError.invalidParameter(
                name: "median", value: median, requirement: "between the first quartile \(q1) and the third quartile \(q3)")
        }
        return LogNormalDistribution(mu: log(median), sigma: (log(q3) - log(q1)) / (2 * normalQuartile))
    }

    /// The median, exp(μ).
    public var median: Double { exp(mu) }

    /// The mean, exp(μ + σ²/2).
    public var mean: Double { exp(mu + sigma * sigma / 2) }

    /// The standard deviation, √((exp(σ²) − 1) exp(2μ + σ²)).
    public var standardDeviation: Double {
        (expm1(sigma * sigma) * exp(2 * mu + sigma * sigma)).squareRoot()
    }

    /// The p-quantile, exp(μ + σ Φ⁻¹(p)).
    ///
    /// - Parameter p: A probability in [0, 1] (0 gives 0, 1 gives +∞).
    public func quantile(_ p: Double) -> Double {
        precondition(p >= 0 && p <= 1, "p must be in [0, 1]")
        if p == 0 { return 0 }
        if sigma == 0 { return p == 1 ? .infinity : median }
        return exp(mu + sigma * NormalDistribution.quantile(p))
    }

    /// P(X ≤ x) = Φ((ln x − μ)/σ); 0 for x ≤ 0.
    public func cdf(_ x: Double) -> Double {
        if x <= 0 { return 0 }
        if sigma == 0 { return x >= median ? 1 : 0 }
        return NormalDistribution.cdf((log(x) - mu) / sigma)
    }

    /// P(X > x) = 1 − Φ((ln x − μ)/σ), computed without cancellation; 1 for x ≤ 0.
    public func exceedanceProbability(_ x: Double) -> Double {
        if x <= 0 { return 1 }
        if sigma == 0 { return x >= median ? 0 : 1 }
        return NormalDistribution.survival((log(x) - mu) / sigma)
    }
}
