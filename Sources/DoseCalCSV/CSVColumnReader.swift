/// Reads one named column of any CSV file as numbers (for `dosecal stats --column NAME`).
///
/// The file needs a header row; the column is found by exact name (other columns, even
/// repeated ones, are ignored). Cells that are empty or only whitespace are skipped; every other
/// cell must be a finite decimal number (``parseDouble(_:)-(UnsafeRawBufferPointer)``,
/// surrounding whitespace ignored), or reading stops with a ``CSVError`` naming the line and the
/// value. A row whose field count differs from the header's is an error too, since its cells
/// cannot be matched to columns.
///
/// - Complexity: O(file size) time, memory O(1) beyond the reader's buffer when consumed with
///   ``next()``; ``values(ofColumn:path:)`` keeps the values.
public struct CSVColumnReader {
    /// The column read.
    public let column: String
    /// The underlying reader, for its name and progress.
    public let reader: CSVReader
    private let index: Int
    private let fieldCount: Int

    /// The file name used in messages.
    public var sourceName: String { reader.sourceName }

    /// Opens `path` (or standard input for `-`) and finds `column` in its header.
    /// - Throws: ``CSVError``: the file cannot be opened, has no header, has no such column
    ///   (``CSVError/Kind/missingColumns``) or names it twice (``CSVError/Kind/duplicateColumns``).
    public init(path: String, column: String, name: String? = nil) throws(CSVError) {
        try self.init(reader: CSVReader(path: path, name: name), column: column)
    }

    /// Reads `column` from a reader positioned at the header.
    /// - Throws: as ``init(path:column:name:)``.
    public init(reader: CSVReader, column: String) throws(CSVError) {
        let table = try CSVTable(reader: reader, required: [column], optional: [])
        self.reader = reader
        self.column = column
        index = table.index[column]!
        fieldCount = table.header.count
    }

    /// The next number of the column, skipping empty cells; `nil` at the end of the file.
    /// - Throws: ``CSVError`` (``CSVError/Kind/notANumber``, ``CSVError/Kind/fieldCount``, or a
    ///   reading error).
    public mutating func next() throws(CSVError) -> Double? {
        while let record = try reader.next() {
            guard record.count == fieldCount else {
                throw CSVError(
                    .fieldCount, file: reader.sourceName, line: record.line,
                    message: "the row has \(record.count) field\(record.count == 1 ? "" : "s") but the header has \(fieldCount)")
            }
            if let value = record.double(at: index), value.isFinite { return value }
            if record.isBlank(at: index) { continue }
            let text = record.lossyString(at: index)
            throw CSVError(
                .notANumber, file: reader.sourceName, line: record.line, column: column, value: text,
                message: "column \(column): \"\(text)\" is not a finite decimal number")
        }
        return nil
    }

    /// Every number of `column` in `path`, in file order, empty cells skipped.
    /// - Throws: as ``init(path:column:name:)`` and ``next()``.
    public static func values(ofColumn column: String, path: String) throws(CSVError) -> [Double] {
        var reader = try CSVColumnReader(path: path, column: column)
        var values: [Double] = []
        while let value = try reader.next() { values.append(value) }
        return values
    }
}
