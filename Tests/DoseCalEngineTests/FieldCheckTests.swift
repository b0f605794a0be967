import DoseCalCSV
import DoseCalDomain
import Foundation
import Testing
@testable import DoseCalEngine

/// The engine's byte-level field checks against the record sources' own rules, on many random
/// texts: a check may leave a value to the record source (`nil`, or "not accepted outright")
/// but must never accept what the source rejects or read a value the source reads otherwise.
@Suite("Engine field checks agree with the record sources")
struct FieldCheckTests {
    private func withBytes<R>(_ text: String, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        var text = text
        return text.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }

    @Test("fastTimestampDay reads exactly what parseTimestampDate reads, over its whole grammar")
    func timestamps() {
        var rng = TestRNG(state: 7)
        func pick<T>(_ xs: [T]) -> T { xs[Int.random(in: 0..<xs.count, using: &rng)] }
        func digits(_ n: Int, _ range: ClosedRange<Int>) -> String {
            let v = Int.random(in: range, using: &rng)
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        var accepted = 0, wordForm = 0
        for _ in 0..<30_000 {
            let date = digits(4, 1960...2110) + pick(["-", "-", "-", "/"]) + digits(2, 0...13) + "-" + digits(2, 0...32)
            let time = pick(["", "HH:MM", "HH:MM:SS", "HH:MM:SS.F", "HH:MM:SS.", "H:MM", "HH:MM:", "HH:MMx"])
                .replacingOccurrences(of: "HH", with: digits(2, 0...25))
                .replacingOccurrences(of: "MM", with: digits(2, 0...61))
                .replacingOccurrences(of: "SS", with: digits(2, 0...61))
                .replacingOccurrences(of: "F", with: digits(Int.random(in: 1...6, using: &rng), 0...999_999))
                .replacingOccurrences(of: "H:", with: digits(1, 0...9) + ":")
            let separator = time.isEmpty ? "" : pick(["T", " ", "T", "t", "_"])
            let zone = time.isEmpty ? pick(["", "", "Z"]) : pick(["", "Z", "+01:00", "-0530", "+1", "Zx", "+24:00", "-01:60", "+0100 "])
            let text = pick(["", " ", "\t"]) + date + separator + time + zone + pick(["", " "])
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            let expected = parseTimestampDate(trimmed).flatMap { CivilDate.acceptedYears.contains($0.year) ? $0.dayNumber : nil }
            let fast = withBytes(text) { fastTimestampDay($0) }
            #expect(fast == expected, "\(text.debugDescription): fast \(String(describing: fast)), source \(String(describing: expected))")
            // The word-at-a-time path, with random bytes after the field (the scanner's slack).
            let padded = Array(text.utf8) + (0..<8).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let word = padded.withUnsafeBytes { fastTimestampDay(UnsafeRawBufferPointer(rebasing: $0[0..<padded.count - 8]), padded: true) }
            #expect(word == expected, "\(text.debugDescription) read a word at a time")
            if text.utf8.count == 19 && word != nil { wordForm += 1 }
            if expected != nil { accepted += 1 }
        }
        #expect(accepted > 2_000, "the generator must reach valid timestamps often")
        #expect(wordForm > 20, "and the YYYY-MM-DDTHH:MM:SS form")
    }

    @Test("YYYY-MM-DDTHH:MM:SS read a word at a time: valid ones and every one-byte corruption")
    func secondsTimestamps() {
        var rng = TestRNG(state: 29)
        var accepted = 0
        for _ in 0..<20_000 {
            func two(_ range: ClosedRange<Int>) -> String { String(format: "%02d", Int.random(in: range, using: &rng)) }
            var bytes = Array((String(Int.random(in: 1965...2105, using: &rng)) + "-" + two(1...12) + "-" + two(1...31)
                + (Bool.random(using: &rng) ? "T" : " ") + two(0...24) + ":" + two(0...60) + ":" + two(0...61)).utf8)
            if Int.random(in: 0..<3, using: &rng) == 0 {
                // One byte replaced: a digit, a separator, a letter, anything.
                let pool = Array("0123456789-: T/tZ.".utf8) + [UInt8.random(in: 0...255, using: &rng)]
                bytes[Int.random(in: 0..<19, using: &rng)] = pool[Int.random(in: 0..<pool.count, using: &rng)]
            }
            let text = String(decoding: bytes, as: UTF8.self)
            let expected = String(validating: bytes, as: UTF8.self).flatMap { parseTimestampDate($0) }
                .flatMap { CivilDate.acceptedYears.contains($0.year) ? $0.dayNumber : nil }
            let padded = bytes + (0..<8).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let word = padded.withUnsafeBytes { secondsTimestampDay($0.baseAddress!) }
            let full = padded.withUnsafeBytes { fastTimestampDay(UnsafeRawBufferPointer(rebasing: $0[0..<19]), padded: true) }
            // The word path accepts only what the grammar accepts, with the same day; whatever
            // it leaves, the byte path decides.
            if let word { #expect(word == expected, "\(text.debugDescription)") }
            #expect(full == expected, "\(text.debugDescription)")
            if word != nil { accepted += 1 }
        }
        #expect(accepted > 8_000)
    }

    @Test("isAcceptableNumber accepts exactly what numberField does not call bad")
    func numbers() {
        var rng = TestRNG(state: 11)
        let alphabet = Array("0123456789..-+eE x")
        for _ in 0..<40_000 {
            let text = String((0..<Int.random(in: 0...8, using: &rng)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] })
            let accepted = withBytes(text) { isAcceptableNumber($0) }
            let bad: Bool = withBytes(text) { if case .bad = numberField($0) { return true } else { return false } }
            #expect(accepted == !bad, "\(text.debugDescription)")
        }
    }

    @Test("isGoodRole accepts blank and first/second/other in any ASCII case, nothing else")
    func roles() {
        var rng = TestRNG(state: 13)
        let words = ["first", "second", "other", "firs", "seconds", "othe", "fir st", "", "x", "ﬁrst", "FIRST"]
        for _ in 0..<20_000 {
            var word = words[Int.random(in: 0..<words.count, using: &rng)]
            word = String(word.map { $0.isASCII && Bool.random(using: &rng) ? Character($0.uppercased()) : $0 })
            let text = ["", " ", "\t"][Int.random(in: 0..<3, using: &rng)] + word + ["", " "][Int.random(in: 0..<2, using: &rng)]
            let core = text.trimmingCharacters(in: .whitespaces)
            let lowered = String(core.unicodeScalars.map { $0.isASCII ? Character(String($0).lowercased()) : Character($0) })
            let expected = core.isEmpty || ["first", "second", "other"].contains(lowered)
            #expect(withBytes(text) { isGoodRole($0) } == expected, "\(text.debugDescription)")
        }
    }

    @Test("plain decimals read a word at a time equal the byte loop, whatever follows the field")
    func plainDecimalWords() {
        var rng = TestRNG(state: 19)
        let alphabet = Array("0123456789.0123456789..-+e x,\"".utf8)
        var accepted = 0
        for _ in 0..<60_000 {
            let field = (0..<Int.random(in: 0...10, using: &rng)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }
            // The bytes after the field (the record scanner's next field or its slack).
            let after = (0..<8).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let buffer = field + after
            buffer.withUnsafeBytes { all in
                let bytes = UnsafeRawBufferPointer(rebasing: all[0..<field.count])
                let loop = plainDecimal(bytes)
                let word = plainDecimal(bytes, padded: true)
                #expect(word?.significand == loop?.significand && word?.decimals == loop?.decimals,
                        "\(String(decoding: field, as: UTF8.self).debugDescription)")
                #expect(isAcceptableNumber(bytes, padded: true) == isAcceptableNumber(bytes))
                if (1...8).contains(field.count) {
                    #expect(isPlainDecimalWord(bytes.baseAddress!, count: field.count) == (loop != nil))
                }
                #expect(ValueCode.compact(bytes, padded: true) == ValueCode.compact(bytes))
                #expect(outcome(joinNumber(bytes, padded: true)) == outcome(numberField(bytes)),
                        "\(String(decoding: field, as: UTF8.self).debugDescription)")
                if loop != nil { accepted += 1 }
            }
        }
        #expect(accepted > 10_000, "the generator must reach plain decimals often")
    }

    /// A number field's outcome, comparable: blank, bad, or the value's bits.
    private func outcome(_ field: NumberField) -> String {
        switch field {
        case .absent: "absent"
        case .bad: "bad"
        case let .value(v): "value \(v.bitPattern)"
        }
    }

    @Test("civilDayNumber is CivilDate's day number, and nil exactly for invalid dates")
    func dayNumbers() {
        for year in CivilDate.acceptedYears {
            for month in 0...13 {
                for day in 0...32 {
                    #expect(civilDayNumber(year: year, month: month, day: day) == CivilDate(year: year, month: month, day: day)?.dayNumber)
                }
            }
        }
    }

    @Test("isGoodText: not blank and valid UTF-8")
    func text() {
        #expect(!withBytes("") { isGoodText($0) })
        #expect(!withBytes(" \t ") { isGoodText($0) })
        #expect(withBytes(" a") { isGoodText($0) })
        #expect(withBytes("Zürich, salle 3 — ok") { isGoodText($0) })
        let invalid: [UInt8] = [0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0xC3, 0x28]
        #expect(!invalid.withUnsafeBytes { isGoodText($0) })
    }

    @Test("isValidUTF8 decides as String(validating:) does: every lead byte, boundary and truncation, and random bytes")
    func utf8() {
        var cases: [[UInt8]] = [[]]
        // Every lead byte followed by every second byte and continuations, then cut short.
        for lead in 0x00...0xFF {
            for second in [0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF] {
                let full = [UInt8(lead), UInt8(second), 0x80, 0xBF]
                for length in 1...4 { cases.append(Array(full.prefix(length))) }
                cases.append([UInt8(lead), UInt8(second), 0x80, 0x41])
                cases.append([UInt8(lead), UInt8(second), 0xC0, 0x80])
            }
        }
        // Every scalar boundary, encoded, alone and between ASCII.
        for scalar: UInt32 in [0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x10FFFF] {
            let bytes = Array(String(Character(Unicode.Scalar(scalar)!)).utf8)
            cases.append(bytes)
            cases.append([0x61] + bytes + [0x62])
        }
        // Random byte strings, mostly from a pool of valid sequences and stray bytes.
        var rng = TestRNG(state: 77)
        let pool: [[UInt8]] = [[0x41], [0xC3, 0xA9], [0xE2, 0x80, 0x94], [0xF0, 0x9F, 0x98, 0x80], [0xED, 0x9F, 0xBF],
                               [0x80], [0xC0], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF]]
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 1...12, using: &rng) {
                if Int.random(in: 0..<4, using: &rng) == 0 {
                    bytes.append(UInt8.random(in: 0...255, using: &rng))
                } else {
                    bytes += pool[Int.random(in: 0..<pool.count, using: &rng)]
                }
            }
            cases.append(bytes)
        }
        var valid = 0
        for bytes in cases {
            let expected = String(validating: bytes, as: UTF8.self) != nil
            valid += expected ? 1 : 0
            #expect(bytes.withUnsafeBytes { isValidUTF8($0) } == expected, "\(bytes.map { String($0, radix: 16) })")
        }
        #expect(valid > 1000 && cases.count - valid > 1000, "both outcomes well represented")
    }

    @Test("plain decimals read from their digits equal parseDouble bit for bit, and compact codes keep them")
    func plainDecimals() {
        var rng = TestRNG(state: 17)
        var compact = 0
        for _ in 0..<50_000 {
            let intDigits = Int.random(in: 0...12, using: &rng), fracDigits = Int.random(in: 0...9, using: &rng)
            var text = String((0..<intDigits).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) })
            if fracDigits > 0 || Bool.random(using: &rng) {
                text += "." + String((0..<fracDigits).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) })
            }
            let expected: Double? = withBytes(text) { if case let .value(v) = numberField($0) { return v } else { return nil } }
            let fast: Double? = withBytes(text) { if case let .value(v) = joinNumber($0) { return v } else { return nil } }
            #expect(fast?.bitPattern == expected?.bitPattern, "\(text.debugDescription)")
            // Read a word at a time, whatever follows the field.
            let padded = Array(text.utf8) + (0..<8).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let word: Double? = padded.withUnsafeBytes { all in
                if case let .value(v) = joinNumber(UnsafeRawBufferPointer(rebasing: all[0..<padded.count - 8]), padded: true) { return v }
                return nil
            }
            #expect(word?.bitPattern == expected?.bitPattern, "\(text.debugDescription)")
            if let code = withBytes(text, { ValueCode.compact($0) }) {
                compact += 1
                #expect(ValueCode.value(code, wide: []).bitPattern == expected?.bitPattern, "\(text.debugDescription)")
            }
        }
        #expect(compact > 10_000)
        #expect(ValueCode.value(ValueCode.unknown, wide: []).isNaN)
        #expect(ValueCode.value(ValueCode.wideFlag | 1, wide: [1.5, 2.75]) == 2.75)
    }
}
