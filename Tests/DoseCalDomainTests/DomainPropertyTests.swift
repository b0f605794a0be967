import PropertyBased
import Testing
@testable import DoseCalDomain

/// Invariants of the domain rules on random inputs (swift-property-based prints the seed and a
/// shrunk input on failure).
@Suite("Domain properties")
struct DomainPropertyTests {
    @Test("a first notification is the smallest multiple of the step ≥ Q3, never below one step")
    func roundingIsTheSmallestMultipleAbove() async {
        await propertyCheck(input: Gen.double(in: 0...500), Gen.int(in: 0...2)) { q3, which in
            let indicator = [Indicator.microSvPerProcedure, .pdeKap, .pctReference][which]
            let step = RoundingSteps.standard.step(for: indicator)
            let first = RoundingSteps.standard.firstNotification(q3: q3, indicator: indicator)
            #expect(first >= step)
            #expect(first >= q3 - 1e-9 * step)
            #expect(first < max(q3, 0) + step + 1e-9)
            let k = first / step
            #expect(abs(k - k.rounded()) < 1e-9)
        }
    }

    @Test("colours are monotone in the value: green, then yellow, then red")
    func coloursAreMonotone() async {
        await propertyCheck(input: Gen.double(in: 0.01...100), Gen.double(in: 1...3), Gen.double(in: 0...400), Gen.double(in: 0...400)) { first, factor, x, y in
            let n = NotificationValues(first: first, second: first * factor)
            let (lo, hi) = (min(x, y), max(x, y))
            let a = n.colour(of: lo)!, b = n.colour(of: hi)!
            #expect(a <= b)
        }
    }

    @Test("a period's share of a year is its whole months / 12, else days / 365")
    func shareOfYear() async {
        await propertyCheck(input: Gen.int(in: 0...20000), Gen.int(in: 0...800)) { start, length in
            let from = CivilDate(dayNumber: start), to = CivilDate(dayNumber: start + length)
            let p = try Period(from: from, to: to)
            #expect(p.days == length + 1)
            if from.day == 1 && to.isLastDayOfMonth {
                #expect(p.shareOfYear == Double(p.wholeMonths!) / 12)
            } else {
                #expect(p.wholeMonths == nil)
                #expect(p.shareOfYear == Double(length + 1) / 365)
            }
        }
    }

    @Test("the records' content hash does not depend on their order")
    func hashIsOrderFree() async {
        await propertyCheck(count: 40, input: Gen.double(in: 0...1000).array(of: 1...30)) { doses in
            let rows = doses.enumerated().map { i, d in Exposure(studyUID: "s\(i % 7)", operatorID: "o\(i)", dosimeterID: "d", hp10MicroSv: d) }
            var a = RecordHasher(), b = RecordHasher()
            rows.forEach { a.add($0) }
            rows.reversed().forEach { b.add($0) }
            #expect(a.finalize() == b.finalize())
        }
    }
}
