/// A dense real matrix stored row by row.
///
/// A plain value type for passing design matrices to ``LeastSquaresFit``; it does no
/// arithmetic of its own.
public struct Matrix: Sendable, Equatable {
    /// The number of rows (observations, for a design matrix).
    public let rows: Int
    /// The number of columns (parameters, for a design matrix).
    public let columns: Int
    /// The entries in row-major order: entry (i, j) is `elements[i * columns + j]`.
    public private(set) var elements: [Double]

    /// Creates a matrix from its entries in row-major order.
    ///
    /// - Precondition: `elements.count == rows * columns`, `rows ≥ 0`, `columns ≥ 0`.
    public init(rows: Int, columns: Int, elements: [Double]) {
        precondition(rows >= 0 && columns >= 0 && elements.count == rows * columns,
                     "matrix needs rows × columns elements")
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// Creates a matrix from an array of equally long rows.
    ///
    /// - Throws: ``NumericsError/dimensionMismatch(what:expected:got:)`` when the rows differ in
    ///   length.
    public init(rows: [[Double]]) throws {
        let columns = rows.first?.count ?? 0
        for (index, row) in rows.enumerated() where row.count != columns {
            throw NumericsError.dimensionMismatch(what: "row \(index + 1) of the matrix", expected: columns, got: row.count)
        }
        self.init(rows: rows.count, columns: columns, elements: rows.flatMap { $0 })
    }

    /// Entry (`row`, `column`), zero-based.
    public subscript(row: Int, column: Int) -> Double {
        get { elements[row * columns + column] }
        set { elements[row * columns + column] = newValue }
    }

    /// The column `column` as an array.
    public func column(_ column: Int) -> [Double] {
        (0..<rows).map { self[$0, column] }
    }
}
