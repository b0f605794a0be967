import Testing
@testable import DoseCalEngine

/// The byte interner against a dictionary, and the column sets against `Set`.
@Suite("Interner and column sets")
struct InternerAndColumnTests {
    /// Strings built to share their length and their first and last eight bytes (the interner's
    /// hash reads only those, so they collide and only the byte comparison tells them apart),
    /// with every length from 0 to 48 and some non-ASCII ones.
    private static func names(seed: UInt64) -> [[UInt8]] {
        var rng = TestRNG(state: seed)
        var out: [[UInt8]] = []
        for length in 0...48 {
            for _ in 0..<6 {
                var name = (0..<length).map { _ in UInt8.random(in: 0x21...0x7E, using: &rng) }
                out.append(name)
                if length > 16 {
                    // The same head, tail and length, one byte in the middle changed.
                    name[length / 2] = name[length / 2] == 0x41 ? 0x42 : 0x41
                    out.append(name)
                }
            }
        }
        out += ["Rhône-Alpes", "cardiologie interventionnelle", "OP-0207", "OP-0270", "é", "😀"].map { Array($0.utf8) }
        return out
    }

    @Test("ids are dense in the order strings first come, equal bytes always get the same id", arguments: [1, 2, 3] as [UInt64])
    func againstDictionary(seed: UInt64) {
        let distinct = Self.names(seed: seed)
        var rng = TestRNG(state: seed + 100)
        var interner = ByteInterner()
        var reference: [[UInt8]: Int] = [:]
        var order: [[UInt8]] = []
        for k in 0..<20_000 {
            let name = distinct[Int.random(in: 0..<distinct.count, using: &rng)]
            // Copied with slack after it, as the record scanner's fields are; every other lookup
            // with the hash its prefetch gave, as the exposures pass does.
            let padded = name + [UInt8](repeating: 0xFF, count: 8)
            let id = padded.withUnsafeBytes { all in
                let bytes = UnsafeRawBufferPointer(rebasing: all[0..<name.count])
                guard k % 2 == 1 else { return interner.id(of: bytes) }
                let h = interner.prefetch(bytes)
                #expect(h == internHash(bytes))
                return interner.id(of: bytes, hash: h)
            }
            if reference[name] == nil {
                reference[name] = order.count
                order.append(name)
            }
            #expect(id == reference[name], "\(name)")
        }
        #expect(interner.count == order.count)
        #expect(interner.strings == order.map { String(decoding: $0, as: UTF8.self) })
        for name in distinct {
            let found = name.withUnsafeBytes { interner.lookup($0) }
            #expect(found == reference[name])
        }
        let absent = Array("not interned at all, longer than thirty-two bytes".utf8)
        #expect(absent.withUnsafeBytes { interner.lookup($0) } == nil)
        // The `String` entry point finds the same ids.
        #expect(order.indices.allSatisfy { interner.id(of: String(decoding: order[$0], as: UTF8.self)) == $0 })
        #expect(interner.count == order.count)
    }

    @Test("a column set holds exactly its distinct positions, below 64 and past it", arguments: [1, 2, 3] as [UInt64])
    func columnSets(seed: UInt64) {
        var rng = TestRNG(state: seed)
        for _ in 0..<2_000 {
            let nearCount = Int.random(in: 0...6, using: &rng)
            var positions = (0..<nearCount).map { _ in Int.random(in: 0..<64, using: &rng) }
            // Now and then a header wider than 64 columns (at most eight such positions).
            if Bool.random(using: &rng) {
                positions += (0..<Int.random(in: 1...4, using: &rng)).map { _ in Int.random(in: 64..<300, using: &rng) }
            }
            positions.shuffle(using: &rng)
            let list = ColumnList(positions)
            let visited = Array(list)
            #expect(Set(visited) == Set(positions), "\(positions)")
            #expect(visited.count == Set(positions).count, "each position once: \(visited)")
            #expect(list.count == Set(positions).count)
        }
        #expect(Array(ColumnList([])).isEmpty)
        #expect(Array(ColumnList([63, 0, 64])) == [0, 63, 64])
    }
}
