/// The report layer's one error type: what went wrong writing a spreadsheet or an archive, with
/// the part, sheet, cell or path it concerns.
public enum ReportsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Two archive entries with the same name.
    case duplicateArchiveEntry(name: String)
    /// An archive entry name longer than the 65 535 bytes a ZIP header can hold.
    case archiveEntryNameTooLong(name: String, utf8Bytes: Int)
    /// The archive would pass a limit of the classic (non-ZIP64) format: 4 GiB of data, or
    /// 65 535 entries.
    case archiveTooLarge(entry: String, detail: String)
    /// A sheet with more rows or columns than a spreadsheet holds (1 048 576 × 16 384).
    case sheetTooLarge(sheet: String, rows: Int, columns: Int)
    /// A text cell longer than the 32 767 characters a spreadsheet cell holds.
    case cellTextTooLong(sheet: String, cell: String, characters: Int)
    /// The file could not be written.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case let .duplicateArchiveEntry(name):
            return "The archive already has an entry named \"\(name)\"."
        case let .archiveEntryNameTooLong(name, bytes):
            return "The archive entry name \"\(name.prefix(60))…\" is \(bytes) bytes long; a ZIP entry name holds at most 65535."
        case let .archiveTooLarge(entry, detail):
            return "Adding \"\(entry)\" would make the archive too large: \(detail)."
        case let .sheetTooLarge(sheet, rows, columns):
            return "Sheet \"\(sheet)\" has \(rows) rows and \(columns) columns (header included); a spreadsheet holds at most 1048576 rows and 16384 columns. Export a shorter period or use CSV."
        case let .cellTextTooLong(sheet, cell, characters):
            return "Cell \(cell) of sheet \"\(sheet)\" holds \(characters) characters; a spreadsheet cell holds at most 32767."
        case let .cannotWrite(path, reason):
            return "Could not write \(path): \(reason)."
        }
    }
}
