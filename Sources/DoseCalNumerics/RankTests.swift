/// How the p-value of a Mann–Whitney test was, or is to be, computed.
public enum MannWhitneyMethod: String, Sendable, Hashable, CaseIterable {
    /// The exact null distribution of U for untied data (Mann & Whitney 1947).
    case exact = "exact"
    /// The exact permutation distribution of the rank sum with mid-ranks (tied data).
    case exactPermutationTies = "exact permutation (ties)"
    /// The normal approximation with the tie-corrected variance and a continuity correction of ½.
    case normalApproximation = "normal approximation, tie-corrected, continuity-corrected"

    /// The method's name, as printed in results (`p_method`).
    public var name: String { rawValue }
}

/// The result of a two-sided Mann–Whitney U (Wilcoxon rank-sum) test of samples A and B.
public struct MannWhitneyResult: Sendable, Equatable {
    /// The size of sample A.
    public let nA: Int
    /// The size of sample B.
    public let nB: Int
    /// U for sample A: the number of pairs (aᵢ, bⱼ) with aᵢ > bⱼ plus half the number of ties,
    /// = R_A − nₐ(nₐ + 1)/2 with mid-ranks (the `statistic` of `scipy.stats.mannwhitneyu(a, b)`).
    public let u: Double
    /// The two-sided p-value, in (0, 1].
    public let pValue: Double
    /// How ``pValue`` was computed.
    public let method: MannWhitneyMethod
    /// The standardized statistic (normal approximation only): (max(U_A, U_B) − nₐn_b/2 − ½) / σ.
    public let z: Double?
    /// Whether the pooled sample has tied values.
    public let hasTies: Bool

    /// U for sample B, nₐ n_b − U_A.
    public var uB: Double { Double(nA * nB) - u }
}

/// The largest group size for which ``mannWhitneyTest(_:_:method:)`` computes exact p-values
/// when asked for the automatic choice.
public let mannWhitneyExactLimit = 50

/// The two-sided Mann–Whitney U test (Wilcoxon rank-sum test) of samples A and B.
///
/// Tests whether the two samples come from the same distribution against the alternative that
/// one is stochastically larger (H. B. Mann, D. R. Whitney, Ann. Math. Statist. 18, 50–60, 1947).
/// Mid-ranks are used for ties. p-value:
/// - ``MannWhitneyMethod/exact`` (no ties): 2·P(U ≥ max(U_A, U_B)) under the exact null
///   distribution of U, clipped to 1 — equal to `scipy.stats.mannwhitneyu(a, b,
///   method="exact")`. The distribution comes from the recursion
///   f(u; m, n) = f(u − n; m − 1, n) + f(u; m, n − 1) over the counts.
/// - ``MannWhitneyMethod/exactPermutationTies`` (ties): the exact distribution of the rank sum
///   of A over all C(N, nₐ) equally likely assignments of the observed mid-ranks, by dynamic
///   programming over doubled mid-ranks (integers); p = 2·min(P(S ≤ s), P(S ≥ s)), clipped to 1
///   (as `scipy.stats.permutation_test` with exhaustive permutations).
/// - ``MannWhitneyMethod/normalApproximation``: z = (max(U_A, U_B) − nₐn_b/2 − ½) / σ with
///   σ² = nₐn_b/12 · ((N + 1) − Σ(t³ − t)/(N(N − 1))), p = 2(1 − Φ(z)) clipped to 1 — equal to
///   `scipy.stats.mannwhitneyu(a, b, method="asymptotic")`.
///
/// - Parameters:
///   - a: Sample A, non-empty, finite.
///   - b: Sample B, non-empty, finite.
///   - method: `nil` (default) chooses an exact method (by ties) when both samples have at most
///     ``mannWhitneyExactLimit`` values, else the normal approximation. Passing ``MannWhitneyMethod/exact``
///     or ``MannWhitneyMethod/exactPermutationTies`` asks for the exact method appropriate to the
///     data (with ties, always the permutation distribution); ``MannWhitneyMethod/normalApproximation``
///     forces the approximation.
/// - Returns: U_A, the p-value and the method actually used.
/// - Throws: ``NumericsError/emptySample``, ``NumericsError/notFinite(index:value:)``, and
///   ``NumericsError/invalidParameter(name:value:requirement:)`` when an exact p-value is asked
///   for samples larger than ``mannWhitneyExactLimit`` (its tables would grow as N³).
/// - Complexity: exact without ties O(nₐ n_b · nₐn_b); with ties O(N · min(nₐ, n_b) · N²);
///   normal approximation O(N log N).
public func mannWhitneyTest(_ a: [Double], _ b: [Double], method: MannWhitneyMethod? = nil) throws -> MannWhitneyResult {
    try validateSample(a)
    try validateSample(b)
    let ranking = DoubledMidRanks(a, b)
    let m = a.count, n = b.count
    // 2 U_A = 2 R_A − nₐ(nₐ + 1), an integer.
    let twiceUA = ranking.twiceRankSumA - m * (m + 1)
    let u = Double(twiceUA) / 2
    let uB = Double(m * n) - u
    let chosen: MannWhitneyMethod
    switch method {
    case nil:
        if m <= mannWhitneyExactLimit && n <= mannWhitneyExactLimit {
            chosen = ranking.hasTies ? .exactPermutationTies : .exact
        } else {
            chosen = .normalApproximation
        }
    case .exact?, .exactPermutationTies?:
        guard m <= mannWhitneyExactLimit && n <= mannWhitneyExactLimit else {
            throw NumericsError.invalidParameter(
                name: "sample size for an exact Mann-Whitney p-value", value: Double(Swift.max(m, n)),
                requirement: "at most \(mannWhitneyExactLimit) per group")
        }
        chosen = ranking.hasTies ? .exactPermutationTies : .exact
    case .normalApproximation?:
        chosen = .normalApproximation
    }
    switch chosen {
    case .exact:
        let uMax = Int(Swift.max(u, uB))
        let p = 2 * mannWhitneyExactCDF(m * n - uMax, m, n)
        return MannWhitneyResult(nA: m, nB: n, u: u, pValue: Swift.min(p, 1), method: .exact, z: nil, hasTies: false)
    case .exactPermutationTies:
        let p = ranking.permutationPValue()
        return MannWhitneyResult(nA: m, nB: n, u: u, pValue: p, method: .exactPermutationTies, z: nil, hasTies: true)
    case .normalApproximation:
        let md = Double(m), nd = Double(n)
        let total = md + nd
        let mean = md * nd / 2
        let sigma = (md * nd / 12 * ((total + 1) - ranking.tieTerm / (total * (total - 1)))).squareRoot()
        let z = (Swift.max(u, uB) - mean - 0.5) / sigma
        let p = 2 * NormalDistribution.cdf(-z)
        return MannWhitneyResult(
            nA: m, nB: n, u: u, pValue: Swift.min(Swift.max(p, 0), 1), method: .normalApproximation,
            z: z, hasTies: ranking.hasTies)
    }
}

/// P(U ≤ k) under the null hypothesis, no ties, for samples of sizes m and n.
///
/// - Complexity: O(m · n · k).
func mannWhitneyExactCDF(_ k: Int, _ m: Int, _ n: Int) -> Double {
    guard k >= 0 else { return 0 }
    if k >= m * n { return 1 }
    let counts = mannWhitneyNullCounts(upTo: k, m, n)
    // Normalise by C(m + n, m) computed in the same arithmetic (Σ over all u = C(m + n, m)).
    var total = 1.0
    let small = Swift.min(m, n)
    for i in 0..<small {
        total = total * Double(m + n - i) / Double(i + 1)
    }
    var sum = 0.0
    for count in counts { sum += count }
    return Swift.min(sum / total, 1)
}

/// The number of arrangements of m values of A and n of B (no ties) giving U_A = 0…`maxU`.
///
/// Recursion on the largest observation: it belongs to A (adding n to U_A) or to B:
/// f(u; i, j) = f(u − j; i − 1, j) + f(u; i, j − 1), f(0; i, 0) = f(0; 0, j) = 1. Counts are
/// held in `Double`: every step adds non-negative numbers, so the relative error stays below
/// (m + n) ulps.
func mannWhitneyNullCounts(upTo maxU: Int, _ m: Int, _ n: Int) -> [Double] {
    let width = maxU + 1
    // Row i holds f(·; i, j) for the current j; rows are contiguous in one flat buffer.
    var f = [Double](repeating: 0, count: (m + 1) * width)
    f.withUnsafeMutableBufferPointer { table in
        for i in 0...m { table[i * width] = 1 }  // j = 0: only U = 0.
        guard n >= 1, m >= 1 else { return }
        for j in 1...n where j <= maxU {
            // Rows ascending, so row i − 1 is already at level j; f(·; 0, j) = [u == 0].
            for i in 1...m {
                let row = i * width
                let source = row - width - j
                var u = maxU
                while u >= j {
                    table[row + u] += table[source + u]
                    u -= 1
                }
            }
        }
    }
    return Array(f[(m * width)...])
}

/// Doubled mid-ranks of the pooled samples A then B (integers: 2 × mid-rank = first + last
/// position of the tie block, 1-based).
struct DoubledMidRanks {
    /// The doubled mid-rank of each pooled value, A's first.
    let scores: [Int]
    let countA: Int
    let twiceRankSumA: Int
    let hasTies: Bool
    /// Σ (t³ − t) over tie blocks of size t.
    let tieTerm: Double

    init(_ a: [Double], _ b: [Double]) {
        let pooled = a + b
        let order = pooled.indices.sorted { pooled[$0] < pooled[$1] }
        var scores = [Int](repeating: 0, count: pooled.count)
        var tieTerm = 0.0
        var hasTies = false
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && pooled[order[end + 1]] == pooled[order[start]] { end += 1 }
            let doubled = (start + 1) + (end + 1)
            for k in start...end { scores[order[k]] = doubled }
            let t = Double(end - start + 1)
            if end > start {
                hasTies = true
                tieTerm += t * t * t - t
            }
            start = end + 1
        }
        self.scores = scores
        self.countA = a.count
        self.twiceRankSumA = scores[0..<a.count].reduce(0, +)
        self.hasTies = hasTies
        self.tieTerm = tieTerm
    }

    /// The counts of subsets of size `size` of the scores by their sum (index = sum of doubled
    /// mid-ranks).
    ///
    /// - Complexity: O(N · size · Σ scores), on one flat buffer.
    func subsetSumCounts(size: Int) -> [Double] {
        let total = scores.reduce(0, +)
        let width = total + 1
        // Row j (subsets of size j) occupies dp[j * width ..< (j + 1) * width].
        var dp = [Double](repeating: 0, count: (size + 1) * width)
        dp.withUnsafeMutableBufferPointer { table in
            table[0] = 1
            var reach = 0
            for (index, score) in scores.enumerated() {
                reach += score
                let top = Swift.min(index + 1, size)
                guard top >= 1 else { continue }
                for j in stride(from: top, through: 1, by: -1) {
                    let row = j * width
                    let previousRow = row - width - score
                    var s = reach
                    while s >= score {
                        table[row + s] += table[previousRow + s]
                        s -= 1
                    }
                }
            }
        }
        return Array(dp[(size * width)...])
    }

    /// 2·min(P(S ≤ s), P(S ≥ s)) for the rank sum S of A, clipped to 1.
    func permutationPValue() -> Double {
        let n = scores.count
        let total = scores.reduce(0, +)
        // Work with the smaller group; its sum determines A's.
        let useA = countA <= n - countA
        let size = useA ? countA : n - countA
        let observed = useA ? twiceRankSumA : total - twiceRankSumA
        let counts = subsetSumCounts(size: size)
        var all = 0.0, atMost = 0.0, atLeast = 0.0
        for (s, count) in counts.enumerated() where count > 0 {
            all += count
            if s <= observed { atMost += count }
            if s >= observed { atLeast += count }
        }
        return Swift.min(1, 2 * Swift.min(atMost, atLeast) / all)
    }
}
