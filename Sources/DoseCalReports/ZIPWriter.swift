import Foundation

/// A moment as a ZIP header stores it: the MS-DOS date and time, local time, two-second
/// resolution, years 1980–2107.
///
/// Reference: PKWARE APPNOTE.TXT §4.4.6 ("date and time fields are encoded in standard MS-DOS
/// format").
public struct DOSTimestamp: Sendable, Hashable {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int

    /// 1980-01-01 00:00:00, the earliest moment the format holds. The default for archives whose
    /// bytes should depend only on their content.
    public static let dosEpoch = DOSTimestamp(year: 1980, month: 1, day: 1, hour: 0, minute: 0, second: 0)

    /// A timestamp from calendar fields. Years before 1980 become ``dosEpoch``, years after 2107
    /// become 2107-12-31 23:59:58; odd seconds round down to even ones when encoded.
    /// - Precondition: the fields are a valid time of day and month 1–12, day 1–31.
    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        precondition((1...12).contains(month) && (1...31).contains(day), "invalid DOS date \(year)-\(month)-\(day)")
        precondition((0...23).contains(hour) && (0...59).contains(minute) && (0...59).contains(second),
                     "invalid DOS time \(hour):\(minute):\(second)")
        if year < 1980 {
            (self.year, self.month, self.day, self.hour, self.minute, self.second) = (1980, 1, 1, 0, 0, 0)
        } else if year > 2107 {
            (self.year, self.month, self.day, self.hour, self.minute, self.second) = (2107, 12, 31, 23, 59, 58)
        } else {
            (self.year, self.month, self.day, self.hour, self.minute, self.second) = (year, month, day, hour, minute, second)
        }
    }

    /// The wall-clock time of `date` in `timeZone` (ZIP times carry no zone).
    public init(_ date: Date, timeZone: TimeZone = .current) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        self.init(year: c.year ?? 1980, month: c.month ?? 1, day: c.day ?? 1,
                  hour: c.hour ?? 0, minute: c.minute ?? 0, second: min(c.second ?? 0, 59))
    }

    /// The MS-DOS date word: bits 15–9 years since 1980, 8–5 month, 4–0 day.
    public var dosDate: UInt16 { UInt16((year - 1980) << 9 | month << 5 | day) }

    /// The MS-DOS time word: bits 15–11 hour, 10–5 minute, 4–0 seconds / 2.
    public var dosTime: UInt16 { UInt16(hour << 11 | minute << 5 | second / 2) }
}

/// Writes a ZIP archive in memory with the STORE method (no compression): a local file header
/// and the data for each entry, then the central directory and the end-of-central-directory
/// record.
///
/// Entry names are UTF-8 (general-purpose flag bit 11 is set for names that are not ASCII).
/// This is the classic format, not ZIP64: at most 65 534 entries and 4 GiB in all, which
/// ``addFile(named:contents:modified:)`` checks. The output depends only on the entries and
/// their timestamps, so the same input gives the same bytes.
///
/// ```swift
/// var zip = ZIPWriter()
/// try zip.addFile(named: "hello.txt", contents: Array("hello\n".utf8))
/// let bytes = zip.finish()
/// ```
///
/// Reference: PKWARE APPNOTE.TXT 6.3.10, §4.3 (overall format), §4.4 (fields).
public struct ZIPWriter: Sendable {
    private var output: [UInt8] = []
    private var centralDirectory: [UInt8] = []
    private var names: Set<String> = []

    /// An empty archive.
    public init() {}

    /// The number of entries added so far.
    public var entryCount: Int { names.count }

    /// Appends one stored entry.
    ///
    /// - Parameters:
    ///   - name: the path inside the archive, `/`-separated, without a leading `/`
    ///     (e.g. `xl/workbook.xml`).
    ///   - contents: the entry's bytes, stored as they are.
    ///   - modified: the entry's modification time; ``DOSTimestamp/dosEpoch`` by default, so the
    ///     archive's bytes depend only on its content.
    /// - Throws: ``ReportsError/duplicateArchiveEntry(name:)``,
    ///   ``ReportsError/archiveEntryNameTooLong(name:utf8Bytes:)``, or
    ///   ``ReportsError/archiveTooLarge(entry:detail:)`` when the archive would pass 65 534
    ///   entries or 4 GiB.
    /// - Precondition: `name` is not empty, does not start with `/` and has no `\`.
    /// - Complexity: O(*n*) in the size of `contents` (one CRC pass and one copy).
    public mutating func addFile(named name: String, contents: [UInt8], modified: DOSTimestamp = .dosEpoch) throws(ReportsError) {
        precondition(!name.isEmpty && !name.hasPrefix("/") && !name.contains("\\"),
                     "ZIP entry names are relative /-separated paths: \(name)")
        let nameBytes = Array(name.utf8)
        guard nameBytes.count <= Int(UInt16.max) else {
            throw .archiveEntryNameTooLong(name: name, utf8Bytes: nameBytes.count)
        }
        guard !names.contains(name) else { throw .duplicateArchiveEntry(name: name) }
        guard names.count < Int(UInt16.max) - 1 else {
            throw .archiveTooLarge(entry: name, detail: "more than 65534 entries")
        }
        let offset = output.count
        let end = offset + 30 + nameBytes.count + contents.count
        // 0xFFFFFFFF in a size or offset field means "see ZIP64", so stay strictly below it.
        guard contents.count < Int(UInt32.max), end < Int(UInt32.max),
              centralDirectory.count + 46 + nameBytes.count < Int(UInt32.max) else {
            throw .archiveTooLarge(entry: name, detail: "more than 4 GiB without ZIP64")
        }
        names.insert(name)

        let crc = CRC32.checksum(contents)
        let size = UInt32(contents.count)
        let flags: UInt16 = nameBytes.allSatisfy { $0 < 0x80 } ? 0 : 0x0800

        // Local file header (APPNOTE §4.3.7).
        output.reserveCapacity(end)
        Self.append32(0x0403_4B50, to: &output)
        Self.append16(20, to: &output)              // version needed to extract: 2.0
        Self.append16(flags, to: &output)
        Self.append16(0, to: &output)               // compression method: stored
        Self.append16(modified.dosTime, to: &output)
        Self.append16(modified.dosDate, to: &output)
        Self.append32(crc, to: &output)
        Self.append32(size, to: &output)            // compressed size
        Self.append32(size, to: &output)            // uncompressed size
        Self.append16(UInt16(nameBytes.count), to: &output)
        Self.append16(0, to: &output)               // extra field length
        output += nameBytes
        output += contents

        // Central directory file header (APPNOTE §4.3.12).
        Self.append32(0x0201_4B50, to: &centralDirectory)
        Self.append16(20, to: &centralDirectory)    // version made by: MS-DOS host, 2.0
        Self.append16(20, to: &centralDirectory)    // version needed to extract
        Self.append16(flags, to: &centralDirectory)
        Self.append16(0, to: &centralDirectory)
        Self.append16(modified.dosTime, to: &centralDirectory)
        Self.append16(modified.dosDate, to: &centralDirectory)
        Self.append32(crc, to: &centralDirectory)
        Self.append32(size, to: &centralDirectory)
        Self.append32(size, to: &centralDirectory)
        Self.append16(UInt16(nameBytes.count), to: &centralDirectory)
        Self.append16(0, to: &centralDirectory)     // extra field length
        Self.append16(0, to: &centralDirectory)     // file comment length
        Self.append16(0, to: &centralDirectory)     // disk number start
        Self.append16(0, to: &centralDirectory)     // internal file attributes
        Self.append32(0, to: &centralDirectory)     // external file attributes
        Self.append32(UInt32(offset), to: &centralDirectory)
        centralDirectory += nameBytes
    }

    /// The finished archive: the entries, the central directory and the end-of-central-directory
    /// record (APPNOTE §4.3.16).
    /// - Complexity: O(*m*) in the size of the central directory.
    public consuming func finish() -> [UInt8] {
        var out = output
        let directoryOffset = UInt32(out.count)
        out += centralDirectory
        Self.append32(0x0605_4B50, to: &out)
        Self.append16(0, to: &out)                          // number of this disk
        Self.append16(0, to: &out)                          // disk where the central directory starts
        Self.append16(UInt16(names.count), to: &out)        // entries on this disk
        Self.append16(UInt16(names.count), to: &out)        // entries in all
        Self.append32(UInt32(centralDirectory.count), to: &out)
        Self.append32(directoryOffset, to: &out)
        Self.append16(0, to: &out)                          // comment length
        return out
    }

    private static func append16(_ value: UInt16, to bytes: inout [UInt8]) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    }

    private static func append32(_ value: UInt32, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }
}
