import Testing
@testable import DoseCalReports

@Suite struct JSONValueTests {
    @Test func absentAndNonFiniteAreNull() {
        let doc = JSONValue.object([("a", .number(Double?.none)), ("b", .number(.nan)), ("c", .number(.infinity))])
        #expect(doc.rendered(pretty: false) == #"{"a":null,"b":null,"c":null}"#)
    }

    @Test func numbersRoundTrip() {
        for x in [0.1, 1e-5, 123456.789, 2.0, -0.30000000000000004] {
            let text = JSONValue.number(x).rendered(pretty: false)
            #expect(Double(text) == x, "\(text)")
        }
    }

    @Test func stringsAreEscaped() {
        #expect(JSONValue.string("a\"b\\c\n\u{1}").rendered(pretty: false) == #""a\"b\\c\n\u0001""#)
    }

    @Test func fixedFormatting() {
        #expect(formatFixed(2.5, 2) == "2.50")
        #expect(formatFixed(0.125, 0) == "0")
        #expect(formatFixed(-1.04, 1) == "-1.0")
        #expect(formatFixed(-0.01, 1) == "0.0")
        #expect(formatFixed(nil, 2) == "—")
        #expect(formatFixed(15.26, 1) == "15.3")
    }
}
