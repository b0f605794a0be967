/// The bootstrap distribution of a statistic of one or more independent samples, and the
/// percentile and BCa confidence intervals drawn from it.
///
/// Each resample draws, for every group in turn, as many values as the group has, uniformly with
/// replacement (B. Efron, R. J. Tibshirani, "An Introduction to the Bootstrap", 1993, ch. 6).
/// The draws come only from the generator passed in, through a fixed integer-sampling
/// algorithm, so a seeded ``Xoshiro256StarStar`` makes every result reproducible.
///
/// Percentile interval: the (1 − level)/2 and (1 + level)/2 type-7 quantiles of the replicates
/// (Efron & Tibshirani §13.3). BCa: the same with the probabilities adjusted by the bias
/// correction z₀ = Φ⁻¹(#{θ* < θ̂}/B + ½ #{θ* = θ̂}/B) and the jackknife acceleration
/// â = Σ U³ / (6 (Σ U²)^{3/2}) (Efron & Tibshirani §14.3, eq. 14.14–14.15; with several groups
/// the per-group sums are combined as in `scipy.stats.bootstrap`). These formulas match
/// `scipy.stats.bootstrap(method="BCa")` given the same replicates.
public struct BootstrapDistribution: Sendable {
    /// The statistic on the original data.
    public let estimate: Double
    /// The finite replicates θ*, sorted ascending.
    public let replicates: [Double]
    /// How many resamples gave a NaN or infinite statistic (excluded from ``replicates``).
    public let nonFiniteReplicates: Int
    /// The leave-one-out (jackknife) values of the statistic, one array per group; empty when a
    /// group has fewer than 2 values (BCa is then unavailable).
    public let jackknife: [[Double]]

    /// The number of resamples drawn (finite or not).
    public var resamples: Int { replicates.count + nonFiniteReplicates }

    /// Bootstraps a statistic of one sample.
    ///
    /// - Parameters:
    ///   - sample: The data, non-empty, finite.
    ///   - resamples: The number B of bootstrap resamples, ≥ 1 (2 000 or more for intervals).
    ///   - rng: The source of randomness; pass a seeded ``Xoshiro256StarStar`` for reproducible
    ///     results.
    ///   - statistic: The statistic, called on the sample (unsorted), on each resample and on
    ///     each leave-one-out subsample.
    /// - Throws: ``NumericsError/emptySample``, ``NumericsError/notFinite(index:value:)``,
    ///   ``NumericsError/invalidParameter(name:value:requirement:)`` for `resamples` < 1.
    /// - Complexity: B + n evaluations of `statistic` on n values.
    public init(
        sample: [Double], resamples: Int, using rng: inout some RandomNumberGenerator,
        statistic: ([Double]) -> Double
    ) throws {
        try self.init(groups: [sample], resamples: resamples, using: &rng) { statistic($0[0]) }
    }

    /// Bootstraps a statistic of several independent samples, resampling each group separately.
    ///
    /// - Parameters:
    ///   - groups: The samples, each non-empty and finite.
    ///   - resamples: The number B of bootstrap resamples, ≥ 1.
    ///   - rng: The source of randomness.
    ///   - statistic: The statistic of all groups (in the order given).
    /// - Throws: As ``init(sample:resamples:using:statistic:)``.
    /// - Complexity: B + Σ nᵢ evaluations of `statistic`.
    public init(
        groups: [[Double]], resamples: Int, using rng: inout some RandomNumberGenerator,
        statistic: ([[Double]]) -> Double
    ) throws {
        guard !groups.isEmpty else { throw NumericsError.emptySample }
        for group in groups { try validateSample(group) }
        guard resamples >= 1 else {
            throw NumericsError.invalidParameter(
                name: "number of resamples", value: Double(resamples), requirement: "at least 1")
        }
        estimate = statistic(groups)
        var buffers = groups
        var values: [Double] = []
        values.reserveCapacity(resamples)
        var nonFinite = 0
        for _ in 0..<resamples {
            for g in groups.indices {
                let group = groups[g]
                for i in group.indices {
                    buffers[g][i] = group[uniformIndex(below: group.count, using: &rng)]
                }
            }
            let value = statistic(buffers)
            if value.isFinite { values.append(value) } else { nonFinite += 1 }
        }
        replicates = values.sorted()
        nonFiniteReplicates = nonFinite
        jackknife = BootstrapDistribution.jackknife(groups, statistic: statistic)
    }

    /// A distribution from replicates computed elsewhere (to check the interval arithmetic
    /// against other software given the same replicates); the estimate and the jackknife values
    /// are computed here from `groups`.
    init(groups: [[Double]], replicates: [Double], statistic: ([[Double]]) -> Double) {
        estimate = statistic(groups)
        self.replicates = replicates.filter(\.isFinite).sorted()
        nonFiniteReplicates = replicates.count - self.replicates.count
        jackknife = BootstrapDistribution.jackknife(groups, statistic: statistic)
    }

    /// Leave-one-out values of `statistic`, group by group (the other groups kept whole); empty
    /// when a group has fewer than 2 values.
    static func jackknife(_ groups: [[Double]], statistic: ([[Double]]) -> Double) -> [[Double]] {
        guard groups.allSatisfy({ $0.count >= 2 }) else { return [] }
        var leaveOneOut: [[Double]] = []
        for g in groups.indices {
            var values: [Double] = []
            var subsample = groups
            for i in groups[g].indices {
                var reduced = groups[g]
                reduced.remove(at: i)
                subsample[g] = reduced
                values.append(statistic(subsample))
            }
            leaveOneOut.append(values)
        }
        return leaveOneOut
    }

    /// The percentile interval: the type-7 quantiles of the replicates at (1 ∓ level)/2.
    ///
    /// - Parameter level: The confidence level, in (0, 1).
    /// - Returns: An interval with method ``QuantileInterval/bootstrapPercentileMethod`` and
    ///   ``QuantileInterval/resamples``; no ends, with a note, when some replicates were not
    ///   finite.
    /// - Throws: ``NumericsError/invalidLevel(_:)``.
    public func percentileInterval(level: Double) throws -> QuantileInterval {
        try validateLevel(level)
        var result = QuantileInterval(
            method: QuantileInterval.bootstrapPercentileMethod, level: level, resamples: resamples)
        if let problem = replicateProblem() {
            result.note = problem
            return result
        }
        let alpha = (1 - level) / 2
        result.lower = quantile(sorted: replicates, p: alpha, method: .linear)
        result.upper = quantile(sorted: replicates, p: 1 - alpha, method: .linear)
        return result
    }

    /// The bias-corrected and accelerated (BCa) interval.
    ///
    /// - Parameter level: The confidence level, in (0, 1).
    /// - Returns: An interval with method ``QuantileInterval/bootstrapBCaMethod``; no ends, with
    ///   a note, when the bias correction is infinite (every replicate on one side of the
    ///   estimate), when a group has fewer than 2 values, or when replicates were not finite. A
    ///   note also says when the acceleration was set to 0 because all jackknife values are
    ///   equal.
    /// - Throws: ``NumericsError/invalidLevel(_:)``.
    public func bcaInterval(level: Double) throws -> QuantileInterval {
        try validateLevel(level)
        var result = QuantileInterval(
            method: QuantileInterval.bootstrapBCaMethod, level: level, resamples: resamples)
        if let problem = replicateProblem() {
            result.note = problem
            return result
        }
        guard !jackknife.isEmpty else {
            result.note = "BCa needs at least 2 values in every sample for the jackknife."
            return result
        }
        guard let adjusted = bcaProbabilities(level: level) else {
            result.note = "BCa is undefined: every bootstrap replicate lies on the same side of the estimate."
            return result
        }
        result.lower = quantile(sorted: replicates, p: adjusted.lower, method: .linear)
        result.upper = quantile(sorted: replicates, p: adjusted.upper, method: .linear)
        if !adjusted.accelerationDefined {
            result.note = "All jackknife values are equal, so the acceleration was set to 0."
        }
        return result
    }

    /// The BCa-adjusted probabilities (α₁, α₂) with z₀ and â, or `nil` when z₀ is infinite.
    func bcaProbabilities(level: Double) -> (
        lower: Double, upper: Double, z0: Double, acceleration: Double, accelerationDefined: Bool
    )? {
        let b = Double(replicates.count)
        var below = 0, belowOrEqual = 0
        for value in replicates {
            if value < estimate { below += 1 }
            if value <= estimate { belowOrEqual += 1 }
        }
        let share = Double(below + belowOrEqual) / (2 * b)
        let z0 = NormalDistribution.quantile(share)
        guard z0.isFinite else { return nil }
        var numerator = 0.0, denominator = 0.0
        for values in jackknife {
            let n = Double(values.count)
            var mean = 0.0
            for value in values { mean += value }
            mean /= n
            var cubes = 0.0, squares = 0.0
            for value in values {
                let u = (n - 1) * (mean - value)
                cubes += u * u * u
                squares += u * u
            }
            numerator += cubes / (n * n * n)
            denominator += squares / (n * n)
        }
        var acceleration = 0.0
        var accelerationDefined = true
        if denominator > 0 {
            acceleration = numerator / (6 * (denominator * denominator.squareRoot()))
        } else {
            accelerationDefined = false
        }
        let zAlpha = NormalDistribution.quantile((1 - level) / 2)
        let sum1 = z0 + zAlpha
        let alpha1 = NormalDistribution.cdf(z0 + sum1 / (1 - acceleration * sum1))
        let sum2 = z0 - zAlpha
        let alpha2 = NormalDistribution.cdf(z0 + sum2 / (1 - acceleration * sum2))
        guard alpha1.isFinite, alpha2.isFinite else { return nil }
        return (min(max(alpha1, 0), 1), min(max(alpha2, 0), 1), z0, acceleration, accelerationDefined)
    }

    private func replicateProblem() -> String? {
        if nonFiniteReplicates > 0 {
            return "The statistic was not finite on \(nonFiniteReplicates) of \(resamples) resamples."
        }
        return nil
    }
}

/// Percentile and BCa bootstrap intervals for the population `p`-quantile of one sample.
///
/// - Parameters:
///   - sample: The data, non-empty, finite.
///   - p: The quantile's probability, in [0, 1] (0.75 for Q3).
///   - method: The quantile definition used as the statistic (default type 7).
///   - level: The confidence level, in (0, 1).
///   - resamples: The number of bootstrap resamples, ≥ 1.
///   - rng: The source of randomness (seeded for reproducibility).
/// - Returns: The percentile and the BCa interval, computed from the same replicates.
/// - Throws: ``NumericsError`` for invalid data, `p`, `level` or `resamples`.
/// - Complexity: O(B n log n).
public func bootstrapQuantileIntervals(
    _ sample: [Double], p: Double, method: QuantileMethod = .linear, level: Double,
    resamples: Int, using rng: inout some RandomNumberGenerator
) throws -> (percentile: QuantileInterval, bca: QuantileInterval) {
    try validateProbability(p)
    try validateLevel(level)
    let distribution = try BootstrapDistribution(sample: sample, resamples: resamples, using: &rng) {
        quantile(sorted: $0.sorted(), p: p, method: method)
    }
    return (try distribution.percentileInterval(level: level), try distribution.bcaInterval(level: level))
}

/// The bootstrap percentile interval of the difference of a quantile between two independent
/// groups, quantile(B) − quantile(A), resampling each group separately.
///
/// - Parameters:
///   - a: The first group (subtracted), non-empty, finite.
///   - b: The second group, non-empty, finite.
///   - p: The quantile's probability, in [0, 1] (0.75 for the difference of Q3s).
///   - method: The quantile definition (default type 7).
///   - level: The confidence level, in (0, 1).
///   - resamples: The number of bootstrap resamples, ≥ 1.
///   - rng: The source of randomness (seeded for reproducibility).
/// - Returns: An interval with method ``QuantileInterval/bootstrapPercentileMethod``, in the
///   units of the data, for location(B) − location(A).
/// - Throws: ``NumericsError`` for invalid data, `p`, `level` or `resamples`.
/// - Complexity: O(B (nₐ log nₐ + n_b log n_b)).
public func bootstrapQuantileDifferenceInterval(
    _ a: [Double], _ b: [Double], p: Double, method: QuantileMethod = .linear, level: Double,
    resamples: Int, using rng: inout some RandomNumberGenerator
) throws -> QuantileInterval {
    try validateProbability(p)
    try validateLevel(level)
    let distribution = try BootstrapDistribution(groups: [a, b], resamples: resamples, using: &rng) {
        quantile(sorted: $0[1].sorted(), p: p, method: method)
            - quantile(sorted: $0[0].sorted(), p: p, method: method)
    }
    return try distribution.percentileInterval(level: level)
}
