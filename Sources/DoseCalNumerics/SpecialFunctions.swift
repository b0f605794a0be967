#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The natural logarithm of the absolute value of the gamma function, ln |Γ(x)|.
///
/// Uses the C library's reentrant `lgamma_r`, so it is safe to call concurrently (plain `lgamma`
/// writes the global `signgam`).
@inlinable
public func logGamma(_ x: Double) -> Double {
    var sign: Int32 = 0
    return lgamma_r(x, &sign)
}

/// The natural logarithm of the beta function, ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b).
///
/// - Parameters:
///   - a: First shape parameter, > 0.
///   - b: Second shape parameter, > 0.
/// - Returns: ln B(a, b); NaN when a parameter is not positive.
public func logBeta(_ a: Double, _ b: Double) -> Double {
    guard a > 0, b > 0 else { return .nan }
    return logGamma(a) + logGamma(b) - logGamma(a + b)
}

/// The regularized incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b).
///
/// This is the distribution function at `x` of the Beta(a, b) distribution; it is the weight
/// function of the Harrell–Davis quantile estimator and gives binomial tail probabilities,
/// P(Bin(n, p) ≤ k) = I_{1−p}(n − k, k + 1).
///
/// Method: a continued fraction evaluated by forward recurrence — the form `BFRAC` of
/// A. R. DiDonato, A. H. Morris, "Algorithm 708: Significant digit computation of the incomplete
/// beta function ratios", ACM TOMS 18(3), 1992 (the Lentz-evaluated fraction of Numerical
/// Recipes §6.4 is the same expansion written differently, but it loses about log₂(a + b) bits
/// near the mean, which this form avoids). It is applied directly when
/// λ = a − (a + b)x ≥ 0 (λ by a fused multiply-add) and through the symmetry
/// I_x(a, b) = 1 − I_{1−x}(b, a) otherwise. The prefactor xᵃ(1 − x)ᵇ / B(a, b) uses Stirling's
/// formula with Loader's deviance terms rather than differences of ln Γ.
///
/// Accuracy, checked against 50-digit values: a few 1e-15 relative near the centre of the
/// distribution; in the far tails (results like 1e-90) the relative error grows like
/// ε·|ln I|, which is the conditioning of xᵃ itself. `scipy.special.betainc` agrees to ~3e-14.
///
/// - Parameters:
///   - a: First shape parameter, > 0.
///   - b: Second shape parameter, > 0.
///   - x: The argument, in [0, 1].
/// - Returns: I_x(a, b) in [0, 1]; NaN when a parameter is out of its domain (like the C math
///   library, no error is thrown).
/// - Complexity: O(√max(a, b)) steps of the continued fraction.
public func betaIncomplete(_ a: Double, _ b: Double, _ x: Double) -> Double {
    guard a > 0, b > 0, x >= 0, x <= 1, a.isFinite, b.isFinite else { return .nan }
    if x == 0 { return 0 }
    if x == 1 { return 1 }
    let y = 1 - x
    let lambda = a.addingProduct(-(a + b), x)
    if lambda >= 0 {
        return min(1, betaPowerTerm(a, b, x, y) * betaContinuedFraction(a, b, x, y, lambda: lambda))
    } else {
        return max(0, 1 - betaPowerTerm(b, a, y, x) * betaContinuedFraction(b, a, y, x, lambda: -lambda))
    }
}

/// xᵃ yᵇ / B(a, b) with y = 1 − x, through Stirling's formula so that no large logarithms
/// cancel: √(ab / (2π(a + b))) · exp(δ(a + b) − δ(a) − δ(b) − D(a, x(a + b)) − D(b, y(a + b))),
/// with δ Stirling's error and D(u, m) = u ln(u/m) + m − u (C. Loader's binomial method, which
/// R's `dbeta` uses too).
private func betaPowerTerm(_ a: Double, _ b: Double, _ x: Double, _ y: Double) -> Double {
    let n = a + b
    let exponent = stirlingError(n) - stirlingError(a) - stirlingError(b)
        - devianceTerm(a, x * n) - devianceTerm(b, y * n)
    return (a * b / (2 * Double.pi * n)).squareRoot() * exp(exponent)
}

/// The continued fraction `BFRAC` of TOMS 708 for I_x(a, b) / (xᵃ yᵇ / B(a, b)), valid for
/// λ = a − (a + b)x ≥ 0; forward recurrence with renormalisation.
private func betaContinuedFraction(_ a: Double, _ b: Double, _ x: Double, _ y: Double, lambda: Double) -> Double {
    let c = lambda + 1
    let c0 = b / a
    let c1 = 1 / a + 1
    let yp1 = y + 1
    var n = 0.0
    var p = 1.0
    var s = a + 1
    var an = 0.0, bn = 1.0
    var anp1 = 1.0, bnp1 = c / c1
    var r = c1 / c
    while n < 10_000 {
        n += 1
        var t = n / a
        let w = n * (b - n) * x
        var e = a / s
        let alpha = p * (p + c0) * e * e * (w * x)
        e = (t + 1) / (c1 + t + t)
        let beta = n + w / s + e * (c + n * yp1)
        p = t + 1
        s += 2
        t = alpha * an + beta * anp1
        an = anp1
        anp1 = t
        t = alpha * bn + beta * bnp1
        bn = bnp1
        bnp1 = t
        let previous = r
        r = anp1 / bnp1
        if abs(r - previous) <= Double.ulpOfOne * r { break }
        an /= bnp1
        bn /= bnp1
        anp1 = r
        bnp1 = 1
    }
    return r
}
