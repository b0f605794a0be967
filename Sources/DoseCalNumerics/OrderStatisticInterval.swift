/// A confidence interval for a population quantile, with the method that produced it.
///
/// When no interval exists (too few values for the requested level, a degenerate bootstrap
/// distribution), ``lower`` and ``upper`` are `nil` and ``note`` says why in one sentence.
public struct QuantileInterval: Sendable, Equatable {
    /// The order-statistic method's name.
    public static let orderStatisticsMethod = "order statistics (binomial, distribution-free)"
    /// The bootstrap percentile method's name.
    public static let bootstrapPercentileMethod = "bootstrap percentile"
    /// The bootstrap bias-corrected and accelerated method's name.
    public static let bootstrapBCaMethod = "bootstrap BCa"

    /// The method's name: ``orderStatisticsMethod``, ``bootstrapPercentileMethod`` or
    /// ``bootstrapBCaMethod``.
    public var method: String
    /// The requested confidence level, in (0, 1).
    public var level: Double
    /// The lower end, in the units of the sample; `nil` when no interval exists.
    public var lower: Double?
    /// The upper end, in the units of the sample; `nil` when no interval exists.
    public var upper: Double?
    /// The achieved coverage probability (order statistics: exact under continuity, ≥ level).
    public var coverage: Double?
    /// The 1-based rank of the lower order statistic (order-statistic method only).
    public var lowerRank: Int?
    /// The 1-based rank of the upper order statistic (order-statistic method only).
    public var upperRank: Int?
    /// The number of bootstrap resamples (bootstrap methods only).
    public var resamples: Int?
    /// Why no interval exists, or a caveat about the one given.
    public var note: String?

    /// Creates an interval description; every field except the method and level is optional.
    public init(
        method: String, level: Double, lower: Double? = nil, upper: Double? = nil,
        coverage: Double? = nil, lowerRank: Int? = nil, upperRank: Int? = nil,
        resamples: Int? = nil, note: String? = nil
    ) {
        self.method = method
        self.level = level
        self.lower = lower
        self.upper = upper
        self.coverage = coverage
        self.lowerRank = lowerRank
        self.upperRank = upperRank
        self.resamples = resamples
        self.note = note
    }

    /// Whether an interval exists (both ends present).
    public var exists: Bool { lower != nil && upper != nil }
}

/// The ranks of a distribution-free confidence interval for a quantile.
public struct OrderStatisticRanks: Sendable, Equatable {
    /// The 1-based rank l of the lower end x₍ₗ₎.
    public let lower: Int
    /// The 1-based rank u of the upper end x₍ᵤ₎, u > l.
    public let upper: Int
    /// P(l ≤ B < u) with B ~ Bin(n, p): the probability that [x₍ₗ₎, x₍ᵤ₎] contains the
    /// population p-quantile of a continuous distribution.
    public let coverage: Double

    /// The shortest pair of ranks whose interval [x₍ₗ₎, x₍ᵤ₎] covers the population `p`-quantile
    /// with probability at least `level`.
    ///
    /// For a continuous distribution with p-quantile ξ, x₍ₗ₎ ≤ ξ < x₍ᵤ₎ exactly when
    /// l ≤ B < u, where B ~ Bin(n, p) counts the observations below ξ; so the coverage is
    /// Σ_{k=l}^{u−1} C(n, k) pᵏ (1 − p)ⁿ⁻ᵏ whatever the distribution (H. A. David,
    /// H. N. Nagaraja, "Order Statistics", 3rd ed., §7.1; W. J. Conover, "Practical
    /// Nonparametric Statistics", 3rd ed., §3.2).
    ///
    /// Rule: among the pairs 1 ≤ l < u ≤ n with coverage ≥ `level`, the one with the smallest
    /// u − l; among equally short ones, the highest coverage; among those (equal to 1e-14),
    /// the one whose centre (l + u)/2 is closest to (n + 1)p, then the lower. For n = 11,
    /// p = 0.75, level 0.95 this gives ranks (5, 11), coverage 0.9502.
    ///
    /// - Parameters:
    ///   - n: The sample size, ≥ 0.
    ///   - p: The quantile's probability, in [0, 1].
    ///   - level: The confidence level, in (0, 1).
    /// - Returns: The ranks, or `nil` when no pair reaches `level` (for example n = 8, p = 0.75,
    ///   level 0.95: even [x₍₁₎, x₍₈₎] covers with probability 1 − 0.75⁸ − 0.25⁸ ≈ 0.8999).
    /// - Complexity: O(n) (two pointers over the cumulative binomial probabilities).
    public static func shortest(n: Int, p: Double, level: Double) -> OrderStatisticRanks? {
        precondition(n >= 0 && p >= 0 && p <= 1 && level > 0 && level < 1)
        guard n >= 2 else { return nil }
        let pmf = BinomialDistribution(trials: n, probability: p).pmfs()
        // prefix[k] = P(B < k), k = 0…n+1.
        var prefix = [Double](repeating: 0, count: n + 2)
        for k in 0...n { prefix[k + 1] = prefix[k] + pmf[k] }
        // One coverage function for every decision, so the chosen pair's reported coverage is
        // exactly the value compared with the level.
        func coverage(_ l: Int, _ u: Int) -> Double { prefix[u] - prefix[l] }
        // The smallest width: for each l, the smallest u with coverage ≥ level is non-decreasing
        // in l, because P(B < u) − P(B < l) only shrinks as l grows.
        var bestWidth = Int.max
        var u = 2
        for l in 1..<n {
            if u <= l { u = l + 1 }
            while u <= n && coverage(l, u) < level { u += 1 }
            if u > n { break }
            bestWidth = Swift.min(bestWidth, u - l)
        }
        guard bestWidth != Int.max else { return nil }
        let target = Double(n + 1) * p
        var best: OrderStatisticRanks?
        for l in 1...(n - bestWidth) {
            let candidate = OrderStatisticRanks(lower: l, upper: l + bestWidth, coverage: coverage(l, l + bestWidth))
            guard candidate.coverage >= level else { continue }
            guard let current = best else { best = candidate; continue }
            let difference = candidate.coverage - current.coverage
            if difference > 1e-14 * current.coverage {
                best = candidate
            } else if abs(difference) <= 1e-14 * current.coverage {
                let candidateDistance = abs(Double(candidate.lower + candidate.upper) / 2 - target)
                let currentDistance = abs(Double(current.lower + current.upper) / 2 - target)
                if candidateDistance < currentDistance { best = candidate }
            }
        }
        return best
    }
}

/// The distribution-free confidence interval for the population `p`-quantile from two order
/// statistics of a sorted sample (see ``OrderStatisticRanks/shortest(n:p:level:)`` for the rule).
///
/// Valid for any continuous distribution and independent observations; with ties the coverage
/// is at least the reported value. When no pair of order statistics reaches `level`, the
/// result has `lower`/`upper` `nil` and a `note` giving the reason.
///
/// - Parameters:
///   - sorted: The sample in ascending order (may be empty).
///   - p: The quantile's probability, in [0, 1] (0.75 for the third quartile).
///   - level: The confidence level, in (0, 1), for example 0.95.
/// - Returns: An interval with method ``QuantileInterval/orderStatisticsMethod``, the achieved
///   coverage and the 1-based ranks.
/// - Precondition: `p` in [0, 1], `level` in (0, 1).
/// - Complexity: O(n).
public func orderStatisticInterval(sorted: [Double], p: Double, level: Double) -> QuantileInterval {
    precondition(p >= 0 && p <= 1, "p must be in [0, 1]")
    precondition(level > 0 && level < 1, "level must be in (0, 1)")
    let n = sorted.count
    var result = QuantileInterval(method: QuantileInterval.orderStatisticsMethod, level: level)
    guard n >= 2 else {
        result.note = "At least 2 values are needed for an order-statistic interval; the sample has \(n)."
        return result
    }
    guard let ranks = OrderStatisticRanks.shortest(n: n, p: p, level: level) else {
        let widest = BinomialDistribution(trials: n, probability: p)
        var coverage = 0.0
        for k in 1..<n { coverage += widest.pmf(k) }
        result.note = "No pair of order statistics reaches \(percentText(level)) coverage for the "
            + "\(p)-quantile with n = \(n): even the full range [x(1), x(\(n))] covers it with "
            + "probability \(roundedText(coverage))."
        return result
    }
    result.lower = sorted[ranks.lower - 1]
    result.upper = sorted[ranks.upper - 1]
    result.coverage = ranks.coverage
    result.lowerRank = ranks.lower
    result.upperRank = ranks.upper
    return result
}

/// The order-statistic interval of an unsorted sample, validating the input.
///
/// - Parameters:
///   - sample: The values, any order, non-empty, finite.
///   - p: The quantile's probability, in [0, 1].
///   - level: The confidence level, in (0, 1).
/// - Returns: As ``orderStatisticInterval(sorted:p:level:)``.
/// - Throws: ``NumericsError/emptySample``, ``NumericsError/notFinite(index:value:)``,
///   ``NumericsError/probabilityOutOfRange(_:)``, ``NumericsError/invalidLevel(_:)``.
public func orderStatisticInterval(_ sample: [Double], p: Double, level: Double) throws -> QuantileInterval {
    try validateSample(sample)
    try validateProbability(p)
    try validateLevel(level)
    return orderStatisticInterval(sorted: sample.sorted(), p: p, level: level)
}

/// "95 %"-style text for a level, without Foundation.
func percentText(_ level: Double) -> String {
    let percent = (level * 100 * 1e6).rounded() / 1e6
    if percent == percent.rounded() { return "\(Int(percent)) %" }
    return "\(percent) %"
}

/// A probability rounded to 4 decimals, as text.
func roundedText(_ value: Double) -> String {
    let scaled = (value * 10_000).rounded()
    let whole = Int(scaled) / 10_000
    let fraction = Int(scaled) % 10_000
    let digits = String(fraction)
    return "\(whole)." + String(repeating: "0", count: 4 - digits.count) + digits
}
