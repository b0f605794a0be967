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

    /// Buffer index of each field's first content byte, bitwise negated (`~start`) for a quoted
    /// field with doubled quotes still to be collapsed, and one past its last content byte.
    private var starts: UnsafeMutablePointer<Int>
    private var ends: UnsafeMutablePointer<Int>
    private var spanCapacity = 128
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
        starts = Self.allocateSpans(spanCapacity)
        ends = Self.allocateSpans(spanCapacity)
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

    private static func allocateSpans(_ capacity: Int) -> UnsafeMutablePointer<Int> {
        let spans = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
        spans.initialize(repeating: 0, count: capacity)
        return spans
    }

    deinit {
        close(fd)
        buffer.deallocate()
        starts.deallocate()
        ends.deallocate()
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
        let start = starts[index], end = ends[index]
        if start >= 0 { return UnsafeRawBufferPointer(start: buffer + start, count: end - start) }
        let length = end - ~start
        if scratchUsed + length > scratchCapacity { growScratch(scratchUsed + length) }
        let out = scratch + scratchUsed
        var read = ~start
        var write = 0
        while read < end {
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
        let start = starts[index], end = ends[index]
        return start >= 0 ? (UnsafeRawBufferPointer(start: buffer + start, count: end - start), false)
            : (UnsafeRawBufferPointer(start: buffer + ~start, count: end - ~start), true)
    }

    /// File offset of the current record's first byte.
    var recordOffset: Int { bufferBase + recordStart }

    /// The current record's raw bytes, without its line end.
    var rawRecord: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: buffer + recordStart, count: recordEnd - recordStart)
    }

    /// The bytes DoseCalCSV's reader calls the record's bytes (from the first field's content to
    /// the last's, after its in-place collapse of doubled quotes), hashed as its content digest.
    func contentDigest() -> UInt64 {
        @inline(__always) func start(_ i: Int) -> Int { starts[i] >= 0 ? starts[i] : ~starts[i] }
        let first = start(0)
        let last = ends[fieldCount - 1]
        var copy = [UInt8](UnsafeRawBufferPointer(start: buffer + first, count: last - first))
        var end = copy.count
        for i in 0..<fieldCount where starts[i] < 0 {
            var read = start(i) - first
            var write = read
            let stop = ends[i] - first
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
        if count == spanCapacity { growSpans() }
        starts[count] = escaped ? ~start : start
        ends[count] = end
        count += 1
    }

    /// Doubles the capacity of the field positions, keeping those of the current record.
    private func growSpans() {
        let biggerStarts = Self.allocateSpans(spanCapacity * 2), biggerEnds = Self.allocateSpans(spanCapacity * 2)
        biggerStarts.update(from: starts, count: spanCapacity)
        biggerEnds.update(from: ends, count: spanCapacity)
        starts.deallocate()
        ends.deallocate()
        starts = biggerStarts
        ends = biggerEnds
        spanCapacity *= 2
    }

    /// Every byte of the current record is ASCII (known from the classified blocks; `false`
    /// when not known, e.g. for records the state machine read). Lets the field checks skip
    /// their own UTF-8 scan.
    private(set) var recordIsASCII = false

    /// The masks of every whole 64-byte block of the filled bytes (block k is buffer indices
    /// 64k ..< 64k + 64; bit i of a block's mask is byte 64k + i), classified in one call after
    /// each read (`dosecal_classify_blocks`, AVX2 where the CPU has it), and how many blocks that
    /// is: commas; quotes, LF and CR; bytes that are not ASCII.
    private var blockCommasAll: UnsafeMutablePointer<UInt64>
    private var blockOthersAll: UnsafeMutablePointer<UInt64>
    private var blockHighAll: UnsafeMutablePointer<UInt64>
    private var classifiedBlocks = 0

    private static func allocateMasks(_ capacity: Int) -> UnsafeMutablePointer<UInt64> {
        let masks = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity / 64 + 1)
        masks.initialize(repeating: 0, count: capacity / 64 + 1)
        return masks
    }

    /// The common record, fast: ended by a LF or CR LF inside the filled buffer, quotes only
    /// around whole fields that hold no line feed, within the classified blocks. Returns where the
    /// next record starts and where this one ends, or `nil` (nothing consumed) to leave the
    /// record to the state machine.
    ///
    /// The commas of a block before its first quote, LF or CR end fields one after another in
    /// a loop of a few instructions (the positions' room is made once a block, and the masks
    /// and positions are held in locals).
    @inline(__always)
    private func plainRecord() -> (next: Int, end: Int)? {
        let p = position
        let limit = classifiedBlocks
        guard p &>> 6 < limit else { return nil }
        let first = buffer[p]
        guard first != lineFeed && first != carriageReturn else { return nil }
        let commasAll = blockCommasAll, othersAll = blockOthersAll, highAll = blockHighAll
        var k = p &>> 6
        var base = k &<< 6
        var keep = ~UInt64(0) &<< UInt64(p &- base)
        var commas = commasAll[k] & keep
        var others = othersAll[k] & keep
        // Non-ASCII bytes of the blocks from the record's start on (a few bytes after its end
        // too, which can only make it look non-ASCII).
        var high = highAll[k] & keep
        var count = 0
        var fieldStart = p
        while true {
            // Room for a field per byte of the block.
            if count &+ 65 > spanCapacity { growSpans() }
            let s = starts, e = ends
            let stop = others & (0 &- others)
            var before = stop == 0 ? commas : commas & (stop &- 1)
            while before != 0 {
                let at = base &+ before.trailingZeroBitCount
                s[count] = fieldStart
                e[count] = at
                count &+= 1
                fieldStart = at &+ 1
                before &= before &- 1
            }
            if stop == 0 {
                k &+= 1
                guard k < limit else { return nil }
                base &+= 64
                commas = commasAll[k]
                others = othersAll[k]
                high |= highAll[k]
                continue
            }
            let at = base &+ stop.trailingZeroBitCount
            let c = buffer[at]
            if c == lineFeed || c == carriageReturn {
                if c == carriageReturn {
                    guard at &+ 1 < filled, buffer[at &+ 1] == lineFeed else { return nil }
                }
                s[count] = fieldStart
                e[count] = at
                fieldCount = count &+ 1
                recordIsASCII = high == 0
                return (c == lineFeed ? at &+ 1 : at &+ 2, at)
            }
            // A quote: it must open the field; the field runs to its closing quote, the next
            // quote, LF or CR of the masks (a LF or CR inside quotes goes to the state machine;
            // commas inside are skipped with the rest of the field). Every block searched is
            // classified, so the non-ASCII mask still covers the whole record.
            guard at == fieldStart else { return nil }
            var from = at &+ 1
            var escaped = false
            var close: Int
            while true {
                if from >= base &+ 64 {
                    k = from &>> 6
                    guard k < limit else { return nil }
                    base = k &<< 6
                    high |= highAll[k]
                }
                let ahead = othersAll[k] & (~UInt64(0) &<< UInt64(from &- base))
                guard ahead != 0 else {
                    from = base &+ 64
                    continue
                }
                close = base &+ ahead.trailingZeroBitCount
                guard buffer[close] == quote, close &+ 1 < filled else { return nil }
                guard buffer[close &+ 1] == quote else { break }
                escaped = true
                from = close &+ 2
            }
            s[count] = escaped ? ~(at &+ 1) : at &+ 1
            e[count] = close
            count &+= 1
            let after = buffer[close &+ 1]
            if after == lineFeed || after == carriageReturn {
                if after == carriageReturn {
                    guard close &+ 2 < filled, buffer[close &+ 2] == lineFeed else { return nil }
                }
                fieldCount = count
                recordIsASCII = high == 0
                return (after == lineFeed ? close &+ 2 : close &+ 3, close &+ 1)
            }
            guard after == comma else { return nil }
            fieldStart = close &+ 2
            if fieldStart >= base &+ 64 {
                k = fieldStart &>> 6
                guard k < limit else { return nil }
                base = k &<< 6
                high |= highAll[k]
            }
            keep = ~UInt64(0) &<< UInt64(fieldStart &- base)
            commas = commasAll[k] & keep
            others = othersAll[k] & keep
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

/// `(0..<count).map(body)`, the calls run concurrently (each writes only its own result).
func parallelMap<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    [T](unsafeUninitializedCapacity: count) { out, initialized in
        let results = SharedResults(base: out.baseAddress)
        parallelFor(count) { (results.base! + $0).initialize(to: body($0)) }
        initialized = count
    }
}

/// The result buffer the calls of ``parallelMap(_:_:)`` write, each its own element.
private struct SharedResults<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>?
}

extension RecordScanner {
    /// Scans the records of `path` from byte `begin` up to the first record that starts at or
    /// after `stop`, calling `row` on each: one part's pass (procedures or exposures).
    /// - Returns: where the scan ended and the line feeds it crossed, or `nil` when the file
    ///   cannot be read or `row` throws (the caller falls back to the reference path).
    /// `mark`, when given, is called before every `markEvery`-th record (not the first): a
    /// place a later rescan of the range can start from.
    static func scan(path: String, from begin: Int, stopAt stop: Int, markEvery: Int = 1024, mark: (RecordScanner) -> Void = { _ in },
                     _ row: (RecordScanner) throws -> Void) -> (endOffset: Int, lineFeeds: Int)? {
        do {
            let scanner = try RecordScanner(path: path, offset: begin)
            var countdown = markEvery
            while try scanner.next(stopAt: stop) {
                countdown -= 1
                if countdown == 0 {
                    countdown = markEvery
                    mark(scanner)
                }
                try row(scanner)
            }
            return (scanner.offset, scanner.lineFeeds)
        } catch {
            return nil
        }
    }
}
