import DoseCalCSV
import Foundation

/// An error of `dosecal stats`, as one sentence naming the file and line when there is one.
struct StatsInputError: Error, CustomStringConvertible, Equatable {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Reading a column of numbers for `dosecal stats`.
enum StatsInput {
    /// The name used for standard input in messages.
    static let standardInputName = "standard input"

    /// Parses one number per line.
    ///
    /// Blank lines and lines starting with `#` (after trimming) are skipped; surrounding spaces,
    /// tabs and a trailing carriage return are trimmed. Anything else must be a finite decimal
    /// number (`.` as the decimal separator).
    ///
    /// - Parameters:
    ///   - text: The whole input.
    ///   - source: The file name (or "standard input") for messages.
    /// - Returns: The numbers in input order.
    /// - Throws: ``StatsInputError`` naming the source, the 1-based line number and the text of the
    ///   first line that is not a finite number, or saying that the input has no numbers.
    static func parseNumbers(_ text: String, source: String) throws -> [Double] {
        var numbers: [Double] = []
        var lineNumber = 0
        // `isNewline` also matches "\r\n", which Swift treats as one Character.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let value = Double(line) else {
                throw StatsInputError("Line \(lineNumber) of \(source): \"\(line)\" is not a number.")
            }
            guard value.isFinite else {
                throw StatsInputError("Line \(lineNumber) of \(source): \"\(line)\" is not a finite number.")
            }
            guard isPlainNumber(line) else {
                throw StatsInputError("Line \(lineNumber) of \(source): \"\(line)\" is not a decimal number.")
            }
            numbers.append(value)
        }
        guard !numbers.isEmpty else {
            throw StatsInputError("No numbers in \(source) (blank lines and # comments are skipped).")
        }
        return numbers
    }

    /// Whether `text` is written as a plain decimal number (digits, sign, point, exponent), so that
    /// hexadecimal floats accepted by `Double.init` are refused.
    private static func isPlainNumber(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { "0123456789+-.eE".unicodeScalars.contains($0) }
    }

    /// Reads and parses `path`, or standard input when `path` is `nil` or "-".
    ///
    /// - Returns: The numbers and the name used for the source in messages.
    static func read(_ path: String?, column: String? = nil) throws -> (numbers: [Double], source: String) {
        if let column {
            let file = path ?? "-"
            let values = try CSVColumnReader.values(ofColumn: column, path: file)
            let name = "\(file == "-" ? standardInputName : file), column \(column)"
            guard !values.isEmpty else { throw StatsInputError("\(name) holds no number.") }
            return (values, name)
        }
        if path == nil || path == "-" {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            let text = String(decoding: data, as: UTF8.self)
            return (try parseNumbers(text, source: standardInputName), standardInputName)
        }
        let file = path!
        guard let data = FileManager.default.contents(atPath: file) else {
            throw StatsInputError("Cannot read \(file): no such file or it is not readable.")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw StatsInputError("\(file) is not UTF-8 text.")
        }
        return (try parseNumbers(text, source: file), file)
    }

    /// Parses a comma-separated list of probabilities for `--p`.
    ///
    /// - Throws: ``StatsInputError`` for an empty entry, a non-number or a value outside [0, 1].
    static func parseProbabilities(_ text: String) throws -> [Double] {
        var values: [Double] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = part.trimmingCharacters(in: .whitespaces)
            guard let value = Double(item), isPlainNumber(item) else {
                throw StatsInputError("--p: \"\(item)\" is not a number; give probabilities like 0.25,0.5,0.75.")
            }
            guard value >= 0, value <= 1 else {
                throw StatsInputError("--p: \(item) is outside the range 0 to 1.")
            }
            values.append(value)
        }
        return values
    }
}
