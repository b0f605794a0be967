import Foundation
import Testing
@testable import DoseCalReports

@Suite struct CRC32Tests {
    @Test(arguments: [
        ("123456789", UInt32(0xCBF4_3926)),   // the catalogued check value of CRC-32/ISO-HDLC
        ("", UInt32(0)),
        ("a", UInt32(0xE8B7_BE43)),
        ("The quick brown fox jumps over the lazy dog", UInt32(0x414F_A339)),
    ])
    func checkValues(text: String, expected: UInt32) {
        #expect(CRC32.checksum(Array(text.utf8)) == expected)
    }

    @Test func incrementalEqualsOneShot() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        var crc = CRC32()
        crc.update(bytes[..<123])
        crc.update(bytes[123...].lazy.map { $0 })  // a non-contiguous sequence takes the slow path
        #expect(crc.value == CRC32.checksum(bytes))
    }
}

@Suite struct ZIPWriterTests {
    @Test func dosTimestampFields() {
        // 2024-09-30 13:45:58 → date (44 << 9) | (9 << 5) | 30, time (13 << 11) | (45 << 5) | 29.
        let t = DOSTimestamp(year: 2024, month: 9, day: 30, hour: 13, minute: 45, second: 58)
        #expect(t.dosDate == UInt16(44 << 9 | 9 << 5 | 30))
        #expect(t.dosTime == UInt16(13 << 11 | 45 << 5 | 29))
        #expect(DOSTimestamp.dosEpoch.dosDate == 0x0021)
        #expect(DOSTimestamp.dosEpoch.dosTime == 0)
        #expect(DOSTimestamp(year: 1970, month: 6, day: 1) == .dosEpoch)
        #expect(DOSTimestamp(year: 2200, month: 1, day: 1).dosDate == UInt16(127 << 9 | 12 << 5 | 31))
        // From a Date, in a fixed zone.
        let date = Date(timeIntervalSince1970: 1_727_703_958)  // 2024-09-30T13:45:58Z
        #expect(DOSTimestamp(date, timeZone: TimeZone(identifier: "UTC")!) == t)
    }

    @Test func roundTripThroughReader() throws {
        var zip = ZIPWriter()
        let when = DOSTimestamp(year: 2025, month: 2, day: 3, hour: 4, minute: 5, second: 6)
        try zip.addFile(named: "a.txt", contents: Array("hello\n".utf8), modified: when)
        try zip.addFile(named: "dir/empty.bin", contents: [])
        try zip.addFile(named: "dir/binary", contents: (0...255).map(UInt8.init))
        try zip.addFile(named: "données/µSv.txt", contents: Array("ü".utf8))
        #expect(zip.entryCount == 4)
        let bytes = zip.finish()
        let archive = try TestZIPReader(bytes)
        #expect(archive.entries.map(\.name) == ["a.txt", "dir/empty.bin", "dir/binary", "données/µSv.txt"])
        #expect(archive["a.txt"] == Array("hello\n".utf8))
        #expect(archive["dir/empty.bin"] == [])
        #expect(archive["dir/binary"] == (0...255).map(UInt8.init))
        #expect(archive.entries[0].dosDate == when.dosDate && archive.entries[0].dosTime == when.dosTime)
        #expect(archive.entries[1].dosDate == DOSTimestamp.dosEpoch.dosDate)
        #expect(archive.entries[1].crc == 0)
        // The UTF-8 flag (bit 11) only on the non-ASCII name.
        #expect(archive.entries.map { $0.flags & 0x0800 != 0 } == [false, false, false, true])
        #expect(archive.entries.allSatisfy { $0.method == 0 })
    }

    @Test func headerBytesAreExact() throws {
        var zip = ZIPWriter()
        try zip.addFile(named: "x", contents: Array("123456789".utf8))
        let bytes = zip.finish()
        // Local header (30 + 1 + 9), central header (46 + 1), end record (22).
        #expect(bytes.count == 40 + 47 + 22)
        #expect(Array(bytes[0..<4]) == [0x50, 0x4B, 0x03, 0x04])
        #expect(Array(bytes[14..<18]) == [0x26, 0x39, 0xF4, 0xCB])  // CRC, little-endian
        #expect(Array(bytes[40..<44]) == [0x50, 0x4B, 0x01, 0x02])
        #expect(Array(bytes[87..<91]) == [0x50, 0x4B, 0x05, 0x06])
    }

    @Test func emptyArchiveIsJustTheEndRecord() throws {
        let bytes = ZIPWriter().finish()
        #expect(bytes == [0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18))
        #expect(try TestZIPReader(bytes).entries.isEmpty)
    }

    @Test func duplicateNamesAreRejected() throws {
        var zip = ZIPWriter()
        try zip.addFile(named: "a", contents: [1])
        #expect(throws: ReportsError.duplicateArchiveEntry(name: "a")) { try zip.addFile(named: "a", contents: [2]) }
        #expect(try TestZIPReader(zip.finish()).entries.count == 1)
    }

    @Test func sameInputSameBytes() throws {
        func make() throws -> [UInt8] {
            var zip = ZIPWriter()
            try zip.addFile(named: "a", contents: [1, 2, 3])
            try zip.addFile(named: "b", contents: [4])
            return zip.finish()
        }
        #expect(try make() == make())
    }
}
