/// An ordinary least-squares fit y ≈ X β, computed with the singular value decomposition
/// (LAPACK `dgelsd`, explicit rank tolerance), with the usual regression summaries.
///
/// The design matrix X is given as is: include a column of ones for an intercept. Columns whose
/// singular values fall below ``rankTolerance`` × the largest are treated as collinear: the
/// fit is then marked ``rankDeficient``, the coefficients are the minimum-norm solution (not
/// unique), and no standard errors are given. Callers that need a unique solution use
/// ``requireFullRank()``.
///
/// Standard errors: σ̂ √diag((XᵀX)⁻¹) with σ̂² = RSS/(n − p) and (XᵀX)⁻¹ = V S⁻² Vᵀ from the SVD
/// X = U S Vᵀ (never forming XᵀX). R² follows the statsmodels convention: centered
/// (1 − RSS/Σ(y − ȳ)²) when the constant vector lies in the column space of X (an intercept
/// column, or dummies that add up to one), uncentered (1 − RSS/Σy²) otherwise; adjusted
/// R² = 1 − (1 − R²)(n − c)/(n − rank), c = 1 if centered else 0. Reference: Å. Björck,
/// "Numerical Methods for Least Squares Problems", SIAM 1996, §2.
public struct LeastSquaresFit: Sendable, Equatable {
    /// β̂, one per column of the design (minimum-norm solution when rank-deficient).
    public let coefficients: [Double]
    /// Standard error of each coefficient; all `nil` when rank-deficient or when no residual
    /// degrees of freedom remain.
    public let standardErrors: [Double?]
    /// y − X β̂, one per observation, in the units of y.
    public let residuals: [Double]
    /// X β̂, one per observation, in the units of y.
    public let fitted: [Double]
    /// R² (see the type's discussion); `nil` when the total sum of squares is zero.
    public let rSquared: Double?
    /// Adjusted R²; `nil` when R² is `nil` or no residual degrees of freedom remain.
    public let adjustedRSquared: Double?
    /// σ̂ = √(RSS/(n − rank)), in the units of y; `nil` when n = rank.
    public let residualStandardError: Double?
    /// The numerical rank of the design.
    public let rank: Int
    /// The singular values of the design, descending (min(n, p) of them).
    public let singularValues: [Double]
    /// s_max / s_min; +∞ when a singular value is zero or there are fewer rows than columns.
    public let conditionNumber: Double
    /// Whether rank < number of columns.
    public let rankDeficient: Bool
    /// Residual degrees of freedom, n − rank.
    public let degreesOfFreedom: Int
    /// Whether the constant vector lies in the column space (R² is then centered).
    public let hasIntercept: Bool
    /// The relative singular-value threshold used for the rank.
    public let rankTolerance: Double

    /// Fits y ≈ X β by least squares.
    ///
    /// - Parameters:
    ///   - design: X, n × p (row-major), finite.
    ///   - response: y, n entries, finite.
    ///   - rankTolerance: Singular values ≤ `rankTolerance` × the largest count as zero
    ///     (default 1e-10, so a condition number above 1e10 is reported as rank deficiency).
    /// - Returns: The fit; check ``rankDeficient`` or call ``requireFullRank()``.
    /// - Throws: ``NumericsError/emptySample`` (no rows or no columns),
    ///   ``NumericsError/dimensionMismatch(what:expected:got:)`` (y length ≠ n),
    ///   ``NumericsError/notFinite(index:value:)`` (y),
    ///   ``NumericsError/invalidParameter(name:value:requirement:)`` (non-finite X entry or bad
    ///   tolerance), ``NumericsError/lapackFailure(routine:info:)``.
    /// - Complexity: O(n p²).
    public static func fit(design: Matrix, response: [Double], rankTolerance: Double = 1e-10) throws -> LeastSquaresFit {
        let n = design.rows, p = design.columns
        guard n > 0, p > 0 else { throw NumericsError.emptySample }
        guard response.count == n else {
            throw NumericsError.dimensionMismatch(what: "response", expected: n, got: response.count)
        }
        guard rankTolerance >= 0, rankTolerance < 1 else {
            throw NumericsError.invalidParameter(name: "rank tolerance", value: rankTolerance, requirement: "in [0, 1)")
        }
        if let index = response.firstIndex(where: { !$0.isFinite }) {
            throw NumericsError.notFinite(index: index, value: response[index])
        }
        if let index = design.elements.firstIndex(where: { !$0.isFinite }) {
            throw NumericsError.invalidParameter(
                name: "design matrix entry (row \(index / p + 1), column \(index % p + 1))",
                value: design.elements[index], requirement: "a finite number")
        }
        let solution = try LAPACK.leastSquares(design.elements, rows: n, columns: p, b: response, rcond: rankTolerance)
        let beta = solution.solution
        let rank = solution.rank
        var fitted = [Double](repeating: 0, count: n)
        var residuals = [Double](repeating: 0, count: n)
        var rss = 0.0
        for i in 0..<n {
            var sum = 0.0
            for j in 0..<p { sum += design[i, j] * beta[j] }
            fitted[i] = sum
            residuals[i] = response[i] - sum
            rss += residuals[i] * residuals[i]
        }
        let singular = solution.singularValues
        let smallest = singular.last ?? 0
        let condition = (n < p || smallest == 0) ? Double.infinity : singular[0] / smallest
        let degrees = n - rank
        let deficient = rank < p
        let hasIntercept = try containsConstant(design, rankTolerance: rankTolerance)

        var sigma: Double?
        if degrees > 0 { sigma = (rss / Double(degrees)).squareRoot() }
        var errors = [Double?](repeating: nil, count: p)
        if !deficient, let sigma {
            let svd = try LAPACK.singularValueDecomposition(design.elements, rows: n, columns: p)
            for j in 0..<p {
                var variance = 0.0
                for k in 0..<p {
                    let v = svd.vt[k * p + j]
                    variance += v * v / (svd.singularValues[k] * svd.singularValues[k])
                }
                errors[j] = sigma * variance.squareRoot()
            }
        }
        var total = 0.0
        if hasIntercept {
            let (mean, _) = meanAndVariance(response)
            for y in response { total += (y - mean) * (y - mean) }
        } else {
            for y in response { total += y * y }
        }
        let r2: Double? = total > 0 ? 1 - rss / total : nil
        var adjusted: Double?
        if let r2, degrees > 0 {
            adjusted = 1 - Double(n - (hasIntercept ? 1 : 0)) / Double(degrees) * (1 - r2)
        }
        return LeastSquaresFit(
            coefficients: beta, standardErrors: errors, residuals: residuals, fitted: fitted,
            rSquared: r2, adjustedRSquared: adjusted, residualStandardError: sigma, rank: rank,
            singularValues: singular, conditionNumber: condition, rankDeficient: deficient,
            degreesOfFreedom: degrees, hasIntercept: hasIntercept, rankTolerance: rankTolerance)
    }

    /// This fit, or an error when the design is rank-deficient.
    ///
    /// Use as `try LeastSquaresFit.fit(design: x, response: y).requireFullRank()`.
    ///
    /// - Throws: ``NumericsError/rankDeficient(rank:columns:)``.
    public func requireFullRank() throws -> LeastSquaresFit {
        if rankDeficient {
            throw NumericsError.rankDeficient(rank: rank, columns: coefficients.count)
        }
        return self
    }
}

/// Whether the vector of ones lies (numerically) in the column space of `design`.
private func containsConstant(_ design: Matrix, rankTolerance: Double) throws -> Bool {
    let n = design.rows, p = design.columns
    for j in 0..<p {
        let first = design[0, j]
        if first != 0 && (0..<n).allSatisfy({ design[$0, j] == first }) { return true }
    }
    let ones = [Double](repeating: 1, count: n)
    let solution = try LAPACK.leastSquares(design.elements, rows: n, columns: p, b: ones, rcond: rankTolerance)
    var squares = 0.0
    for i in 0..<n {
        var sum = 0.0
        for j in 0..<p { sum += design[i, j] * solution.solution[j] }
        squares += (1 - sum) * (1 - sum)
    }
    return squares.squareRoot() <= 1e-8 * Double(n).squareRoot()
}
