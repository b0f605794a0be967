#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A definition of the sample quantile.
///
/// The nine definitions of Hyndman and Fan (R. J. Hyndman, Y. Fan, "Sample quantiles in
/// statistical packages", The American Statistician 50(4), 361–365, 1996; the `type` argument of
/// R's `quantile`, the `method` argument of `numpy.quantile`) and the Harrell–Davis estimator
/// (F. E. Harrell, C. E. Davis, "A new distribution-free quantile estimator", Biometrika 69(3),
/// 635–640, 1982). Type 7 (linear interpolation between order statistics) is the default of R,
/// numpy and this product.
///
/// Every statistic that uses a quantile names its method in its output through ``name``.
public enum QuantileMethod: Sendable, Hashable, CustomStringConvertible {
    /// Hyndman & Fan type 1…9. Other numbers are a programmer error.
    case hyndmanFan(Int)
    /// The Harrell–Davis estimator: a Beta((n + 1)p, (n + 1)(1 − p))-weighted mean of all order
    /// statistics.
    case harrellDavis

    /// The default: Hyndman & Fan type 7 (linear), as in R and numpy.
    public static let linear = QuantileMethod.hyndmanFan(7)

    /// Whether this is a Harrell–Davis or a Hyndman & Fan type in 1…9.
    public var isValid: Bool {
        switch self {
        case .hyndmanFan(let type): return (1...9).contains(type)
        case .harrellDavis: return true
        }
    }

    /// The Hyndman & Fan type number, or `nil` for Harrell–Davis.
    public var hyndmanFanType: Int? {
        if case .hyndmanFan(let type) = self { return type }
        return nil
    }

    /// A human-readable name, for example "type 7 (linear)" or "Harrell-Davis".
    public var name: String {
        switch self {
        case .harrellDavis:
            return "Harrell-Davis"
        case .hyndmanFan(let type):
            let names = [
                1: "inverted CDF", 2: "averaged inverted CDF", 3: "closest observation",
                4: "interpolated inverted CDF", 5: "Hazen", 6: "Weibull", 7: "linear",
                8: "median-unbiased", 9: "normal-unbiased",
            ]
            if let label = names[type] { return "type \(type) (\(label))" }
            return "type \(type) (invalid)"
        }
    }

    /// The same as ``name``.
    public var description: String { name }

    /// The `method` name of `numpy.quantile` for types 1…9 ("inverted_cdf" … "normal_unbiased");
    /// `nil` for Harrell–Davis and invalid types.
    public var numpyName: String? {
        guard let type = hyndmanFanType, (1...9).contains(type) else { return nil }
        return QuantileMethod.numpyNames[type - 1]
    }

    static let numpyNames = [
        "inverted_cdf", "averaged_inverted_cdf", "closest_observation",
        "interpolated_inverted_cdf", "hazen", "weibull", "linear", "median_unbiased",
        "normal_unbiased",
    ]

    /// Parses a command-line spelling: "1"…"9", "type1"…"type9", a numpy method name
    /// ("linear", "hazen", …), or "hd" / "harrell-davis" / "harrell_davis". Case-insensitive.
    ///
    /// - Parameter argument: The text to parse.
    /// - Returns: The method, or `nil` when the text names none.
    public init?(argument: String) {
        var text = argument.lowercased()
        text = String(text.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
        if ["hd", "harrell-davis", "harrell_davis", "harrelldavis"].contains(text) {
            self = .harrellDavis
            return
        }
        if text.hasPrefix("type") { text.removeFirst(4) }
        if let type = Int(text), (1...9).contains(type) {
            self = .hyndmanFan(type)
            return
        }
        if let index = QuantileMethod.numpyNames.firstIndex(of: text) {
            self = .hyndmanFan(index + 1)
            return
        }
        return nil
    }
}

/// The `p`-quantile of a sorted sample.
///
/// Hyndman & Fan types 1–9 reproduce `numpy.quantile(x, p, method=…)` (numpy 2.x,
/// `_quantile`) operation for operation: the same virtual index (`(n − 1)p` for type 7,
/// `n·p + (α + p(1 − α − β)) − 1` for the continuous types 4–6, 8, 9, `n·p − 1` for the
/// discrete types), the same clamping to the first and last order statistic, and the same
/// interpolation `a + (b − a)·γ`, written `b − (b − a)(1 − γ)` when γ ≥ ½. Results are
/// therefore identical to numpy's, bit for bit in all cases we have checked.
///
/// Harrell–Davis: Σᵢ wᵢ x₍ᵢ₎ with wᵢ = I_{i/n}(a, b) − I_{(i−1)/n}(a, b), a = (n + 1)p,
/// b = (n + 1)(1 − p) (as `scipy.stats.mstats.hdquantiles`); p = 0 and p = 1 give the minimum
/// and maximum. Unlike scipy (which returns NaN), a sample of one value returns that value.
///
/// - Parameters:
///   - sorted: The sample in ascending order, non-empty, finite (not checked beyond non-emptiness).
///   - p: The probability, in [0, 1].
///   - method: The quantile definition.
/// - Returns: The estimate, in the units of the sample, within [min, max].
/// - Precondition: `sorted` is non-empty, `p` is in [0, 1] and `method` is valid.
/// - Complexity: O(1) for types 1–9; O(n) incomplete-beta evaluations for Harrell–Davis.
public func quantile(sorted x: [Double], p: Double, method: QuantileMethod = .linear) -> Double {
    precondition(!x.isEmpty, "quantile of an empty sample")
    precondition(p >= 0 && p <= 1, "p must be in [0, 1]")
    let n = x.count
    switch method {
    case .harrellDavis:
        return harrellDavisQuantile(sorted: x, p: p)
    case .hyndmanFan(let type):
        let nd = Double(n)
        switch type {
        case 1:
            // numpy `_inverted_cdf`: the next order statistic unless the index is whole.
            let index = nd * p - 1
            let previous = index.rounded(.down)
            let chosen = index - previous == 0 ? previous : previous + 1
            return x[clampedIndex(chosen, n)]
        case 3:
            // numpy `_closest_observation`: the nearest even order statistic (1-based) at a tie.
            let index = nd * p - 1 - 0.5
            let previous = index.rounded(.down)
            let isOdd = previous - 2 * (previous / 2).rounded(.down) == 1
            let chosen = (index - previous == 0 && isOdd) ? previous : previous + 1
            return x[clampedIndex(chosen, n)]
        case 2:
            // numpy `averaged_inverted_cdf`: γ = ½ at whole indexes, else 1.
            let index = nd * p - 1
            return interpolate(x, virtualIndex: index) { $0 == 0 ? 0.5 : 1 }
        case 7:
            return interpolate(x, virtualIndex: (nd - 1) * p) { $0 }
        case 4, 5, 6, 8, 9:
            let (alpha, beta): (Double, Double)
            switch type {
            case 4: (alpha, beta) = (0, 1)
            case 5: (alpha, beta) = (0.5, 0.5)
            case 6: (alpha, beta) = (0, 0)
            case 8: (alpha, beta) = (1 / 3.0, 1 / 3.0)
            default: (alpha, beta) = (3 / 8.0, 3 / 8.0)
            }
            // numpy `_compute_virtual_index`, same association order.
            let index = nd * p + (alpha + p * (1 - alpha - beta)) - 1
            return interpolate(x, virtualIndex: index) { $0 }
        default:
            preconditionFailure("Hyndman & Fan type must be 1...9, got \(type)")
        }
    }
}

/// The `p`-quantile of an unsorted sample, validating the input.
///
/// Sorts a copy and calls ``quantile(sorted:p:method:)``.
///
/// - Parameters:
///   - sample: The values, in any order.
///   - p: The probability, in [0, 1].
///   - method: The quantile definition (default type 7).
/// - Returns: The estimate.
/// - Throws: ``NumericsError/emptySample``, ``NumericsError/notFinite(index:value:)``,
///   ``NumericsError/probabilityOutOfRange(_:)``.
/// - Complexity: O(n log n).
public func quantile(_ sample: [Double], p: Double, method: QuantileMethod = .linear) throws -> Double {
    try validateSample(sample)
    try validateProbability(p)
    return quantile(sorted: sample.sorted(), p: p, method: method)
}

/// Several quantiles of an unsorted sample (sorted once), validating the input.
///
/// - Parameters:
///   - sample: The values, in any order.
///   - ps: The probabilities, each in [0, 1].
///   - method: The quantile definition (default type 7).
/// - Returns: One estimate per entry of `ps`, in the same order.
/// - Throws: As ``quantile(_:p:method:)``.
/// - Complexity: O(n log n + k) for k probabilities (O(n·k) for Harrell–Davis).
public func quantiles(_ sample: [Double], ps: [Double], method: QuantileMethod = .linear) throws -> [Double] {
    try validateSample(sample)
    for p in ps { try validateProbability(p) }
    let sorted = sample.sorted()
    return ps.map { quantile(sorted: sorted, p: $0, method: method) }
}

/// Clamps a whole-number index (as numpy clips negative indexes to 0) into 0…n−1.
private func clampedIndex(_ index: Double, _ n: Int) -> Int {
    if index <= 0 { return 0 }
    return Swift.min(Int(index), n - 1)
}

/// numpy's `_get_indexes`, `_get_gamma` and `_lerp` for one virtual index.
private func interpolate(_ x: [Double], virtualIndex: Double, gamma fixGamma: (Double) -> Double) -> Double {
    let n = x.count
    if virtualIndex >= Double(n - 1) { return x[n - 1] }
    if virtualIndex < 0 { return x[0] }
    let previous = virtualIndex.rounded(.down)
    let i = Int(previous)
    let t = fixGamma(virtualIndex - previous)
    let a = x[i], b = x[i + 1]
    let difference = b - a
    return t >= 0.5 ? b - difference * (1 - t) : a + difference * t
}

/// The Harrell–Davis estimate (see ``quantile(sorted:p:method:)``).
private func harrellDavisQuantile(sorted x: [Double], p: Double) -> Double {
    let n = x.count
    if n == 1 || p == 0 { return x[0] }
    if p == 1 { return x[n - 1] }
    let a = Double(n + 1) * p
    let b = Double(n + 1) * (1 - p)
    var previousCDF = 0.0
    var sum = 0.0
    for i in 1...n {
        let cdf = i == n ? 1 : betaIncomplete(a, b, Double(i) / Double(n))
        sum += (cdf - previousCDF) * x[i - 1]
        previousCDF = cdf
    }
    return sum
}
