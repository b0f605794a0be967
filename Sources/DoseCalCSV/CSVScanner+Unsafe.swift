// The only file of DoseCalCSV that touches raw memory: the chunked byte buffer, the RFC 4180
// state machine over it, and in-place unescaping of doubled quotes.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

private let lineFeed = UInt8(ascii: "\n")
private let carriageReturn = UInt8(ascii: "\r")
private let quote = UInt8(ascii: "\"")
private let comma = UInt8(ascii: ",")

/// One field of the current record: a byte range of the scanner's buffer (quotes excluded);
/// also the direct-file engine's record scanner's.
package struct FieldSpan {
    package var start: Int
    package var end: Int
    /// The field is quoted and holds doubled quotes still to be collapsed.
    package var hasEscapedQuotes: Bool

    @inlinable
    package init(start: Int, end: Int, hasEscapedQuotes: Bool) {
        self.start = start
        self.end = end
        self.hasEscapedQuotes = hasEscapedQuotes
    }
}

/// Where the scanner's bytes come from.
enum ByteInput {
    /// A file descriptor, closed by the scanner when `owned`.
    case descriptor(Int32, owned: Bool)
    /// Bytes in memory (tests, small inputs), handed out `chunkSize` at a time like a file.
    case memory([UInt8], position: Int)
}

/// The RFC 4180 scanner behind ``CSVReader``: reads `chunkSize` bytes at a time into one growing
/// buffer and splits it into records whose fields are byte ranges of that buffer.
///
/// The buffer holds the unparsed tail of the input. When a record runs past the filled part,
/// the partial record is moved to the front, more bytes are read, and the record is scanned
/// again from its start, so memory is bounded by `chunkSize` plus the longest record, whatever
/// the file size. Doubled quotes are collapsed in place once a record is complete (the
/// collapsed text is never longer), so every field stays one contiguous range.
final class CSVScanner {
    let name: String
    let chunkSize: Int
    private var input: ByteInput

    private(set) var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Start of the unconsumed bytes.
    private var start = 0
    /// End of the filled bytes.
    private var end = 0
    private var atEOF = false
    private var checkedBOM = false

    private(set) var spans: UnsafeMutablePointer<FieldSpan>
    private var spanCapacity = 16
    private(set) var spanCount = 0

    /// Physical line (1-based) where the next record starts.
    private var nextLine = 1
    /// Physical line where the current record starts.
    private(set) var recordLine = 0
    /// Incremented for every record; a ``CSVRecord`` from an older generation is stale.
    private(set) var generation = 0
    /// Bytes read from the input so far.
    private(set) var bytesRead = 0
    /// Column names for messages (set once the header is read).
    var columnNames: [String]?

    /// `firstLine`: the physical line the input starts on; `atFileStart`: whether it starts a
    /// file (a byte-order mark there is skipped; in the middle of a file it is text).
    init(name: String, input: ByteInput, chunkSize: Int, firstLine: Int = 1, atFileStart: Bool = true) {
        precondition(chunkSize > 0, "chunk size must be positive")
        self.name = name
        self.input = input
        self.chunkSize = chunkSize
        nextLine = firstLine
        checkedBOM = !atFileStart
        capacity = max(chunkSize, 16)
        buffer = .allocate(capacity: capacity)
        spans = .allocate(capacity: spanCapacity)
    }

    deinit {
        buffer.deallocate()
        spans.deallocate()
        if case let .descriptor(fd, owned) = input, owned { _ = close(fd) }
    }

    /// The size of the input when it is a regular file or in memory.
    var totalBytes: Int? {
        switch input {
        case let .memory(bytes, _):
            return bytes.count
        case let .descriptor(fd, _):
            var info = stat()
            guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
            return Int(info.st_size)
        }
    }

    // MARK: Records

    /// Scans the next non-empty record; `false` at the end of the input.
    ///
    /// An empty line (no bytes before its line end) is not a record and is skipped, wherever it is.
    func advance() throws(CSVError) -> Bool {
        if !checkedBOM { try skipBOM() }
        while true {
            switch try scan() {
            case .needMore:
                try refill()
            case .endOfInput:
                spanCount = 0
                return false
            case let .emptyLine(next):
                start = next
                nextLine += 1
            case let .record(next, newlines):
                start = next
                recordLine = nextLine
                nextLine += newlines + 1
                generation &+= 1
                collapseDoubledQuotes()
                return true
            }
        }
    }

    /// The bytes of field `index` of the current record.
    @inline(__always)
    func bytes(at index: Int) -> UnsafeRawBufferPointer {
        let span = spans[index]
        return UnsafeRawBufferPointer(start: buffer + span.start, count: span.end - span.start)
    }

    /// The current record's bytes from the start of its first field to the end of its last.
    func recordBytes() -> UnsafeRawBufferPointer {
        let start = spans[0].start
        let end = spans[spanCount - 1].end
        return UnsafeRawBufferPointer(start: buffer + start, count: end - start)
    }

    /// Header name of column `index` (0-based), or `field N`.
    func columnLabel(_ index: Int) -> String {
        if let columnNames, index < columnNames.count { return columnNames[index] }
        return "field \(index + 1)"
    }

    /// `column NAME` or `field N`, for sentences.
    func columnPhrase(_ index: Int) -> String {
        if let columnNames, index < columnNames.count { return "column \(columnNames[index])" }
        return "field \(index + 1)"
    }

    /// The buffer's current size, for tests of bounded memory.
    var bufferCapacity: Int { capacity }

    private enum Scan {
        case record(next: Int, newlines: Int)
        case emptyLine(next: Int)
        case needMore
        case endOfInput
    }

    /// One pass of the state machine over `buffer[start..<end]`: a complete record, an empty
    /// line, or a request for more bytes (the record is then scanned again from its start).
    ///
    /// The hot loop works on locals only (buffer, span storage and count are written back to
    /// the object once per record or on growth).
    @inline(__always)
    private func scan() throws(CSVError) -> Scan {
        let b = buffer
        let end = self.end
        let eof = atEOF
        var p = start
        var spans = self.spans
        var count = 0
        var spanCapacity = self.spanCapacity
        /// Line feeds inside quoted fields of this record so far.
        var newlines = 0
        defer { spanCount = count }

        @inline(__always) func append(_ fieldStart: Int, _ fieldEnd: Int, _ escaped: Bool) {
            if count == spanCapacity {
                growSpans(count: count)
                spans = self.spans
                spanCapacity = self.spanCapacity
            }
            (spans + count).initialize(to: FieldSpan(start: fieldStart, end: fieldEnd, hasEscapedQuotes: escaped))
            count += 1
        }

        if p == end { return eof ? .endOfInput : .needMore }
        if b[p] == lineFeed { return .emptyLine(next: p + 1) }
        if b[p] == carriageReturn {
            if p + 1 == end { return eof ? .emptyLine(next: p + 1) : .needMore }
            if b[p + 1] == lineFeed { return .emptyLine(next: p + 2) }
            throw bareCarriageReturn(line: nextLine, field: 0)
        }

        while true {
            if p < end && b[p] == quote {
                let open = p
                let openNewlines = newlines
                p += 1
                var escaped = false
                while true {
                    while p < end {
                        let c = b[p]
                        if c == quote { break }
                        if c == lineFeed { newlines += 1 }
                        p += 1
                    }
                    if p == end {
                        guard eof else { return .needMore }
                        let lastIsLF = end > 0 && b[end - 1] == lineFeed
                        throw unterminatedQuote(
                            openedOn: nextLine + openNewlines,
                            endLine: nextLine + newlines - (lastIsLF ? 1 : 0), field: count)
                    }
                    if p + 1 == end {
                        guard eof else { return .needMore }
                        append(open + 1, p, escaped)
                        return .record(next: end, newlines: newlines)
                    }
                    if b[p + 1] == quote {
                        escaped = true
                        p += 2
                        continue
                    }
                    break
                }
                append(open + 1, p, escaped)
                p += 1
                let c = b[p]
                if c == comma {
                    p += 1
                    continue
                }
                if c == lineFeed { return .record(next: p + 1, newlines: newlines) }
                if c == carriageReturn {
                    if p + 1 == end { return eof ? .record(next: end, newlines: newlines) : .needMore }
                    if b[p + 1] == lineFeed { return .record(next: p + 2, newlines: newlines) }
                    throw bareCarriageReturn(line: nextLine + newlines, field: count - 1)
                }
                throw textAfterClosingQuote(line: nextLine + newlines, field: count - 1, text: p)
            } else {
                let fieldStart = p
                p = findCSVSpecial(b, from: p, end: end)
                let c: UInt8 = p < end ? b[p] : 0
                if p == end {
                    guard eof else { return .needMore }
                    append(fieldStart, p, false)
                    return .record(next: end, newlines: newlines)
                }
                if c == comma {
                    append(fieldStart, p, false)
                    p += 1
                    continue
                }
                if c == lineFeed {
                    append(fieldStart, p, false)
                    return .record(next: p + 1, newlines: newlines)
                }
                if c == quote {
                    throw quoteInUnquotedField(line: nextLine + newlines, field: count, from: fieldStart, quoteAt: p)
                }
                append(fieldStart, p, false)
                if p + 1 == end { return eof ? .record(next: end, newlines: newlines) : .needMore }
                if b[p + 1] == lineFeed { return .record(next: p + 2, newlines: newlines) }
                throw bareCarriageReturn(line: nextLine + newlines, field: count - 1)
            }
        }
    }


    private func growSpans(count: Int) {
        let bigger = UnsafeMutablePointer<FieldSpan>.allocate(capacity: spanCapacity * 2)
        bigger.moveInitialize(from: spans, count: count)
        spans.deallocate()
        spans = bigger
        spanCapacity *= 2
    }

    /// Collapses `""` to `"` inside quoted fields of the complete current record.
    private func collapseDoubledQuotes() {
        for i in 0..<spanCount where spans[i].hasEscapedQuotes {
            var read = spans[i].start
            var write = read
            let stop = spans[i].end
            while read < stop {
                let c = buffer[read]
                buffer[write] = c
                write += 1
                read += c == quote ? 2 : 1
            }
            spans[i].end = write
            spans[i].hasEscapedQuotes = false
        }
    }

    // MARK: Input

    /// Skips a UTF-8 byte order mark at the start of the input.
    private func skipBOM() throws(CSVError) {
        while end - start < 3 && !atEOF { try refill() }
        if end - start >= 3, buffer[start] == 0xEF, buffer[start + 1] == 0xBB, buffer[start + 2] == 0xBF {
            start += 3
        }
        checkedBOM = true
    }

    /// Moves the unconsumed bytes to the front, grows the buffer if less than a chunk is free,
    /// and reads up to one chunk; sets `atEOF` when the input is exhausted.
    private func refill() throws(CSVError) {
        precondition(!atEOF, "refill after end of input")
        if start > 0 {
            let count = end - start
            if count > 0 { buffer.update(from: buffer + start, count: count) }
            end = count
            start = 0
        }
        if capacity - end < chunkSize {
            let newCapacity = max(capacity * 2, end + chunkSize)
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            bigger.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = bigger
            capacity = newCapacity
        }
        let n = try read(into: buffer + end, count: chunkSize)
        if n == 0 {
            atEOF = true
        } else {
            end += n
            bytesRead += n
        }
    }

    private func read(into destination: UnsafeMutablePointer<UInt8>, count: Int) throws(CSVError) -> Int {
        switch input {
        case let .memory(bytes, position):
            let n = min(count, bytes.count - position)
            if n > 0 {
                bytes.withUnsafeBufferPointer { source in
                    destination.update(from: source.baseAddress! + position, count: n)
                }
                input = .memory(bytes, position: position + n)
            }
            return n
        case let .descriptor(fd, _):
            while true {
                let n = systemRead(fd, destination, count)
                if n >= 0 { return n }
                if errno == EINTR { continue }
                throw CSVError(.readFailed, file: name, message: "cannot read the file: \(String(cString: strerror(errno))).")
            }
        }
    }

    // MARK: Errors

    /// Up to 40 bytes of the buffer as text, for messages.
    private func text(from: Int, to: Int) -> String {
        let to = min(to, from + 40)
        return String(decoding: UnsafeRawBufferPointer(start: buffer + from, count: to - from), as: UTF8.self)
    }

    /// The byte at `position` for a message: `'c'` when printable ASCII, else its hex value.
    private func describeByte(at position: Int) -> String {
        let c = buffer[position]
        return c >= 0x20 && c < 0x7F ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x\(String(c, radix: 16, uppercase: true))"
    }

    /// Messages quote only bytes already scanned, so they do not depend on where a chunk ends.
    private func quoteInUnquotedField(line: Int, field: Int, from fieldStart: Int, quoteAt position: Int) -> CSVError {
        let before = text(from: fieldStart, to: position)
        return CSVError(
            .quoteInUnquotedField, file: name, line: line, column: columnLabel(field), value: before + "\"",
            message: "\(columnPhrase(field)) has a quote inside an unquoted value (after \"\(before)\"); a value containing quotes must be enclosed in quotes, with each inner quote doubled")
    }

    private func textAfterClosingQuote(line: Int, field: Int, text position: Int) -> CSVError {
        CSVError(
            .textAfterClosingQuote, file: name, line: line, column: columnLabel(field), value: text(from: position, to: position + 1),
            message: "\(columnPhrase(field)) has text after its closing quote (\(describeByte(at: position))); a quoted value must end at the closing quote, and an inner quote is written \"\"")
    }

    private func unterminatedQuote(openedOn: Int, endLine: Int, field: Int) -> CSVError {
        CSVError(
            .unterminatedQuote, file: name, line: endLine, column: columnLabel(field),
            message: "unterminated quoted field (opened on line \(openedOn))")
    }

    private func bareCarriageReturn(line: Int, field: Int) -> CSVError {
        CSVError(
            .bareCarriageReturn, file: name, line: line, column: field >= 0 ? columnLabel(field) : nil,
            message: "a carriage return not followed by a line feed outside quotes; lines must end in LF or CRLF")
    }
}

@inline(__always)
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
    read(fd, buffer, count)
}
