import Testing
@testable import DoseCalEngine

/// The join's key table on made-up digests: file order decides duplicates, a 64-bit key with
/// another check is a collision, keys sharing home slot and fingerprint are told apart.
@Suite("Procedure index")
struct ProcedureIndexTests {
    private func row(_ key: UInt64, _ check: UInt32, day: Int32 = 100) -> ProcedureRow {
        var r = ProcedureRow(digest: KeyDigest(key: key, check: check))
        r.day = day
        r.valid = true
        return r
    }

    @Test("duplicates in file order across both parts, on one and two threads", arguments: [1, 2])
    func duplicates(threads: Int) {
        // Keys in both halves of the table (top bit), equal low bits and fingerprints.
        let a: UInt64 = 0x8012_3400_0000_0001, b: UInt64 = 0x0012_3400_0000_0001, c: UInt64 = 0x0012_3500_0000_0001
        let first = [row(a, 7, day: 50), row(b, 8), row(c, 9, day: 300)]
        let second = [row(b, 8, day: 10), row(a, 7, day: 400), row(0x0000_0000_0000_0002, 1)]
        var index = ProcedureIndex(first: (first, []), second: (second, []))
        let claims = index.claimAll(threads: threads)
        #expect(!claims.collision)
        #expect(claims.duplicates.map(\.row) == [3, 4])
        #expect(claims.duplicates.map(\.of) == [1, 0])
        #expect(claims.firstDay == 50 && claims.lastDay == 300, "duplicates' days do not count")
        #expect(claims.specialtyCounts(days: 0...1000, specialties: 2) == [4, 0])
        #expect(claims.specialtyCounts(days: 0...99, specialties: 1) == [1], "the duplicate of day 10 is not counted")
        #expect(claims.specialtyCounts(days: 100...300, specialties: 1) == [3])
        #expect(!index.isClaimer(3) && !index.row(4).valid)
        for (g, k) in [(0, a), (1, b), (2, c), (5, UInt64(2))] {
            let check: UInt32 = g == 0 ? 7 : g == 1 ? 8 : g == 2 ? 9 : 1
            guard case let .found(r) = index.find(KeyDigest(key: k, check: check)) else {
                Issue.record("key \(k) not found")
                continue
            }
            #expect(r == g)
        }
        if case .absent = index.find(KeyDigest(key: 0x0012_3400_0000_0003, check: 8)) {} else { Issue.record("absent key found") }
    }

    @Test("a row claimed a digest exactly when its key and kept check match and it is the claimer")
    func claimedDigest() {
        var rng = TestRNG(state: 77)
        for _ in 0..<20_000 {
            let key = UInt64.random(in: 0...UInt64.max, using: &rng), check = UInt32.random(in: 0...UInt32.max, using: &rng)
            var r = row(key, check, day: Int32.random(in: 0...Int32(ProcedureRow.maximumDay), using: &rng))
            r.valid = Bool.random(using: &rng)
            r.claimer = Bool.random(using: &rng)
            r.procedureType = UInt16.random(in: 0...UInt16.max, using: &rng)
            r.specialty = UInt8.random(in: 0...UInt8.max, using: &rng)
            // The same digest, one flipped bit of the key, of the kept check, of the check past
            // the 21 bits kept.
            let probes = [KeyDigest(key: key, check: check), KeyDigest(key: key ^ 1 << UInt64.random(in: 0...63, using: &rng), check: check),
                          KeyDigest(key: key, check: check ^ 1 << UInt32.random(in: 0...20, using: &rng)),
                          KeyDigest(key: key, check: check ^ 1 << UInt32.random(in: 21...31, using: &rng))]
            for d in probes {
                #expect(r.claimed(d) == (r.matches(d) && r.claimer), "\(key) \(check) \(d)")
            }
            #expect(r.claimed(probes[0]) == r.claimer && !r.claimed(probes[1]) && !r.claimed(probes[2]) && r.claimed(probes[3]) == r.claimer)
        }
    }

    @Test("same 64-bit key, other check: a collision, when claiming and when looking up")
    func collision() {
        var index = ProcedureIndex(first: ([row(42, 1)], []), second: ([row(42, 2)], []))
        #expect(index.claimAll(threads: 2).collision)
        var clean = ProcedureIndex(first: ([row(42, 1)], []), second: ([], []))
        #expect(!clean.claimAll(threads: 1).collision)
        if case .collision = clean.find(KeyDigest(key: 42, check: 3)) {} else { Issue.record("collision not seen") }
    }

    @Test("many random keys: every one found at its row")
    func manyKeys() {
        var rng = TestRNG(state: 31)
        let keys = (0..<50_000).map { _ in UInt64.random(in: 0...UInt64.max, using: &rng) }
        let rows = keys.map { row($0, UInt32(truncatingIfNeeded: $0 >> 7)) }
        var index = ProcedureIndex(first: (Array(rows[..<20_000]), []), second: (Array(rows[20_000...]), []))
        #expect(index.claimAll(threads: 2).duplicates.isEmpty)
        for (g, k) in keys.enumerated() {
            guard case let .found(r) = index.find(KeyDigest(key: k, check: UInt32(truncatingIfNeeded: k >> 7))), r == g else {
                Issue.record("key \(g) not found at its row")
                return
            }
        }
    }

    @Test("a part's ids mapped to the global ones, on one thread and on two", arguments: [100, 70_000])
    func remap(count: Int) {
        var rng = TestRNG(state: UInt64(count))
        var rows = (0..<count).map { _ in
            var r = row(UInt64.random(in: 0...UInt64.max, using: &rng), 1)
            r.specialty = UInt8.random(in: 0..<4, using: &rng)
            r.procedureType = UInt16.random(in: 0..<9, using: &rng)
            r.valid = Int.random(in: 0..<10, using: &rng) != 0
            return r
        }
        let specialtyMap: [UInt8] = [2, 0, 3, 1], typeMap: [UInt16] = [8, 7, 6, 5, 4, 3, 2, 1, 0]
        let expected = rows.map { r -> [Int] in
            r.valid ? [Int(specialtyMap[Int(r.specialty)]), Int(typeMap[Int(r.procedureType)])] : [Int(r.specialty), Int(r.procedureType)]
        }
        remapIDs(&rows, specialtyMap: specialtyMap, typeMap: typeMap)
        #expect(rows.map { [Int($0.specialty), Int($0.procedureType)] } == expected, "invalid rows keep their ids")
        let before = rows.map { [Int($0.specialty), Int($0.procedureType)] }
        remapIDs(&rows, specialtyMap: [0, 1, 2, 3], typeMap: (0..<9).map { UInt16($0) })
        #expect(rows.map { [Int($0.specialty), Int($0.procedureType)] } == before, "identity maps change nothing")
    }
}
