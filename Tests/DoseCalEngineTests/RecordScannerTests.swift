import DoseCalCSV
import Foundation
import Testing
import _EngineShims
@testable import DoseCalEngine

/// The engine's record scanner (its 64-byte fast path and its state machine) against
/// DoseCalCSV's reader on random files: the same records, fields and lines, or both failing.
@Suite("Record scanner equals the CSV reader")
struct RecordScannerTests {
    /// A random CSV text: plain, quoted (commas, doubled quotes, line feeds, empty) and long
    /// fields, LF or CRLF ends, empty lines; with `malformed`, now and then a bare CR or a
    /// quote inside an unquoted field.
    private func randomCSV(_ rng: inout TestRNG, records: Int, malformed: Bool) -> [UInt8] {
        func pick<T>(_ xs: [T]) -> T { xs[Int.random(in: 0..<xs.count, using: &rng)] }
        var text = ""
        for _ in 0..<records {
            // Now and then a wide record of mostly empty fields: blocks full of commas, more
            // fields than the scanner first has room for.
            let wide = Int.random(in: 0..<12, using: &rng) == 0
            let fields = (0..<Int.random(in: wide ? 60...300 : 1...9, using: &rng)).map { _ -> String in
                if wide { return pick(["", "", "", "1", "\"\"", "\"a,\"\"b\"", "xy"]) }
                switch Int.random(in: 0..<10, using: &rng) {
                case 0: return ""
                case 1: return "\"\""
                case 2: return "\"" + pick(["a,b", "say \"\"hi\"\"", "two\nlines", "x", " padded ", "TIPS, \"\"shunt\"\""]) + "\""
                case 3: return String(repeating: pick(["abc", "1.25", " "]), count: Int.random(in: 20...120, using: &rng))
                case 4: return "\"" + String(repeating: "q,", count: Int.random(in: 30...80, using: &rng)) + "\""
                default: return pick(["1.2.826.0.1.3680043.10.543.\(Int.random(in: 0...99_999, using: &rng))", "20.94", "OP-0207",
                                      "2015-01-01T16:04:44", "coronary angiography", "é"])
                }
            }
            text += fields.joined(separator: ",")
            if malformed && Int.random(in: 0..<25, using: &rng) == 0 { text += pick(["\rx", "a\"b", "\"open"]) }
            text += pick(["\n", "\n", "\r\n"])
            if Int.random(in: 0..<15, using: &rng) == 0 { text += pick(["\n", "\r\n"]) }
        }
        if Bool.random(using: &rng) { text.removeLast() }  // sometimes no final line end
        return Array(text.utf8)
    }

    private typealias Parsed = (records: [(line: Int, fields: [[UInt8]])], failed: Bool)

    private func viaReader(_ bytes: [UInt8]) -> Parsed {
        let reader = CSVReader(bytes: bytes, name: "t.csv")
        var out: [(line: Int, fields: [[UInt8]])] = []
        do {
            while let r = try reader.next() {
                out.append((r.line, (0..<r.count).map { i in r.withBytes(at: i) { Array($0) } }))
            }
        } catch { return (out, true) }
        return (out, false)
    }

    /// The records as the scanner reads them; `asciiRecords` counts the records it calls all
    /// ASCII (``RecordScanner/recordIsASCII``), each checked to be so.
    private func viaScanner(_ path: String, chunkSize: Int, asciiRecords: inout Int) -> Parsed {
        var out: [(line: Int, fields: [[UInt8]])] = []
        do {
            let s = try RecordScanner(path: path, offset: 0, chunkSize: chunkSize)
            while try s.next() {
                out.append((s.relativeLine, (0..<s.fieldCount).map { Array(s.bytes(of: $0)) }))
                if s.recordIsASCII {
                    asciiRecords += 1
                    #expect(s.rawRecord.allSatisfy { $0 < 0x80 }, "line \(s.relativeLine) is not ASCII")
                }
            }
        } catch { return (out, true) }
        return (out, false)
    }

    @Test("random files, chunk sizes from 64 bytes to 1 MiB", arguments: [false, true])
    func randomFiles(malformed: Bool) throws {
        var rng = TestRNG(state: malformed ? 23 : 29)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dosecal-scanner-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var failures = 0
        var asciiRecords = 0
        for round in 0..<60 {
            let bytes = randomCSV(&rng, records: Int.random(in: 1...400, using: &rng), malformed: malformed)
            let path = dir.appendingPathComponent("\(round).csv").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let expected = viaReader(bytes)
            if expected.failed { failures += 1 }
            for chunk in [64, 200, 4096, 1 << 20] {
                let got = viaScanner(path, chunkSize: chunk, asciiRecords: &asciiRecords)
                #expect(got.failed == expected.failed, "round \(round), chunk \(chunk)")
                let n = expected.failed ? min(got.records.count, expected.records.count) : expected.records.count
                #expect(expected.failed || got.records.count == expected.records.count, "round \(round), chunk \(chunk)")
                for i in 0..<min(n, got.records.count) {
                    #expect(got.records[i].line == expected.records[i].line && got.records[i].fields == expected.records[i].fields,
                            "round \(round), chunk \(chunk), record \(i)")
                }
            }
        }
        if malformed { #expect(failures > 10, "malformed files must occur") }
        #expect(asciiRecords > 1_000, "the fast path must know most ASCII records to be ASCII")
    }

    @Test("the buffer classifier (AVX2 where the CPU has it) equals the 64-byte one, block by block")
    func bulkClassifier() {
        var rng = TestRNG(state: 41)
        // Bytes biased towards the classified ones, every byte value possible.
        let special: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: "\""), 10, 13, 0x80, 0xFF, 0x7F, 0x2B, 0x2D]
        for blocks in [0, 1, 2, 3, 17, 64] {
            let bytes = (0..<64 * blocks).map { _ in
                Bool.random(using: &rng) ? special[Int.random(in: 0..<special.count, using: &rng)] : UInt8.random(in: 0...255, using: &rng)
            }
            var commas = [UInt64](repeating: 0, count: blocks + 1), others = commas, high = commas
            bytes.withUnsafeBufferPointer { b in
                dosecal_classify_blocks(b.baseAddress ?? UnsafePointer(bitPattern: 64)!, blocks, &commas, &others, &high)
            }
            for k in 0..<blocks {
                var c: UInt64 = 0, o: UInt64 = 0, h: UInt64 = 0
                bytes.withUnsafeBufferPointer { dosecal_classify64($0.baseAddress! + 64 * k, &c, &o, &h) }
                #expect(commas[k] == c && others[k] == o && high[k] == h, "block \(k) of \(blocks)")
                // And the masks are what they say, byte by byte.
                for i in 0..<64 {
                    let byte = bytes[64 * k + i]
                    #expect((c >> UInt64(i) & 1 == 1) == (byte == UInt8(ascii: ",")))
                    #expect((o >> UInt64(i) & 1 == 1) == (byte == UInt8(ascii: "\"") || byte == 10 || byte == 13))
                    #expect((h >> UInt64(i) & 1 == 1) == (byte >= 0x80))
                }
            }
        }
    }
}
