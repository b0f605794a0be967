// The only file that imports the C shim: thin, checked wrappers around the two LAPACK routines
// the numerical core uses. Matrices are row-major `[Double]`; LAPACKE transposes internally.
// The library is opened on first use, with one OpenBLAS thread (see shim.h).
import _LAPACKEShims

/// Thin wrappers around LAPACKE (OpenBLAS).
enum LAPACK {
    /// Minimum-norm least-squares solution of A x ≈ b by the SVD (divide and conquer), `dgelsd`.
    ///
    /// - Parameters:
    ///   - a: A, row-major, `rows` × `columns`.
    ///   - b: b, `rows` entries.
    ///   - rcond: Singular values s ≤ rcond · s₁ are treated as zero.
    /// - Returns: x (`columns` entries), the singular values (descending, min(rows, columns)),
    ///   and the effective rank.
    static func leastSquares(
        _ a: [Double], rows: Int, columns: Int, b: [Double], rcond: Double
    ) throws -> (solution: [Double], singularValues: [Double], rank: Int) {
        precondition(a.count == rows * columns && b.count == rows && rows > 0 && columns > 0)
        var matrix = a
        let height = Swift.max(rows, columns)
        var rhs = b + [Double](repeating: 0, count: height - rows)
        var singular = [Double](repeating: 0, count: Swift.min(rows, columns))
        var rank: dosecal_lapack_int = 0
        guard let dgelsd = dosecal_lapacke().dgelsd else { throw NumericsError.lapackUnavailable }
        let info = dgelsd(
            LAPACK_ROW_MAJOR, dosecal_lapack_int(rows), dosecal_lapack_int(columns), 1,
            &matrix, dosecal_lapack_int(columns), &rhs, 1, &singular, rcond, &rank)
        guard info == 0 else { throw NumericsError.lapackFailure(routine: "dgelsd", info: Int(info)) }
        return (Array(rhs.prefix(columns)), singular, Int(rank))
    }

    /// The singular values and right singular vectors of A, `dgesvd` (A = U S Vᵀ).
    ///
    /// - Parameters:
    ///   - a: A, row-major, `rows` × `columns`.
    /// - Returns: The singular values (descending, min(rows, columns)) and Vᵀ, row-major
    ///   `columns` × `columns`.
    static func singularValueDecomposition(
        _ a: [Double], rows: Int, columns: Int
    ) throws -> (singularValues: [Double], vt: [Double]) {
        precondition(a.count == rows * columns && rows > 0 && columns > 0)
        var matrix = a
        var singular = [Double](repeating: 0, count: Swift.min(rows, columns))
        var u = [Double](repeating: 0, count: 1)
        var vt = [Double](repeating: 0, count: columns * columns)
        var superb = [Double](repeating: 0, count: Swift.max(1, Swift.min(rows, columns) - 1))
        guard let dgesvd = dosecal_lapacke().dgesvd else { throw NumericsError.lapackUnavailable }
        let info = dgesvd(
            LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "N")), CChar(UInt8(ascii: "A")),
            dosecal_lapack_int(rows), dosecal_lapack_int(columns), &matrix,
            dosecal_lapack_int(columns), &singular, &u, 1, &vt, dosecal_lapack_int(columns), &superb)
        guard info == 0 else { throw NumericsError.lapackFailure(routine: "dgesvd", info: Int(info)) }
        return (singular, vt)
    }
}
