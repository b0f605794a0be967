import Dispatch
import Testing
@testable import DoseCalEngine

/// The exposure ranges' pair words: each range sees only its own pairs, whatever the other
/// range wrote into the same word, also when both write at once.
@Suite("Seen pairs")
struct SeenPairsTests {
    @Test("two ranges in one word: the same local operator id is two different pairs")
    func twoRanges() {
        let words = ZeroedWords(count: 100)
        var a = SeenPairs(words: words, part: 0), b = SeenPairs(words: words, part: 1)
        // Each insert's outcome, in order: new, new in the other range, then repeats in each.
        var outcomes = [a.insert(row: 5, operator: 3), b.insert(row: 5, operator: 3)]
        outcomes += [a.insert(row: 5, operator: 3), b.insert(row: 5, operator: 3)]
        #expect(outcomes == [true, true, false, false], "the other range's operator 3 is another operator")
        // The word is full: further pairs go to each range's own set.
        outcomes = [a.insert(row: 5, operator: 4), a.insert(row: 5, operator: 4), b.insert(row: 5, operator: 4), b.insert(row: 5, operator: 4)]
        #expect(outcomes == [true, false, true, false])
        outcomes = [a.insert(row: 7, operator: 40_000), a.insert(row: 7, operator: 40_000)]
        #expect(outcomes == [true, false], "ids past 15 bits")
        #expect(a.contains(row: 5, operator: 3) && a.contains(row: 5, operator: 4) && !a.contains(row: 5, operator: 9))
        #expect(b.contains(row: 5, operator: 4) && !b.contains(row: 7, operator: 40_000))
        var pairs: [[Int]] = []
        a.forEach { pairs.append([$0, $1]) }
        #expect(Set(pairs) == [[5, 3], [5, 4], [7, 40_000]])
        pairs = []
        b.forEach(rows: 0..<6) { pairs.append([$0, $1]) }
        #expect(Set(pairs) == [[5, 3], [5, 4]])
        #expect(a.lowest == 5 && a.highest == 7)
    }

    @Test("both ranges inserting at once agree with a set per range", arguments: [1, 2, 3] as [UInt64])
    func concurrent(seed: UInt64) {
        let rows = 300
        let words = ZeroedWords(count: rows)
        // Each range's pairs, with repeats, drawn from few rows so that words are fought over.
        let draws: [[(Int, Int)]] = (0..<2).map { k in
            var rng = TestRNG(state: seed * 10 + UInt64(k))
            return (0..<200_000).map { _ in (Int.random(in: 0..<rows, using: &rng), Int.random(in: 0..<6, using: &rng)) }
        }
        let results = UnsafeMutablePointer<[Bool]>.allocate(capacity: 2)
        results.initialize(repeating: [], count: 2)
        defer { results.deinitialize(count: 2); results.deallocate() }
        let out = ResultSlots(base: results)
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            var seen = SeenPairs(words: words, part: k)
            out.base[k] = draws[k].map { seen.insert(row: $0.0, operator: $0.1) }
        }
        for k in 0..<2 {
            var model = Set<[Int]>()
            var expected: [Bool] = []
            for (row, op) in draws[k] { expected.append(model.insert([row, op]).inserted) }
            #expect(results[k] == expected, "range \(k)")
        }
    }

    @Test("a pair held by both ranges is found, through shared words or each range's own set",
          arguments: [(11, false), (12, false), (13, true), (14, true)] as [(UInt64, Bool)])
    func sharedPairs(seed: UInt64, crowded: Bool) {
        var rng = TestRNG(state: seed)
        for trial in 0..<200 {
            let rows = 40
            let words = ZeroedWords(count: rows)
            var a = SeenPairs(words: words, part: 0), b = SeenPairs(words: words, part: 1)
            // Operator names as numbers; each range numbers the names it meets in its own order.
            var aIDs: [Int: Int] = [:], bIDs: [Int: Int] = [:]
            var aPairs = Set<[Int]>(), bPairs = Set<[Int]>()
            let draws = crowded ? 60 : 12
            for _ in 0..<draws {
                let row = Int.random(in: 0..<rows, using: &rng), name = Int.random(in: 0..<(crowded ? 8 : 5), using: &rng)
                let inA = Bool.random(using: &rng)
                // Now and then an operator id past the words' 15 bits.
                let big = crowded && Int.random(in: 0..<10, using: &rng) == 0 ? 40_000 : 0
                if inA {
                    let id = aIDs[name] ?? aIDs.count + big
                    aIDs[name] = id
                    _ = a.insert(row: row, operator: id)
                    aPairs.insert([row, name])
                } else {
                    let id = bIDs[name] ?? bIDs.count + big
                    bIDs[name] = id
                    _ = b.insert(row: row, operator: id)
                    bPairs.insert([row, name])
                }
            }
            var mine = [Int?](repeating: nil, count: (bIDs.values.max() ?? 0) + 1)
            for (name, id) in bIDs { mine[id] = aIDs[name] }
            let low = Int.random(in: 0..<rows, using: &rng), high = Int.random(in: low...rows, using: &rng)
            let expected = !aPairs.intersection(bPairs).filter { (low..<high).contains($0[0]) }.isEmpty
            #expect(a.sharesPair(with: b, rows: low..<high, mine: mine) == expected, "trial \(trial)")
            for parts in 2...3 {
                #expect(a.sharesPair(with: b, rows: low..<high, mine: mine, parts: parts) == expected, "trial \(trial), \(parts) slices")
            }
        }
    }
}

private struct ResultSlots: @unchecked Sendable {
    let base: UnsafeMutablePointer<[Bool]>
}
