/// The CRC-32 checksum of ZIP, PNG and Ethernet (ISO 3309 / ITU-T V.42): reflected polynomial
/// 0xEDB88320, initial value and final XOR 0xFFFFFFFF.
///
/// Feed bytes with ``update(_:)`` as they arrive, or use ``checksum(_:)`` for one buffer; both
/// give the same value. The check value of the ASCII digits "123456789" is 0xCBF43926.
///
/// A CRC detects accidental corruption (every burst error up to 32 bits, every odd number of
/// bit errors); it is not a cryptographic hash and says nothing about deliberate changes.
///
/// Reference: ISO/IEC 13239 (HDLC frame check sequence); PKWARE APPNOTE.TXT §4.4.7.
public struct CRC32: Sendable, Hashable {
    private var state: UInt32 = 0xFFFF_FFFF

    /// A checksum of no bytes (value 0).
    public init() {}

    /// The checksum of the bytes fed so far.
    public var value: UInt32 { state ^ 0xFFFF_FFFF }

    /// Feeds more bytes.
    /// - Complexity: O(*n*) in the number of bytes, one table look-up per byte.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        var crc = state
        let table = CRC32.table
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            for byte in buffer {
                crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
            }
        }
        if done == nil {
            for byte in bytes {
                crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
            }
        }
        state = crc
    }

    /// The CRC-32 of `bytes`.
    /// - Complexity: O(*n*).
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }

    /// The 256 remainders of the reflected polynomial, one per byte value.
    private static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }
}
