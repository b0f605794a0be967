#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The standard normal distribution N(0, 1): distribution function, survival function and
/// quantile function (probit).
///
/// Used for z-based p-values (Mann–Whitney normal approximation) and for the bias correction and
/// acceleration of BCa bootstrap intervals.
public enum NormalDistribution {
    /// The distribution function Φ(z) = P(Z ≤ z).
    ///
    /// Method: Φ(z) = ½ erfc(−z/√2) for |z/√2| ≥ 1/√2, else ½ + ½ erf(z/√2), as in Cephes `ndtr`
    /// (which `scipy.special.ndtr` follows), with the C library's `erf`/`erfc`. The lower tail
    /// keeps full relative precision down to Φ(−37) ≈ 6e-300.
    ///
    /// - Parameter z: A standard score.
    /// - Returns: Φ(z) in [0, 1]; NaN for NaN.
    public static func cdf(_ z: Double) -> Double {
        if z.isNaN { return .nan }
        let x = z * 0.70710678118654752440
        let absX = abs(x)
        if absX < 0.70710678118654752440 {
            return 0.5 + 0.5 * erf(x)
        }
        let tail = 0.5 * erfc(absX)
        return x > 0 ? 1 - tail : tail
    }

    /// The survival function 1 − Φ(z) = Φ(−z), without cancellation in the upper tail.
    public static func survival(_ z: Double) -> Double {
        cdf(-z)
    }

    /// The density φ(z) = exp(−z²/2) / √(2π).
    public static func density(_ z: Double) -> Double {
        0.39894228040143267794 * exp(-0.5 * z * z)
    }

    /// The quantile function Φ⁻¹(p): the z with Φ(z) = p.
    ///
    /// Method: Wichura's algorithm AS 241 (`PPND16`), rational approximations accurate to about
    /// 1e-16 relative (M. J. Wichura, "Algorithm AS 241: The percentage points of the normal
    /// distribution", Applied Statistics 37(3), 477–484, 1988). Agrees with
    /// `scipy.special.ndtri` to about 1e-15 relative.
    ///
    /// - Parameter p: A probability in [0, 1].
    /// - Returns: Φ⁻¹(p); −∞ at 0, +∞ at 1, NaN outside [0, 1] or for NaN.
    public static func quantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        let q = p - 0.5
        if abs(q) <= 0.425 {
            let r = 0.180625 - q * q
            let num = (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r
                + 67265.770927008700853) * r + 45921.953931549871457) * r
                + 13731.693765509461125) * r + 1971.5909503065514427) * r
                + 133.14166789178437745) * r + 3.387132872796366608)
            let den = (((((((r * 5226.495278852545925 + 28729.085735721942674) * r
                + 39307.89580009271061) * r + 21213.794301586595867) * r
                + 5394.1960214247511077) * r + 687.1870074920579083) * r
                + 42.313330701600911252) * r + 1)
            return q * num / den
        }
        var r = q < 0 ? p : 1 - p
        r = (-log(r)).squareRoot()
        var value: Double
        if r <= 5 {
            r -= 1.6
            let num = (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r
                + 0.24178072517745061177) * r + 1.27045825245236838258) * r
                + 3.64784832476320460504) * r + 5.7694972214606914055) * r
                + 4.6303378461565452959) * r + 1.42343711074968357734)
            let den = (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r
                + 0.0151986665636164571966) * r + 0.14810397642748007459) * r
                + 0.68976733498510000455) * r + 1.6763848301838038494) * r
                + 2.05319162663775882187) * r + 1)
            value = num / den
        } else {
            r -= 5
            let num = (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r
                + 0.0012426609473880784386) * r + 0.026532189526576123093) * r
                + 0.29656057182850489123) * r + 1.7848265399172913358) * r
                + 5.4637849111641143699) * r + 6.6579046435011037772)
            let den = (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r
                + 1.8463183175100546818e-5) * r + 7.868691311456132591e-4) * r
                + 0.0148753612908506148525) * r + 0.13692988092273580531) * r
                + 0.59983220655588793769) * r + 1)
            value = num / den
        }
        return q < 0 ? -value : value
    }
}

/// The binomial distribution Bin(n, p): the number of successes in `n` independent trials of
/// probability `p`.
///
/// The probability mass function uses Loader's saddle-point algorithm (C. Loader, "Fast and
/// accurate computation of binomial probabilities", 2000; the method of R's `dbinom`), accurate
/// to a few ulps even for large n, where the naive `lgamma` formula loses digits.
public struct BinomialDistribution: Sendable, Equatable {
    /// The number of trials, ≥ 0.
    public let trials: Int
    /// The success probability, in [0, 1].
    public let probability: Double

    /// Creates Bin(`trials`, `probability`).
    ///
    /// - Precondition: `trials ≥ 0` and `probability` in [0, 1].
    public init(trials: Int, probability: Double) {
        precondition(trials >= 0, "number of trials must be non-negative")
        precondition(probability >= 0 && probability <= 1, "probability must be in [0, 1]")
        self.trials = trials
        self.probability = probability
    }

    /// P(B = k); 0 outside 0…n.
    public func pmf(_ k: Int) -> Double {
        guard k >= 0, k <= trials else { return 0 }
        return binomialPMF(k, trials, probability, 1 - probability)
    }

    /// All probabilities P(B = k) for k = 0…n.
    ///
    /// - Complexity: O(n).
    public func pmfs() -> [Double] {
        (0...trials).map { binomialPMF($0, trials, probability, 1 - probability) }
    }

    /// P(B ≤ k), summing the mass function (exact to rounding for the small n of this product).
    ///
    /// - Complexity: O(k).
    public func cdf(_ k: Int) -> Double {
        if k < 0 { return 0 }
        if k >= trials { return 1 }
        var sum = 0.0
        for j in 0...k { sum += pmf(j) }
        return min(sum, 1)
    }
}

// MARK: - Loader's binomial probabilities

/// Stirling's error δ(z) = ln Γ(z + 1) − (z + ½) ln z + z − ln √(2π), for z > 0.
///
/// Exact table for integers and half-integers up to 15 (computed with 40-digit arithmetic),
/// the asymptotic series 1/(12z) − 1/(360z³) + … beyond 15, and `lgamma` in between (absolute
/// error a few 1e-15 there).
func stirlingError(_ z: Double) -> Double {
    // δ(k/2), k = 0…30.
    let halves: [Double] = [
        0,
        0.1534264097200273452914, 0.08106146679532725821967, 0.05481412105191765389614,
        0.04134069595540929409382, 0.03316287351993628748511, 0.02767792568499833914879,
        0.02374616365629749597133, 0.02079067210376509311152, 0.01848845053267318523078,
        0.01664469118982119216319, 0.01513497322191737887351, 0.01387612882307074799875,
        0.01281046524292022692425, 0.01189670994589177009506, 0.01110455975820691732663,
        0.01041126526197209649748, 0.00979941612615880329839, 0.009255462182712732917729,
        0.008768700134139385462955, 0.008330563433362871256469, 0.00793411456431402054725,
        0.007573675487951840794972, 0.007244554301320383179546, 0.006942840107209529865664,
        0.006665247032707682442356, 0.00640899418800420706844, 0.006171712263039457647535,
        0.005951370112758847735624, 0.005746216513010115682026, 0.005554733551962801371039,
    ]
    if z <= 15 {
        let twice = 2 * z
        if twice == twice.rounded(), twice >= 1 { return halves[Int(twice)] }
        return logGamma(z + 1) - (z + 0.5) * log(z) + z - 0.91893853320467274178
    }
    let s0 = 1.0 / 12, s1 = 1.0 / 360, s2 = 1.0 / 1260, s3 = 1.0 / 1680, s4 = 1.0 / 1188
    let zz = z * z
    if z > 500 { return (s0 - s1 / zz) / z }
    if z > 80 { return (s0 - (s1 - s2 / zz) / zz) / z }
    if z > 35 { return (s0 - (s1 - (s2 - s3 / zz) / zz) / zz) / z }
    return (s0 - (s1 - (s2 - (s3 - s4 / zz) / zz) / zz) / zz) / z
}

/// Stirling's error for an integer n ≥ 1.
func stirlingError(_ n: Int) -> Double {
    stirlingError(Double(n))
}

/// The deviance term x ln(x / m) + m − x, computed without cancellation when x ≈ m.
func devianceTerm(_ x: Double, _ m: Double) -> Double {
    if abs(x - m) < 0.1 * (x + m) {
        var v = (x - m) / (x + m)
        var s = (x - m) * v
        if abs(s) < Double.leastNormalMagnitude { return s }
        var ej = 2 * x * v
        v *= v
        var j = 1.0
        while j < 1000 {
            ej *= v
            let s1 = s + ej / (2 * j + 1)
            if s1 == s { return s1 }
            s = s1
            j += 1
        }
    }
    return x * log(x / m) + m - x
}

/// P(Bin(n, p) = k) by Loader's algorithm; `q` = 1 − p.
func binomialPMF(_ k: Int, _ n: Int, _ p: Double, _ q: Double) -> Double {
    if p == 0 { return k == 0 ? 1 : 0 }
    if q == 0 { return k == n ? 1 : 0 }
    let nd = Double(n)
    if k == 0 {
        if n == 0 { return 1 }
        return p < 0.1 ? exp(-devianceTerm(nd, nd * q) - nd * p) : pow(q, nd)
    }
    if k == n {
        return q < 0.1 ? exp(-devianceTerm(nd, nd * p) - nd * q) : pow(p, nd)
    }
    let kd = Double(k)
    let lc = stirlingError(n) - stirlingError(k) - stirlingError(n - k)
        - devianceTerm(kd, nd * p) - devianceTerm(nd - kd, nd * q)
    let lf = 1.8378770664093454836 + log(kd) + log1p(-kd / nd)
    return exp(lc - 0.5 * lf)
}
