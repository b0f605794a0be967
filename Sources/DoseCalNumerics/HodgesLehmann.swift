/// The Hodges–Lehmann estimate of the shift between two samples, location(B) − location(A),
/// with the Moses distribution-free confidence interval.
///
/// The estimate is the median of the nₐ n_b pairwise differences bⱼ − aᵢ (J. L. Hodges,
/// E. L. Lehmann, "Estimates of location based on rank tests", Ann. Math. Statist. 34, 1963).
/// The interval is [D₍ₖ₎, D₍ₙₐn_b₊₁₋ₖ₎] of the sorted differences, with k the largest integer such
/// that 2·P(U ≤ k − 1) ≤ 1 − level under the Mann–Whitney null distribution (L. E. Moses, in
/// Walker & Lev, "Statistical Inference", 1953; M. Hollander, D. A. Wolfe, "Nonparametric
/// Statistical Methods", 2nd ed., §4.3). It assumes the two distributions differ only by a
/// shift and are continuous; with ties the achieved level is approximate.
public struct HodgesLehmannShift: Sendable, Equatable {
    /// The method name when the critical value comes from the exact null distribution of U.
    public static let exactMethod = "Moses (exact Mann-Whitney critical value)"
    /// The method name when the critical value comes from the normal approximation.
    public static let normalMethod = "Moses (normal approximation)"

    /// The median of all differences bⱼ − aᵢ, in the units of the data (B minus A).
    public let estimate: Double
    /// The requested confidence level.
    public let level: Double
    /// The lower end, or `nil` when the samples are too small to reach ``level``.
    public let lower: Double?
    /// The upper end, or `nil` when the samples are too small to reach ``level``.
    public let upper: Double?
    /// The achieved confidence level 1 − 2·P(U ≤ k − 1) (≥ ``level`` for the exact method).
    public let achievedLevel: Double?
    /// The 1-based rank k of the lower end among the sorted differences (the upper end has rank
    /// nₐ n_b + 1 − k).
    public let rank: Int?
    /// How the critical value was found: ``exactMethod`` or ``normalMethod``.
    public let method: String
    /// Why no interval exists, if so.
    public let note: String?
}

/// The Hodges–Lehmann shift of B relative to A with its Moses confidence interval.
///
/// The critical value is exact (from the Mann–Whitney null distribution) when both samples have
/// at most ``mannWhitneyExactLimit`` values; otherwise k = ⌊nₐn_b/2 + ½ − z σ⌋ with
/// σ² = nₐn_b(N + 1)/12 and z = Φ⁻¹((1 + level)/2), achieved level 1 − 2Φ((k − ½ − nₐn_b/2)/σ).
///
/// - Parameters:
///   - a: Sample A, non-empty, finite.
///   - b: Sample B, non-empty, finite.
///   - level: The confidence level, in (0, 1) (default 0.95).
/// - Returns: The estimate of location(B) − location(A) and its interval.
/// - Throws: ``NumericsError/emptySample``, ``NumericsError/notFinite(index:value:)``,
///   ``NumericsError/invalidLevel(_:)``.
/// - Complexity: O(nₐ n_b log(nₐ n_b)) plus O(nₐ n_b · nₐn_b) for the exact critical value.
public func hodgesLehmannShift(_ a: [Double], _ b: [Double], level: Double = 0.95) throws -> HodgesLehmannShift {
    try validateSample(a)
    try validateSample(b)
    try validateLevel(level)
    let m = a.count, n = b.count
    var differences: [Double] = []
    differences.reserveCapacity(m * n)
    for y in b {
        for x in a { differences.append(y - x) }
    }
    differences.sort()
    let count = differences.count
    let estimate = quantile(sorted: differences, p: 0.5, method: .linear)
    let alpha = 1 - level
    let k: Int
    let achieved: Double
    let method: String
    if m <= mannWhitneyExactLimit && n <= mannWhitneyExactLimit {
        method = HodgesLehmannShift.exactMethod
        let counts = mannWhitneyNullCounts(upTo: count / 2, m, n)
        var total = 1.0
        for i in 0..<Swift.min(m, n) { total = total * Double(m + n - i) / Double(i + 1) }
        // Largest k with 2·P(U ≤ k − 1) ≤ alpha.
        var cumulative = 0.0
        var best = 0
        var bestTail = 0.0
        for u in 0..<counts.count {
            cumulative += counts[u]
            let tail = cumulative / total
            if 2 * tail <= alpha { best = u + 1; bestTail = tail } else { break }
        }
        k = best
        achieved = 1 - 2 * bestTail
    } else {
        method = HodgesLehmannShift.normalMethod
        let mean = Double(count) / 2
        let sigma = (Double(m * n) * Double(m + n + 1) / 12).squareRoot()
        let z = NormalDistribution.quantile(1 - alpha / 2)
        k = Int((mean + 0.5 - z * sigma).rounded(.down))
        achieved = 1 - 2 * NormalDistribution.cdf((Double(k) - 0.5 - mean) / sigma)
    }
    guard k >= 1 else {
        return HodgesLehmannShift(
            estimate: estimate, level: level, lower: nil, upper: nil, achievedLevel: nil, rank: nil,
            method: method,
            note: "Samples of \(m) and \(n) values are too small for a \(percentText(level)) interval: "
                + "even the full range of differences has a lower confidence level.")
    }
    return HodgesLehmannShift(
        estimate: estimate, level: level, lower: differences[k - 1], upper: differences[count - k],
        achievedLevel: achieved, rank: k, method: method, note: nil)
}
