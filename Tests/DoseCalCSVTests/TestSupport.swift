import Foundation
@testable import DoseCalCSV

/// SplitMix64 (Steele, Lea & Flood 2014): a small seeded generator, so failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// One folder under the system temporary directory for the whole test process, removed when
/// the process exits.
private let temporaryRoot: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("DoseCalCSVTests-\(UUID().uuidString)")
    atexit { try? FileManager.default.removeItem(at: temporaryRoot) }
    return url
}()

/// A fresh folder in the test process's temporary folder.
func makeTemporaryFolder() throws -> URL {
    let url = temporaryRoot.appendingPathComponent(UUID().uuidString)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Writes `bytes` to a new temporary file and returns its path.
func writeTemporaryFile(_ bytes: [UInt8], named name: String = "data.csv") throws -> String {
    let url = try makeTemporaryFolder().appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
}

func writeTemporaryFile(_ text: String, named name: String = "data.csv") throws -> String {
    try writeTemporaryFile(Array(text.utf8), named: name)
}

/// A record as plain values, for comparisons.
struct Row: Equatable, CustomStringConvertible {
    var line: Int
    var fields: [String]
    var description: String { "\(line): \(fields)" }
}

/// Every record of `bytes`, read `chunkSize` bytes at a time.
func readRows(_ bytes: [UInt8], chunkSize: Int = CSVReader.defaultChunkSize, name: String = "t.csv") throws(CSVError) -> [Row] {
    let reader = CSVReader(bytes: bytes, name: name, chunkSize: chunkSize)
    var rows: [Row] = []
    while let record = try reader.next() {
        var fields: [String] = []
        for i in 0..<record.count { fields.append(try record.string(at: i)) }
        rows.append(Row(line: record.line, fields: fields))
    }
    return rows
}

func readRows(_ text: String, chunkSize: Int = CSVReader.defaultChunkSize) throws(CSVError) -> [Row] {
    try readRows(Array(text.utf8), chunkSize: chunkSize)
}

/// The error thrown while reading all of `text`, if any.
func readError(_ text: String, chunkSize: Int = CSVReader.defaultChunkSize) -> CSVError? {
    do {
        _ = try readRows(Array(text.utf8), chunkSize: chunkSize)
        return nil
    } catch {
        return error
    }
}

/// One CSV line from fields, quoting where RFC 4180 needs it.
func csvLine(_ fields: [String]) -> String {
    fields.map { field in
        field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            : field
    }.joined(separator: ",")
}

/// The chunk sizes every reader test runs with: tiny ones put buffer boundaries everywhere.
let chunkSizes = [1, 2, 3, 7, 64, CSVReader.defaultChunkSize]
