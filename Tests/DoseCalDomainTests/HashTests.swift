import Testing
@testable import DoseCalDomain

@Suite struct HashTests {
    // FIPS 180-2 test vectors.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func sha256Vectors(text: String, hex: String) {
        #expect(SHA256.hex(text) == hex)
    }

    @Test func sha256MillionA() {
        var h = SHA256()
        h.update([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
        #expect(SHA256.hexString(h.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    static func sample() -> [Exposure] {
        (0..<50).map { i in
            Exposure(studyUID: "1.2.\(i % 17)", operatorID: "OP-\(i % 5)", dosimeterID: "D\(i % 5)", role: i % 2 == 0 ? .first : .second,
                     hp10MicroSv: Double(i) * 1.25 + 0.01)
        }
    }

    @Test func recordHashIgnoresOrder() {
        var rng = SystemRandomNumberGenerator()
        let rows = HashTests.sample()
        var a = RecordHasher()
        rows.forEach { a.add($0) }
        for _ in 0..<20 {
            var b = RecordHasher()
            rows.shuffled(using: &rng).forEach { b.add($0) }
            #expect(a.finalize() == b.finalize())
        }
        #expect(a.finalize().hasPrefix("sha256-multiset-v1:"))
    }

    @Test func recordHashSeesEveryChange() {
        var rows = HashTests.sample()
        var a = RecordHasher()
        rows.forEach { a.add($0) }
        rows[7].hp10MicroSv += 0.01
        var b = RecordHasher()
        rows.forEach { b.add($0) }
        #expect(a.finalize() != b.finalize())
        var c = RecordHasher()
        rows.dropLast().forEach { c.add($0) }
        #expect(c.finalize() != b.finalize())
    }

    @Test func pseudonymsAreStableAndKeyed() {
        let p = Pseudonymizer(labKey: "lab-1")
        #expect(p.pseudonym(for: "OP-1") == p.pseudonym(for: "OP-1"))
        #expect(p.pseudonym(for: "OP-1") != p.pseudonym(for: "OP-2"))
        #expect(Pseudonymizer(labKey: "lab-2").pseudonym(for: "OP-1") != p.pseudonym(for: "OP-1"))
        #expect(!p.pseudonym(for: "OP-1").contains("OP"))
    }
}
