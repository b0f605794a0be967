import Testing
@testable import DoseCalDICOM

/// Malformed input must end in a thrown error, never a trap or a hang.
@Suite("Robustness", .timeLimit(.minutes(1)))
struct FuzzTests {
    static let styles: [(String, W.Style)] = [("explicit defined", .explicitDefined), ("implicit undefined", .implicitUndefined)]

    @Test("every truncation of a small report throws", arguments: styles.map(\.0))
    func truncation(style name: String) throws {
        let style = try #require(Self.styles.first { $0.0 == name }?.1)
        let bytes = RDSRDocument.small.bytes(style)
        #expect(bytes.count < 2500)
        let full = try RDSRReport(bytes: bytes, name: "small")
        #expect(full.events == 1 && approx(full.kapTotalGyCm2, 12))
        for n in 0..<bytes.count {
            do {
                _ = try RDSRReport(bytes: Array(bytes[0..<n]), name: "cut")
                Issue.record("a file cut to \(n) of \(bytes.count) bytes was read without error")
            } catch let e as DICOMError {
                if let offset = e.offset { #expect(offset <= n, "offset \(offset) past the end at length \(n)") }
            }
        }
    }

    @Test("every truncation of a deflated report throws")
    func deflatedTruncation() throws {
        var bytes = W.part10([], style: .explicitDefined, transferSyntax: W.deflatedLE)
        let header = bytes.count
        bytes += W.storedDeflate(W.encode(RDSRDocument.small.nodes, .explicitUndefined), blockSize: 200)
        _ = try RDSRReport(bytes: bytes, name: "d")
        for n in header..<bytes.count {
            #expect(throws: DICOMError.self) { try RDSRReport(bytes: Array(bytes[0..<n]), name: "cut") }
        }
    }

    @Test("1000 seeded random byte changes per encoding give a report or an error", arguments: styles.map(\.0))
    func byteFlips(style name: String) throws {
        let style = try #require(Self.styles.first { $0.0 == name }?.1)
        let original = RDSRDocument.biplane.bytes(style)
        var rng = SplitMix64(seed: 0xD05E_CA1)
        var read = 0, refused = 0
        for _ in 0..<1000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let i = Int.random(in: 132..<bytes.count, using: &rng)
                // Half the time a structural value (length bytes 0xFF, delimiters), else random.
                bytes[i] = Bool.random(using: &rng) ? [0xFF, 0x00, 0xFE, 0xE0, 0xDD][Int.random(in: 0..<5, using: &rng)] : UInt8.random(in: 0...255, using: &rng)
            }
            do {
                let r = try RDSRReport(bytes: bytes, name: "flip")
                _ = (r.kapTotalGyCm2, r.notes.count, r.procedure(room: "r", specialty: "s", procedureType: "t"))
                read += 1
            } catch is DICOMError {
                refused += 1
            }
        }
        #expect(read + refused == 1000)
        #expect(read > 0 && refused > 0)
    }

    @Test("random changes inside deflate data never trap")
    func inflateFlips() {
        let data = W.encode(RDSRDocument.small.nodes, .explicitDefined)
        // A fixed-Huffman stream (type 1) followed by random bytes exercises the Huffman decoder.
        var rng = SplitMix64(seed: 42)
        for _ in 0..<2000 {
            var stream = W.storedDeflate(data)
            let i = Int.random(in: 0..<stream.count, using: &rng)
            stream[i] = UInt8.random(in: 0...255, using: &rng)
            if Bool.random(using: &rng) { stream[0] = [0x02, 0x03, 0x04, 0x05][Int.random(in: 0..<4, using: &rng)] }
            _ = try? Inflate.inflate(stream[...], maxOutput: 1 << 16)
        }
        for _ in 0..<2000 {
            let random = (0..<Int.random(in: 1...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            _ = try? Inflate.inflate(random[...], maxOutput: 1 << 16)
        }
    }

    @Test("absurd lengths are refused without allocating")
    func hugeLengths() {
        let base = W.part10([], style: .explicitDefined)
        // (0040,A730) SQ of length 0xFFFFFFF0, and a UT of length 0xFFFFFFFE.
        for tail in [
            W.u16(0x0040) + W.u16(0xA730) + Array("SQ".utf8) + [0, 0] + W.u32(0xFFFF_FFF0),
            W.u16(0x0040) + W.u16(0xA160) + Array("UT".utf8) + [0, 0] + W.u32(0xFFFF_FFFE),
            W.u16(0x0008) + W.u16(0x0070) + Array("LO".utf8) + W.u16(0xFFFF),
        ] {
            let e = #expect(throws: DICOMError.self) { try DICOMFile(bytes: base + tail) }
            #expect(e?.kind == .truncated)
        }
    }
}
