import Foundation
import Testing
@testable import DoseCalCSV

@Suite("CSVWriter")
struct CSVWriterTests {
    @Test func quotesOnlyWhenNeeded() throws {
        let w = CSVWriter(lineEnding: .lf)
        try w.writeRow(["plain", "a,b", "say \"hi\"", "two\nlines", "cr\r", "", " spaced "])
        try w.writeRow([.number(0.1), .number(2), .number(1e-5), .number(nil), .number(.nan), .integer(-3), .text(nil), nil])
        try w.writeRow([.empty])
        try w.writeRow([""])
        try w.writeRow([.number(.infinity)])
        try w.flush()
        #expect(w.text == "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\",, spaced \n0.1,2.0,1e-05,,,-3,,\n\"\"\n\"\"\n\"\"\n")
        let reread = try readRows(w.bytes)
        #expect(reread.count == 5)
        #expect(reread[2].fields == [""])
    }

    @Test func crlfByDefault() throws {
        let w = CSVWriter()
        try w.writeRow(["a", "b"])
        try w.writeRow([1, 2.5])
        #expect(w.text == "a,b\r\n1,2.5\r\n")
    }

    @Test("what is written reads back identically", arguments: 0..<10)
    func roundTrip(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let pieces = ["a", "é", ",", "\"", "\n", "\r\n", " ", "x y", "1.5", "µSv"]
        var rows: [[String]] = []
        var numbers: [Double] = []
        let w = CSVWriter(lineEnding: Bool.random(using: &rng) ? .crlf : .lf)
        for _ in 0..<50 {
            let row = (0..<Int.random(in: 1...5, using: &rng)).map { _ in
                (0..<Int.random(in: 0...4, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            }
            let x = Double(bitPattern: rng.next())
            guard x.isFinite else { continue }
            rows.append(row)
            numbers.append(x)
            try w.writeRow(row.map(CSVWriter.Field.text) + [.number(x)])
        }
        let reader = CSVReader(bytes: w.bytes, name: "w.csv", chunkSize: 5)
        var i = 0
        while let r = try reader.next() {
            #expect(try (0..<r.count - 1).map { j throws(CSVError) in try r.string(at: j) } == rows[i])
            #expect(r.double(at: r.count - 1)?.bitPattern == numbers[i].bitPattern)
            i += 1
        }
        #expect(i == rows.count)
    }

    @Test func writesAFile() throws {
        let path = try makeTemporaryFolder().appendingPathComponent("out.csv").path
        let w = try CSVWriter(path: path)
        try w.writeRow(["operator_id", "cumulative_msv"])
        for i in 0..<20_000 { try w.writeRow([.text("op\(i)"), .number(Double(i) / 8)]) }
        try w.close()
        var reader = try CSVColumnReader(path: path, column: "cumulative_msv")
        var count = 0
        while let v = try reader.next() {
            #expect(v == Double(count) / 8)
            count += 1
        }
        #expect(count == 20_000)
    }

    @Test func cannotCreateInAMissingFolder() {
        let error = #expect(throws: CSVError.self) { try CSVWriter(path: "/nonexistent/dir/out.csv") }
        #expect(error?.kind == .cannotOpen)
    }
}
