/// SplitMix64, the generator used to expand one 64-bit seed into the state of
/// ``Xoshiro256StarStar`` (G. L. Steele, D. Lea, C. H. Flood, "Fast splittable pseudorandom
/// number generators", OOPSLA 2014; reference code by S. Vigna, prng.di.unimi.it).
public struct SplitMix64: RandomNumberGenerator, Sendable, Equatable {
    /// The current state; any value is valid.
    public private(set) var state: UInt64

    /// Creates the generator at `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// xoshiro256**, a small, fast, reproducible pseudorandom generator with a 2²⁵⁶ − 1 period
/// (D. Blackman, S. Vigna, "Scrambled linear pseudorandom number generators", ACM TOMS 47(4),
/// 2021; reference code prng.di.unimi.it/xoshiro256starstar.c).
///
/// Seeded from one `UInt64` through ``SplitMix64``, as its authors recommend, so the same seed
/// gives the same stream on every platform and every run: bootstrap results are reproducible
/// from the seed printed beside them. Not for cryptography.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable, Equatable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// Creates the generator with its state filled by four outputs of `SplitMix64(seed:)`.
    public init(seed: UInt64) {
        var seeder = SplitMix64(seed: seed)
        s0 = seeder.next()
        s1 = seeder.next()
        s2 = seeder.next()
        s3 = seeder.next()
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}

/// A uniform integer in 0..<`bound` by Lemire's multiply-and-reject method (D. Lemire, "Fast
/// random integer generation in an interval", ACM TOMACS 29(1), 2019).
///
/// Written here rather than using `Int.random(in:using:)` so that resampling sequences are fixed
/// by this library and cannot change with the standard library's implementation.
func uniformIndex(below bound: Int, using rng: inout some RandomNumberGenerator) -> Int {
    precondition(bound > 0)
    let b = UInt64(bound)
    var product = rng.next().multipliedFullWidth(by: b)
    if product.low < b {
        let threshold = (0 &- b) % b
        while product.low < threshold {
            product = rng.next().multipliedFullWidth(by: b)
        }
    }
    return Int(product.high)
}
