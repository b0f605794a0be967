import Testing
@testable import DoseCalCSV

@Suite("parseDouble: exact, like Double(String)")
struct ParseDoubleTests {
    static let accepted = [
        "0", "-0", "+0", "0.0", "-0.0", "1", "-1", "+1", "1.", ".5", "-.5", "+.5e-3", "5.e2",
        "123.456", "0.1", "0.2", "0.3", "1e10", "1E+05", "1e-5", "2.5E-3", "00012", "000.000120",
        "9007199254740992", "9007199254740993", "9007199254740991", "18446744073709551615",
        "18446744073709551616", "1234567890123456789", "12345678901234567890",
        "0.30000000000000004", "2.2250738585072014e-308", "2.2250738585072011e-308", "4.9e-324",
        "5e-324", "2e-324", "1.7976931348623157e308", "1.7976931348623159e308", "1e308", "1e309",
        "1e400", "-1e400", "1e-400", "0e999999999999999999", "1e22", "1e23", "123e30", "9e37",
        "8.589973e9", "1e-22", "1e-23", "3.14159265358979323846264338327950288",
        "0.000000000000000000000000000001", "100000000000000000000000", "1e0000000000000000000001",
        "7.038531e-26", "179769313486231570000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
    ]

    @Test("matches Double(String) bit for bit", arguments: accepted)
    func matchesSwift(text: String) throws {
        let expected = try #require(Double(text))
        let value = try #require(parseDouble(text))
        #expect(value.bitPattern == expected.bitPattern, "\(text): \(value) vs \(expected)")
    }

    @Test("rejects what is not a decimal number", arguments: [
        "", " ", " 1", "1 ", "\t1", "+", "-", ".", "-.", "+-1", "--1", "1e", "1e+", "e5", ".e5",
        "1,5", "1.5.2", "0x10", "0X1p3", "nan", "NaN", "inf", "-inf", "Infinity", "1_000", "1'000",
        "１", "1f", "1d", "12a", "1e5.5", "1..2", "٣",
    ])
    func rejects(text: String) {
        #expect(parseDouble(text) == nil, "\(text.debugDescription)")
    }

    @Test func byteOverloads() {
        #expect(parseDouble(Array("2.5".utf8)) == 2.5)
        #expect(parseDouble(Array("x2.5x".utf8)[1..<4]) == 2.5)
        #expect(parseDouble("-0")!.sign == .minus)
    }

    /// A random decimal string: sign, integer and fraction digits (leading zeros sometimes),
    /// optional exponent, over the whole range of doubles and beyond.
    static func randomDecimal(using rng: inout SeededGenerator) -> String {
        var s = ""
        switch Int.random(in: 0..<3, using: &rng) {
        case 0: s += "-"
        case 1: s += "+"
        default: break
        }
        let digit = { (rng: inout SeededGenerator) in String(Int.random(in: 0...9, using: &rng)) }
        let maxDigits = [3, 8, 15, 17, 19, 20, 25, 40].randomElement(using: &rng)!
        let integerDigits = Int.random(in: 0...maxDigits, using: &rng)
        let fractionDigits = Int.random(in: (integerDigits == 0 ? 1 : 0)...maxDigits, using: &rng)
        if Int.random(in: 0..<5, using: &rng) == 0 { s += String(repeating: "0", count: Int.random(in: 1...5, using: &rng)) }
        for _ in 0..<integerDigits { s += digit(&rng) }
        if fractionDigits > 0 || Bool.random(using: &rng) {
            s += "."
            for _ in 0..<fractionDigits { s += digit(&rng) }
        }
        if Bool.random(using: &rng) {
            s += Bool.random(using: &rng) ? "e" : "E"
            if Bool.random(using: &rng) { s += Bool.random(using: &rng) ? "-" : "+" }
            let range = [25, 40, 330, 400].randomElement(using: &rng)!
            s += String(Int.random(in: 0...range, using: &rng))
        }
        if s.allSatisfy({ $0 == "-" || $0 == "+" || $0 == "." }) { s += "0" }
        return s
    }

    @Test("random decimals equal Double(String) bit for bit", arguments: 0..<8)
    func randomDecimals(seed: UInt64) throws {
        var rng = SeededGenerator(seed: 0xD05E_CA1 &+ seed)
        var fastPath = 0
        for _ in 0..<5000 {
            let text = Self.randomDecimal(using: &rng)
            let expected = try #require(Double(text), "\(text)")
            let value = try #require(parseDouble(text), "\(text)")
            #expect(value.bitPattern == expected.bitPattern, "\(text): \(value) vs \(expected)")
            if text.count <= 17 { fastPath += 1 }
        }
        #expect(fastPath > 500)
    }

    @Test("short decimals as in dose files equal Double(String)", arguments: 0..<4)
    func shortDecimals(seed: UInt64) throws {
        // The fast path's home: up to 15 digits and small exponents.
        var rng = SeededGenerator(seed: 42 &+ seed)
        for _ in 0..<5000 {
            let whole = UInt64.random(in: 0...999_999_999, using: &rng)
            let decimals = Int.random(in: 0...6, using: &rng)
            let fraction = decimals == 0 ? "" : "." + String(UInt64.random(in: 0..<UInt64(pow10(decimals)), using: &rng)).leftPadded(to: decimals)
            var text = String(whole) + fraction
            if Int.random(in: 0..<4, using: &rng) == 0 { text += "e\(Int.random(in: -22...22, using: &rng))" }
            let value = try #require(parseDouble(text))
            #expect(value.bitPattern == Double(text)!.bitPattern, "\(text)")
        }
    }

    @Test("shortest round-trip text of random doubles reads back exactly", arguments: 0..<4)
    func roundTrip(seed: UInt64) throws {
        var rng = SeededGenerator(seed: 7 &+ seed)
        for _ in 0..<5000 {
            let x = Double(bitPattern: rng.next())
            guard x.isFinite else { continue }
            let value = try #require(parseDouble(x.description))
            #expect(value.bitPattern == x.bitPattern, "\(x)")
        }
    }
}

private func pow10(_ k: Int) -> Int { (0..<k).reduce(1) { r, _ in r * 10 } }

extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
