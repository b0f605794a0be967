#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A streaming RFC 4180 reader on bytes: yields the records of a CSV file one at a time, with
/// memory independent of the file size.
///
/// The file is read in large chunks (1 MiB by default) with `read(2)`; a record's fields are byte
/// ranges of the reader's buffer, turned into a `String` or a `Double` only when asked
/// (``CSVRecord/string(at:)``, ``CSVRecord/double(at:)``).
///
/// The grammar is RFC 4180 (Shafranovich 2005), strictly:
/// - fields are separated by `,`; records end with LF or CRLF, and the last one may have no line end;
/// - a field starting with `"` is quoted: it may hold `,`, CR, LF, and `""` for one `"`;
/// - a `"` inside an unquoted field, anything but `,` or a line end after a closing quote, a
///   quoted field still open at the end of the file, and a CR outside quotes that is not followed
///   by LF (except as the very last byte) are errors (``CSVError``), never guessed at;
/// - a UTF-8 byte order mark at the start is skipped; UTF-8 is validated when a field is turned
///   into a `String` (an error names the file, line and column), not for fields read as numbers;
/// - an empty line (nothing before its line end) is not a record: it is skipped, in the middle
///   as at the end, and only advances the line count. A line holding only `""` is a record with
///   one empty field.
///
/// Line numbers are physical lines: a record's ``CSVRecord/line`` is the line where it starts,
/// and line feeds inside quoted fields are counted.
///
/// The reader is a class because it owns a buffer and a file descriptor (closed when the reader
/// is released); it is not `Sendable`: use one reader from one task.
public final class CSVReader {
    /// The default chunk read at a time, 1 MiB.
    public static let defaultChunkSize = 1 << 20

    let scanner: CSVScanner

    /// The file name used in messages: the path as given, `<stdin>` for `-`, or the name passed in.
    public var sourceName: String { scanner.name }

    /// Opens a file, or standard input when `path` is `-`.
    ///
    /// - Parameters:
    ///   - path: the file to read; `-` reads standard input.
    ///   - name: the name used in messages; defaults to `path` (or `<stdin>`).
    /// - Throws: ``CSVError`` (``CSVError/Kind/cannotOpen``) when the file cannot be opened.
    public convenience init(path: String, name: String? = nil) throws(CSVError) {
        try self.init(path: path, name: name, chunkSize: CSVReader.defaultChunkSize)
    }

    /// Opens a file with a given chunk size (tests use tiny chunks to exercise buffer boundaries).
    init(path: String, name: String? = nil, chunkSize: Int) throws(CSVError) {
        if path == "-" {
            scanner = CSVScanner(name: name ?? "<stdin>", input: .descriptor(0, owned: false), chunkSize: chunkSize)
            return
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw CSVError(.cannotOpen, file: name ?? path, message: "cannot open the file: \(reason).")
        }
        scanner = CSVScanner(name: name ?? path, input: .descriptor(fd, owned: true), chunkSize: chunkSize)
    }

    /// Reads CSV from bytes in memory.
    ///
    /// - Parameters:
    ///   - bytes: the whole CSV text as UTF-8.
    ///   - name: the name used in messages.
    public convenience init(bytes: [UInt8], name: String) {
        self.init(bytes: bytes, name: name, chunkSize: CSVReader.defaultChunkSize)
    }

    init(bytes: [UInt8], name: String, chunkSize: Int) {
        scanner = CSVScanner(name: name, input: .memory(bytes, position: 0), chunkSize: chunkSize)
    }

    /// Reads one record of a file from its bytes (the record as written and a line feed),
    /// numbered from `line`, with the file's column names for messages.
    init(record bytes: [UInt8], line: Int, name: String, columnNames: [String]) {
        scanner = CSVScanner(name: name, input: .memory(bytes, position: 0), chunkSize: max(bytes.count, 16), firstLine: line,
                             atFileStart: false)
        scanner.columnNames = columnNames
    }

    /// Header names, used in messages instead of `field N` once set (``readHeader()`` sets them).
    public var columnNames: [String]? {
        get { scanner.columnNames }
        set { scanner.columnNames = newValue }
    }

    /// The line the header was read from (1 unless empty lines precede it).
    var headerLine = 1

    /// Bytes read from the input so far, for progress.
    public var bytesRead: Int { scanner.bytesRead }

    /// The input's size in bytes when known (a regular file or bytes in memory), for progress.
    public var totalBytes: Int? { scanner.totalBytes }

    /// The next record, or `nil` at the end of the input.
    ///
    /// The returned record is valid until the next call to `next()`; using it afterwards is a
    /// programmer error (trapped).
    /// - Throws: ``CSVError`` for malformed quoting, a bare carriage return, or a read failure.
    /// - Complexity: O(record length), amortised; the input is read one chunk at a time.
    public func next() throws(CSVError) -> CSVRecord? {
        guard try scanner.advance() else { return nil }
        return CSVRecord(scanner: scanner)
    }

    /// Reads the first record as the header, sets ``columnNames``, and returns the names.
    ///
    /// - Returns: the header's names as written (not trimmed).
    /// - Throws: ``CSVError`` with ``CSVError/Kind/missingHeader`` when the input has no record,
    ///   ``CSVError/Kind/invalidUTF8`` when a name is not UTF-8, or any error of ``next()``.
    public func readHeader() throws(CSVError) -> [String] {
        guard let record = try next() else {
            throw CSVError(.missingHeader, file: sourceName, message: "the file is empty: a header row naming the columns is expected")
        }
        var names: [String] = []
        names.reserveCapacity(record.count)
        for i in 0..<record.count { names.append(try record.string(at: i)) }
        columnNames = names
        headerLine = record.line
        return names
    }
}
