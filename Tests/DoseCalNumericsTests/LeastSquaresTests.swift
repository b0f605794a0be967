import Testing
@testable import DoseCalNumerics

@Suite("Least squares")
struct LeastSquaresTests {
    struct Case: Decodable {
        let label: String
        let rows, columns: Int
        let design, response: [Double]
        let coefficients: [Double]
        let rank: Int
        let singular_values: [Double]
        let standard_errors: [Double]?
        let r_squared: Double
        let adjusted_r_squared: Double?
        let residual_standard_error: Double?
        let residuals: [Double]
        let has_intercept: Bool
    }

    struct File: Decodable { let cases: [Case] }

    @Test("coefficients, standard errors, R² equal numpy.linalg.lstsq and the textbook formulas")
    func matchesNumpy() throws {
        let file = try Fixture.load("least_squares.json", as: File.self)
        #expect(file.cases.count == 8)
        for c in file.cases {
            let design = Matrix(rows: c.rows, columns: c.columns, elements: c.design)
            let fit = try LeastSquaresFit.fit(design: design, response: c.response)
            #expect(fit.rank == c.rank, "\(c.label)")
            #expect(fit.rankDeficient == (c.rank < c.columns))
            #expect(fit.hasIntercept == c.has_intercept, "\(c.label)")
            #expect(fit.degreesOfFreedom == c.rows - c.rank)
            let scale = c.coefficients.map(abs).max()!
            for (got, want) in zip(fit.coefficients, c.coefficients) {
                #expect(isClose(got, want, relative: 1e-10, absolute: 1e-10 * scale), "\(c.label): β \(got) vs \(want)")
            }
            for (got, want) in zip(fit.singularValues, c.singular_values) {
                #expect(isClose(got, want, relative: 1e-12, absolute: 1e-13 * c.singular_values[0]))
            }
            for (got, want) in zip(fit.residuals, c.residuals) {
                #expect(isClose(got, want, relative: 1e-8, absolute: 1e-10 * scale))
            }
            #expect(isClose(fit.rSquared, c.r_squared, relative: 1e-12), "\(c.label)")
            #expect(isClose(fit.adjustedRSquared, c.adjusted_r_squared, relative: 1e-12))
            #expect(isClose(fit.residualStandardError, c.residual_standard_error, relative: 1e-10))
            if let expected = c.standard_errors {
                #expect(fit.standardErrors.count == expected.count)
                for (got, want) in zip(fit.standardErrors, expected) {
                    #expect(isClose(got, want, relative: 1e-10), "\(c.label): se \(String(describing: got)) vs \(want)")
                }
            } else {
                #expect(fit.standardErrors.allSatisfy { $0 == nil }, "\(c.label)")
            }
        }
    }

    @Test("y = 2 + 3x exactly")
    func exactLine() throws {
        let xs: [Double] = [0, 1, 2, 3, 4, 5, 6]
        let design = try Matrix(rows: xs.map { [1, $0] })
        let fit = try LeastSquaresFit.fit(design: design, response: xs.map { 2 + 3 * $0 })
        #expect(isClose(fit.coefficients[0], 2, relative: 1e-14))
        #expect(isClose(fit.coefficients[1], 3, relative: 1e-14))
        #expect(fit.residuals.allSatisfy { abs($0) < 1e-13 })
        #expect(isClose(fit.rSquared, 1, relative: 1e-14))
        #expect(fit.residualStandardError! < 1e-13)
        #expect(fit.standardErrors.allSatisfy { $0! < 1e-13 })
        #expect(!fit.rankDeficient && fit.rank == 2 && fit.degreesOfFreedom == 5 && fit.hasIntercept)
        #expect(try fit.requireFullRank() == fit)
    }

    @Test("hand-checked simple regression: slope, intercept and their standard errors")
    func simpleRegression() throws {
        // x = 1...5, y = (2, 4, 5, 4, 5): slope 0.6, intercept 2.2, RSS 2.4, σ² = 0.8,
        // se(slope) = √(0.8/10), se(intercept) = √(0.8 (1/5 + 9/10)).
        let design = try Matrix(rows: [[1, 1], [1, 2], [1, 3], [1, 4], [1, 5]])
        let fit = try LeastSquaresFit.fit(design: design, response: [2, 4, 5, 4, 5])
        #expect(isClose(fit.coefficients[0], 2.2, relative: 1e-14))
        #expect(isClose(fit.coefficients[1], 0.6, relative: 1e-14))
        #expect(isClose(fit.standardErrors[1], (0.08).squareRoot(), relative: 1e-13))
        #expect(isClose(fit.standardErrors[0], (0.8 * 1.1).squareRoot(), relative: 1e-13))
        #expect(isClose(fit.rSquared, 0.6, relative: 1e-13))
        #expect(isClose(fit.adjustedRSquared, 1 - 0.4 * 4 / 3, relative: 1e-13))
    }

    @Test("collinear and near-collinear designs are reported, and requireFullRank throws")
    func rankDeficiency() throws {
        let x: [Double] = [1, 2, 3, 4, 5, 6]
        let duplicated = try Matrix(rows: x.map { [1, $0, 2 * $0] })
        let fit = try LeastSquaresFit.fit(design: duplicated, response: x.map { 1 + $0 })
        #expect(fit.rankDeficient && fit.rank == 2)
        #expect(fit.standardErrors.allSatisfy { $0 == nil })
        #expect(fit.conditionNumber > 1e10)
        #expect(throws: NumericsError.rankDeficient(rank: 2, columns: 3)) { try fit.requireFullRank() }
        // Minimum-norm solution: β₁ + 2β₂ = 1 with β₁ = β₂/2 → (0.2, 0.4).
        #expect(isClose(fit.coefficients[1], 0.2, relative: 1e-10))
        #expect(isClose(fit.coefficients[2], 0.4, relative: 1e-10))
        // A perturbation of 1e-13 still counts as collinear at the default tolerance...
        let near = try Matrix(rows: x.enumerated().map { [1, $1, 2 * $1 + ($0 == 3 ? 1e-13 : 0)] })
        #expect(try LeastSquaresFit.fit(design: near, response: x).rankDeficient)
        // ...but not with a tolerance below its relative singular value.
        #expect(try !LeastSquaresFit.fit(design: near, response: x, rankTolerance: 1e-17).rankDeficient)
        // More columns than rows.
        let wide = try LeastSquaresFit.fit(design: Matrix(rows: [[1, 2, 3], [4, 5, 6]]), response: [1, 2])
        #expect(wide.rankDeficient && wide.conditionNumber == .infinity && wide.residualStandardError == nil)
    }

    @Test("invalid input")
    func validation() throws {
        let design = try Matrix(rows: [[1, 1], [1, 2], [1, 3]])
        #expect(throws: NumericsError.dimensionMismatch(what: "response", expected: 3, got: 2)) {
            try LeastSquaresFit.fit(design: design, response: [1, 2])
        }
        #expect(throws: NumericsError.notFinite(index: 1, value: .infinity)) {
            try LeastSquaresFit.fit(design: design, response: [1, .infinity, 2])
        }
        #expect(throws: NumericsError.emptySample) {
            try LeastSquaresFit.fit(design: Matrix(rows: 0, columns: 2, elements: []), response: [])
        }
        #expect(throws: NumericsError.dimensionMismatch(what: "row 2 of the matrix", expected: 2, got: 1)) {
            try Matrix(rows: [[1, 2], [3]])
        }
        var bad = design
        bad[1, 1] = .nan
        do {
            _ = try LeastSquaresFit.fit(design: bad, response: [1, 2, 3])
            Issue.record("NaN in the design accepted")
        } catch let error as NumericsError {
            #expect(error.description.contains("row 2, column 2"))
        }
    }

    @Test("random well-conditioned problems: residuals are orthogonal to the columns")
    func orthogonality() throws {
        var random = TestRandom(seed: 51)
        for _ in 0..<50 {
            let n = random.int(4...30), p = random.int(1...min(4, n - 1))
            var rows: [[Double]] = []
            for _ in 0..<n { rows.append([1] + (1..<p).map { _ in random.normal() }) }
            let y = (0..<n).map { _ in random.normal() * 2 + 1 }
            let design = try Matrix(rows: rows)
            let fit = try LeastSquaresFit.fit(design: design, response: y)
            for j in 0..<p {
                var dot = 0.0
                for i in 0..<n { dot += design[i, j] * fit.residuals[i] }
                #expect(abs(dot) < 1e-10 * Double(n))
            }
            #expect(fit.rSquared! >= -1e-12 && fit.rSquared! <= 1 + 1e-12)
        }
    }
}
