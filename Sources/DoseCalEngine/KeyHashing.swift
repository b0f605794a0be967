#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import DoseCalCSV
/// A 96-bit digest of a key's bytes: a 64-bit ``key`` that places it in a table and an
/// independent 32-bit ``check``.
///
/// Two different study UIDs with the same `key` but different `check` are a detected collision
/// (the engine then falls back to exact string keys). The procedure rows keep 21 bits of the
/// check (``ProcedureRow``), so an undetected collision takes equal keys and equal 21 bits:
/// probability about n²/2⁸⁶ (≈ 10⁻¹² for n = 10⁷ UIDs), the one approximation of the engine.
///
/// The key's bytes are read as four 64-bit words (overlapping for keys of 8 to 32 bytes, so
/// that every byte is in one; longer keys first fold their 32-byte blocks into two of them),
/// and the two lanes combine the same words independently, each with its own constants: a
/// wyhash-style multiply-fold (Wang Yi, public domain) for `key`, and a sum of 64-bit products
/// mixed by multiply-xorshift for `check`. The words enter both lanes side by side rather than
/// one after the other, so a study UID costs a few multiplies of latency, not one per word.
struct KeyDigest: Hashable {
    var key: UInt64
    var check: UInt32
}

@inline(__always)
private func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
    let m = a.multipliedFullWidth(by: b)
    return m.high ^ m.low
}

/// The digest of `bytes`.
@inline(__always)
func keyDigest(_ bytes: UnsafeRawBufferPointer) -> KeyDigest {
    let n = bytes.count
    @inline(__always) func word(_ at: Int) -> UInt64 {
        UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self))
    }
    var a: UInt64 = 0, b: UInt64 = 0, c: UInt64 = 0, d: UInt64 = 0
    if n > 32 {
        // Every 32-byte block but the last folded into two lanes; the last 32 bytes (which may
        // overlap the blocks) read as words.
        var x: UInt64 = 0x2D35_8DCC_AA6C_78A5, y: UInt64 = 0x8BB8_4B93_962E_ACC9
        var i = 0
        while i + 32 < n {
            x = fold(word(i) ^ 0xA076_1D64_78BD_642F, word(i + 8) ^ x)
            y = fold(word(i + 16) ^ 0xE703_7ED1_A0B4_28DB, word(i + 24) ^ y)
            i += 32
        }
        a = word(n - 32) ^ x
        b = word(n - 24)
        c = word(n - 16) ^ y
        d = word(n - 8)
    } else if n >= 16 {
        a = word(0)
        b = word(8)
        c = word(n - 16)
        d = word(n - 8)
    } else if n >= 8 {
        a = word(0)
        b = word(n - 8)
    } else {
        for i in 0..<n { a |= UInt64(bytes[i]) << UInt64(8 * i) }
    }
    let length = UInt64(truncatingIfNeeded: n)
    let key = fold(fold(a ^ 0xA076_1D64_78BD_642F, b ^ 0xE703_7ED1_A0B4_28DB) ^ length,
                   fold(c ^ 0x8EBC_6AF0_9C88_C6E3, d ^ 0x5899_65CC_7537_4CC3))
    var g = (a &* 0x9FB2_1C65_1E98_DF25) &+ (b &* 0xC2B2_AE3D_27D4_EB4F) &+ (c &* 0x1656_67B1_9E37_79F9)
        &+ (d &* 0x27D4_EB2F_1656_67C5) &+ length
    g ^= g >> 32
    g &*= 0xD6E8_FEB8_6659_FD93
    g ^= g >> 32
    return KeyDigest(key: key, check: UInt32(truncatingIfNeeded: g))
}

/// A quick 64-bit hash for the interner's table: one multiply over the first and last eight
/// bytes and the length (equal strings always hash equal; the interner compares bytes).
@inline(__always)
func internHash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    let n = bytes.count
    if n >= 8 {
        let head = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        let tail = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self))
        return fold(head ^ 0xA076_1D64_78BD_642F, tail ^ UInt64(truncatingIfNeeded: n) ^ 0xE703_7ED1_A0B4_28DB)
    }
    var w: UInt64 = 0
    if n >= 4 {
        // Operator ids ("OP-0207"): two overlapping four-byte words.
        w = UInt64(bytes.loadUnaligned(fromByteOffset: 0, as: UInt32.self)) | UInt64(bytes.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)) << 32
    } else {
        for i in 0..<n { w |= UInt64(bytes[i]) << UInt64(8 * i) }
    }
    return fold(w ^ 0xA076_1D64_78BD_642F, UInt64(truncatingIfNeeded: n) ^ 0xE703_7ED1_A0B4_28DB)
}

/// The 16 bits of a content digest the record sources keep (``DuplicateTracker.content16``).
func content16(_ content: UInt64) -> UInt16 {
    UInt16(truncatingIfNeeded: content ^ (content >> 16) ^ (content >> 32) ^ (content >> 48))
}
