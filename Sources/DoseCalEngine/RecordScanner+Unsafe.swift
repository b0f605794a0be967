// A byte range of a file read in 64 KiB chunks with pread(2) into a raw buffer, classified a
// buffer at a time and split into RFC 4180 records whose fields are byte ranges of the buffer.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import DoseCalCSV
import _EngineShims

private let lineFeed = UInt8(ascii: "\n")
private let carriageReturn = UInt8(ascii: "\r")
private let quote = UInt8(ascii: "\"")
private let comma = UInt8(ascii: ",")

/// The input is not well-formed RFC 4180 at some point (the exact error is left to the
/// reference reader, which the engine falls back to).
struct MalformedCSV: Error {}

/// Scans a file from a byte offset to its end, one record at a time, with the same grammar and
/// line counting as DoseCalCSV's `CSVReader` (strict RFC 4180; LF or CRLF; empty lines skipped;
/// a bare CR is malformed except as the very last byte).
///
/// The buffer is left untouched (doubled quotes are collapsed on demand into a scratch area,
/// ``bytes(of:)``), so a record's raw bytes stay available for replaying it through the
/// reference record sources.
///
/// Memory: the chunk size plus the longest record, and 3/8 of that for the block masks,
/// whatever the file size.
final class RecordScanner {
    private let fd: Int32
    private let fileSize: Int
    private let chunkSize: Int
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// File offset of `buffer[0]`.
    private var bufferBase: Int
    /// Start of the unconsumed bytes.
    private var position = 0
    /// End of the filled bytes.
    private var filled = 0

    private(set) var spans: UnsafeMutablePointer<FieldSpan>
    private var spanCapacity = 32
    /// Fields of the current record.
    private(set) var fieldCount = 0
    /// Buffer index of the current record's first byte, and of its line end (or end of input).
    private(set) var recordStart = 0
    private(set) var recordEnd = 0
    /// Line feeds consumed before the current record (relative to where the scan started).
    private(set) var linesBefore = 0
    private var lineFeedsConsumed = 0

    private var scratch: UnsafeMutablePointer<UInt8>
    private var scratchCapacity = 4096
    private var scratchUsed = 0

    /// Opens `path` and positions the scanner at byte `offset`.
    init(path: String, offset: Int, chunkSize: Int = 1 << 16) throws(MalformedCSV) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw MalformedCSV() }
        var st = stat()
        guard fstat(fd, &st) == 0 else { close(fd); throw MalformedCSV() }
        self.fd = fd
        fileSize = Int(st.st_size)
        self.chunkSize = chunkSize
        capacity = chunkSize
        buffer = Self.allocateBytes(capacity)
        bufferBase = offset
        spans = Self.allocateSpans(spanCapacity)
        scratch = Self.allocateBytes(scratchCapacity)
        blockCommasAll = Self.allocateMasks(capacity)
        blockOthersAll = Self.allocateMasks(capacity)
        blockHighAll = Self.allocateMasks(capacity)
    }

    /// Bytes readable past the end of any field (``bytes(of:)``): the byte buffers keep this
    /// much zeroed slack after their capacity, so a field may be read a word at a time
    /// (``plainDecimal(_:padded:)``).
    static let fieldSlack = 8

    /// A zeroed byte buffer of `capacity` bytes and ``fieldSlack`` more.
    private static func allocateBytes(_ capacity: Int) -> UnsafeMutablePointer<UInt8> {
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity + fieldSlack)
        bytes.initialize(repeating: 0, count: capacity + fieldSlack)
        return bytes
    }

    private static func allocateSpans(_ capacity: Int) -> UnsafeMutablePointer<FieldSpan> {
        let spans = UnsafeMutablePointer<FieldSpan>.allocate(capacity: capacity)
        spans.initialize(repeating: FieldSpan(start: 0, end: 0, hasEscapedQuotes: false), count: capacity)
        return spans
    }

    deinit {
        close(fd)
        buffer.deallocate()
        spans.deallocate()
        scratch.deallocate()
        blockCommasAll.deallocate()
        blockOthersAll.deallocate()
        blockHighAll.deallocate()
    }

    /// File offset of the next unconsumed byte (a record or empty-line boundary between calls).
    var offset: Int { bufferBase + position }
    private var atEOF: Bool { bufferBase + filled >= fileSize }

    /// 1-based line of the current record, relative to the line where the scan started.
    var relativeLine: Int { linesBefore + 1 }

    /// Skips a UTF-8 byte order mark when the scan starts at the beginning of the file.
    func skipByteOrderMark() throws(MalformedCSV) {
        guard offset == 0 else { return }
        while filled - position < 3 && !atEOF { try refill() }
        if filled - position >= 3, buffer[position] == 0xEF, buffer[position + 1] == 0xBB, buffer[position + 2] == 0xBF {
            position += 3
        }
    }

    /// Advances to the next record; `false` at the end of the file or when the next record
    /// would start at or after `stop`.
    func next(stopAt stop: Int = .max) throws(MalformedCSV) -> Bool {
        scratchUsed = 0
        while true {
            if bufferBase + position >= stop { return false }
            if let (next, end) = plainRecord() {
                recordStart = position
                recordEnd = end
                linesBefore = lineFeedsConsumed
                lineFeedsConsumed += 1
                position = next
                return true
            }
            switch try scan() {
            case .needMore:
                try refill()
            case .endOfInput:
                fieldCount = 0
                return false
            case let .emptyLine(next):
                position = next
                lineFeedsConsumed += 1
            case let .record(next, end, newlines, terminated):
                recordIsASCII = false
                recordStart = position
                recordEnd = end
                linesBefore = lineFeedsConsumed
                lineFeedsConsumed += newlines + (terminated ? 1 : 0)
                position = next
                return true
            }
        }
    }

    /// Line feeds consumed so far (the line base of a scan that would start here).
    var lineFeeds: Int { lineFeedsConsumed }

    /// The content of field `index` with doubled quotes collapsed, valid until the next record;
    /// ``fieldSlack`` bytes after it may be read (and ignored).
    @inline(__always)
    func bytes(of index: Int) -> UnsafeRawBufferPointer {
        let span = spans[index]
        if !span.hasEscapedQuotes { return UnsafeRawBufferPointer(start: buffer + span.start, count: span.end - span.start) }
        let length = span.end - span.start
        if scratchUsed + length > scratchCapacity { growScratch(scratchUsed + length) }
        let out = scratch + scratchUsed
        var read = span.start
        var write = 0
        while read < span.end {
            let c = buffer[read]
            out[write] = c
            write += 1
            read += c == quote ? 2 : 1
        }
        scratchUsed += write
        return UnsafeRawBufferPointer(start: out, count: write)
    }

    /// The content of field `index` as written, doubled quotes not collapsed, and whether it
    /// has any (an escaped field's bytes identify its text as well as ``bytes(of:)``'s do: a
    /// quote can only be written doubled, inside quotes); ``fieldSlack`` bytes after it may be read.
    @inline(__always)
    func writtenBytes(of index: Int) -> (bytes: UnsafeRawBufferPointer, escaped: Bool) {
        let span = spans[index]
        return (UnsafeRawBufferPointer(start: buffer + span.start, count: span.end - span.start), span.hasEscapedQuotes)
    }

    /// The current record's raw bytes, without its line end.
    var rawRecord: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: buffer + recordStart, count: recordEnd - recordStart)
    }

    /// The bytes DoseCalCSV's reader calls the record's bytes (from the first field's content to
    /// the last's, after its in-place collapse of doubled quotes), hashed as its content digest.
    func contentDigest() -> UInt64 {
        let first = spans[0].start
        let last = spans[fieldCount - 1].end
        var copy = [UInt8](UnsafeRawBufferPointer(start: buffer + first, count: last - first))
        var end = copy.count
        for i in 0..<fieldCount where spans[i].hasEscapedQuotes {
            var read = spans[i].start - first
            var write = read
            let stop = spans[i].end - first
            while read < stop {
                let c = copy[read]
                copy[write] = c
                write += 1
                read += c == quote ? 2 : 1
            }
            if i == fieldCount - 1 { end = write }
        }
        return copy.withUnsafeBytes { murmur3x64_128(UnsafeRawBufferPointer(rebasing: $0[0..<end]), seed: 0xC047_E27).low }
    }

    private func growScratch(_ needed: Int) {
        var newCapacity = scratchCapacity
        while newCapacity < needed { newCapacity *= 2 }
        let bigger = Self.allocateBytes(newCapacity)
        bigger.update(from: scratch, count: scratchUsed)
        scratch.deallocate()
        scratch = bigger
        scratchCapacity = newCapacity
    }

    private enum Scan {
        case record(next: Int, end: Int, newlines: Int, terminated: Bool)
        case emptyLine(next: Int)
        case needMore
        case endOfInput
    }

    @inline(__always)
    private func append(_ count: inout Int, _ start: Int, _ end: Int, _ escaped: Bool) {
        if count == spanCapacity {
            let bigger = Self.allocateSpans(spanCapacity * 2)
            bigger.update(from: spans, count: count)
            spans.deallocate()
            spans = bigger
            spanCapacity *= 2
        }
        // Stored properties set one by one: `FieldSpan`'s initializer is not inlined across
        // modules (a call per field), and the spans are trivial values, initialized at allocation.
        spans[count].start = start
        spans[count].end = end
        spans[count].hasEscapedQuotes = escaped
        count += 1
    }

    /// The 64-byte block last classified (buffer index, or -1) and its masks: bit i of
    /// `blockCommas` is a comma at `blockStart + i`, of `blockOthers` a quote, LF or CR, of
    /// `blockHigh` a byte that is not ASCII.
    private var blockStart = -1
    private var blockCommas: UInt64 = 0
    private var blockOthers: UInt64 = 0
    private var blockHigh: UInt64 = 0

    /// Every byte of the current record is ASCII (known from the classified blocks; `false`
    /// when not known, e.g. for records the state machine read). Lets the field checks skip
    /// their own UTF-8 scan.
    private(set) var recordIsASCII = false

    /// The masks of every whole 64-byte block of the filled bytes (block k is buffer indices
    /// 64k ..< 64k + 64), classified in one call after each read (`dosecal_classify_blocks`,
    /// AVX2 where the CPU has it), and how many blocks that is.
    private var blockCommasAll: UnsafeMutablePointer<UInt64>
    private var blockOthersAll: UnsafeMutablePointer<UInt64>
    private var blockHighAll: UnsafeMutablePointer<UInt64>
    private var classifiedBlocks = 0

    private static func allocateMasks(_ capacity: Int) -> UnsafeMutablePointer<UInt64> {
        let masks = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity / 64 + 1)
        masks.initialize(repeating: 0, count: capacity / 64 + 1)
        return masks
    }

    /// Makes block `k` (which must be classified) the current block.
    @inline(__always)
    private func loadBlock(_ k: Int) {
        blockStart = k &<< 6
        blockCommas = blockCommasAll[k]
        blockOthers = blockOthersAll[k]
        blockHigh = blockHighAll[k]
    }

    /// Whether the block holding buffer index `i` is classified (whole and filled).
    @inline(__always)
    private func isClassified(_ i: Int) -> Bool { i &>> 6 < classifiedBlocks }

    /// The common record, fast: ended by a LF or CR LF inside the filled buffer, quotes only
    /// around whole fields that hold no line feed, within the classified blocks. Returns where the
    /// next record starts and where this one ends, or `nil` (nothing consumed) to leave the
    /// record to the state machine.
    @inline(__always)
    private func plainRecord() -> (next: Int, end: Int)? {
        var p = position
        guard isClassified(p) else { return nil }
        let first = buffer[p]
        guard first != lineFeed && first != carriageReturn else { return nil }
        if blockStart < 0 || p < blockStart || p >= blockStart + 64 { loadBlock(p &>> 6) }
        // Events of the block at or after `p`.
        var keep = ~UInt64(0) << UInt64(p - blockStart)
        var commas = blockCommas & keep
        var others = blockOthers & keep
        // Non-ASCII bytes of the blocks from the record's start on (a few bytes after its end
        // too, which can only make it look non-ASCII).
        var high = blockHigh & keep
        var count = 0
        var fieldStart = p
        while true {
            let events = commas | others
            if events == 0 {
                let next = blockStart + 64
                guard isClassified(next) else { return nil }
                loadBlock(next &>> 6)
                commas = blockCommas
                others = blockOthers
                high |= blockHigh
                continue
            }
            let bit = events.trailingZeroBitCount
            let at = blockStart + bit
            let lowest: UInt64 = 1 << UInt64(bit)
            if commas & lowest != 0 {
                append(&count, fieldStart, at, false)
                fieldStart = at + 1
                commas &= commas - 1
                continue
            }
            let c = buffer[at]
            if c == lineFeed {
                append(&count, fieldStart, at, false)
                fieldCount = count
                recordIsASCII = high == 0
                return (at + 1, at)
            }
            if c == carriageReturn {
                guard at + 1 < filled, buffer[at + 1] == lineFeed else { return nil }
                append(&count, fieldStart, at, false)
                fieldCount = count
                recordIsASCII = high == 0
                return (at + 2, at)
            }
            // A quote: it must open the field; the field runs to its closing quote, the next
            // quote, LF or CR of the masks (a LF or CR inside quotes goes to the state machine;
            // commas inside are skipped with the rest of the field). Every block searched is
            // classified, so the non-ASCII mask still covers the whole record.
            guard at == fieldStart else { return nil }
            var from = at + 1
            var escaped = false
            var e: Int
            while true {
                if from >= blockStart + 64 {
                    guard isClassified(from) else { return nil }
                    loadBlock(from &>> 6)
                    high |= blockHigh
                }
                let ahead = blockOthers & (~UInt64(0) << UInt64(from - blockStart))
                guard ahead != 0 else {
                    from = blockStart + 64
                    continue
                }
                e = blockStart + ahead.trailingZeroBitCount
                guard buffer[e] == quote, e + 1 < filled else { return nil }
                guard buffer[e + 1] == quote else { break }
                escaped = true
                from = e + 2
            }
            append(&count, at + 1, e, escaped)
            let after = buffer[e + 1]
            if after == lineFeed {
                fieldCount = count
                recordIsASCII = high == 0
                return (e + 2, e + 1)
            }
            if after == carriageReturn {
                guard e + 2 < filled, buffer[e + 2] == lineFeed else { return nil }
                fieldCount = count
                recordIsASCII = high == 0
                return (e + 3, e + 1)
            }
            guard after == comma else { return nil }
            p = e + 2
            fieldStart = p
            if p >= blockStart + 64 {
                guard isClassified(p) else { return nil }
                loadBlock(p &>> 6)
                high |= blockHigh
            }
            keep = ~UInt64(0) << UInt64(p - blockStart)
            commas = blockCommas & keep
            others = blockOthers & keep
        }
    }

    /// One pass of the state machine over `buffer[position..<filled]` (mirrors CSVScanner.scan).
    @inline(__always)
    private func scan() throws(MalformedCSV) -> Scan {
        let b = buffer
        let end = filled
        let eof = atEOF
        var p = position
        var count = 0
        var newlines = 0
        defer { fieldCount = count }

        if p == end { return eof ? .endOfInput : .needMore }
        if b[p] == lineFeed { return .emptyLine(next: p + 1) }
        if b[p] == carriageReturn {
            if p + 1 == end { return eof ? .emptyLine(next: p + 1) : .needMore }
            if b[p + 1] == lineFeed { return .emptyLine(next: p + 2) }
            throw MalformedCSV()
        }
        while true {
            if p < end && b[p] == quote {
                let open = p
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
                        throw MalformedCSV()
                    }
                    if p + 1 == end {
                        guard eof else { return .needMore }
                        append(&count, open + 1, p, escaped)
                        return .record(next: end, end: end, newlines: newlines, terminated: false)
                    }
                    if b[p + 1] == quote {
                        escaped = true
                        p += 2
                        continue
                    }
                    break
                }
                append(&count, open + 1, p, escaped)
                p += 1
                let c = b[p]
                if c == comma {
                    p += 1
                    continue
                }
                if c == lineFeed { return .record(next: p + 1, end: p, newlines: newlines, terminated: true) }
                if c == carriageReturn {
                    if p + 1 == end { return eof ? .record(next: end, end: p, newlines: newlines, terminated: false) : .needMore }
                    if b[p + 1] == lineFeed { return .record(next: p + 2, end: p, newlines: newlines, terminated: true) }
                }
                throw MalformedCSV()
            } else {
                let fieldStart = p
                p = findCSVSpecial(b, from: p, end: end)
                if p == end {
                    guard eof else { return .needMore }
                    append(&count, fieldStart, p, false)
                    return .record(next: end, end: end, newlines: newlines, terminated: false)
                }
                let c = b[p]
                if c == comma {
                    append(&count, fieldStart, p, false)
                    p += 1
                    continue
                }
                if c == lineFeed {
                    append(&count, fieldStart, p, false)
                    return .record(next: p + 1, end: p, newlines: newlines, terminated: true)
                }
                if c == quote { throw MalformedCSV() }
                append(&count, fieldStart, p, false)
                if p + 1 == end { return eof ? .record(next: end, end: p, newlines: newlines, terminated: false) : .needMore }
                if b[p + 1] == lineFeed { return .record(next: p + 2, end: p, newlines: newlines, terminated: true) }
                throw MalformedCSV()
            }
        }
    }


    /// Moves the unconsumed bytes to the front, grows the buffer when less than a chunk is
    /// free, reads up to one chunk, and classifies the buffer's whole blocks.
    private func refill() throws(MalformedCSV) {
        blockStart = -1
        classifiedBlocks = 0
        defer {
            classifiedBlocks = filled / 64
            dosecal_classify_blocks(buffer, classifiedBlocks, blockCommasAll, blockOthersAll, blockHighAll)
        }
        let pending = filled - position
        if position > 0 {
            if pending > 0 { buffer.update(from: buffer + position, count: pending) }
            bufferBase += position
            filled = pending
            position = 0
        }
        if capacity - filled < chunkSize {
            let bigger = Self.allocateBytes(capacity * 2)
            bigger.update(from: buffer, count: filled)
            buffer.deallocate()
            buffer = bigger
            capacity *= 2
            for masks in [blockCommasAll, blockOthersAll, blockHighAll] { masks.deallocate() }
            blockCommasAll = Self.allocateMasks(capacity)
            blockOthersAll = Self.allocateMasks(capacity)
            blockHighAll = Self.allocateMasks(capacity)
        }
        let want = min(capacity - filled, fileSize - (bufferBase + filled))
        guard want > 0 else { return }
        let got = pread(fd, buffer + filled, want, off_t(bufferBase + filled))
        guard got > 0 else { throw MalformedCSV() }
        filled += got
    }
}

/// Reads up to `count` bytes of `path` at `offset` (for choosing split points).
func readBytes(path: String, offset: Int, count: Int) -> [UInt8] {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return [] }
    defer { close(fd) }
    var out = [UInt8](repeating: 0, count: count)
    let got = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
    return got > 0 ? Array(out[0..<got]) : []
}

/// The size of a file in bytes, or `nil`.
func fileSize(path: String) -> Int? {
    var st = stat()
    guard stat(path, &st) == 0 else { return nil }
    return Int(st.st_size)
}

/// Runs `body(i)` for `i` in `0..<count` concurrently and waits for all.
func parallelFor(_ count: Int, _ body: @Sendable (Int) -> Void) {
    if count == 1 { body(0); return }
    DispatchQueue.concurrentPerform(iterations: count, execute: body)
}

extension RecordScanner {
    /// Scans the records of `path` from byte `begin` up to the first record that starts at or
    /// after `stop`, calling `row` on each: one part's pass (procedures or exposures).
    /// - Returns: where the scan ended and the line feeds it crossed, or `nil` when the file
    ///   cannot be read or `row` throws (the caller falls back to the reference path).
    static func scan(path: String, from begin: Int, stopAt stop: Int, _ row: (RecordScanner) throws -> Void) -> (endOffset: Int, lineFeeds: Int)? {
        do {
            let scanner = try RecordScanner(path: path, offset: begin)
            while try scanner.next(stopAt: stop) {
                try row(scanner)
            }
            return (scanner.offset, scanner.lineFeeds)
        } catch {
            return nil
        }
    }
}
