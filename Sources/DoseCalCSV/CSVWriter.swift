#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes RFC 4180 CSV, to a file, standard output, or memory.
///
/// A field is quoted only when it must be: when it contains `,`, `"`, CR or LF (inner quotes are
/// doubled), or when it is the only, empty field of a row (so the row is not read back as an
/// empty line, which ``CSVReader`` skips). Numbers use Swift's shortest round-trip form
/// (`0.1`, `1e-05`, `2.0`), so reading them back with ``parseDouble(_:)-(UnsafeRawBufferPointer)``
/// gives the same `Double`; `nil` is an empty field, and so are NaN and infinities, which
/// DoseCal never stores as values. Lines end in CRLF by default, as RFC 4180 asks, or LF.
///
/// Output is buffered and flushed in blocks of about 1 MiB; call ``close()`` (or ``flush()``)
/// to be sure everything is written and to see write errors.
public final class CSVWriter {
    /// One cell.
    public enum Field: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral {
        case text(String)
        case number(Double)
        case integer(Int)
        case empty

        public init(stringLiteral value: String) { self = .text(value) }
        public init(floatLiteral value: Double) { self = .number(value) }
        public init(integerLiteral value: Int) { self = .integer(value) }
        public init(nilLiteral: ()) { self = .empty }

        /// `.text`, or `.empty` for `nil`.
        public static func text(_ value: String?) -> Field { value.map(Field.text) ?? .empty }
        /// `.number`, or `.empty` for `nil`.
        public static func number(_ value: Double?) -> Field { value.map(Field.number) ?? .empty }
    }

    /// Line terminator.
    public enum LineEnding: Sendable {
        case crlf, lf
    }

    private enum Output {
        case descriptor(Int32, owned: Bool)
        case memory
        case closed
    }

    private let name: String
    private var output: Output
    private let lineEnding: LineEnding
    private var buffer: [UInt8] = []
    private var written: [UInt8] = []
    private let flushThreshold = 1 << 20

    /// Writes to a file (created or truncated), or to standard output for `-`.
    /// - Throws: ``CSVError`` (``CSVError/Kind/cannotOpen``).
    public init(path: String, lineEnding: LineEnding = .crlf) throws(CSVError) {
        self.lineEnding = lineEnding
        if path == "-" {
            name = "<stdout>"
            output = .descriptor(1, owned: false)
        } else {
            name = path
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard fd >= 0 else {
                throw CSVError(.cannotOpen, file: path, message: "cannot create the file: \(String(cString: strerror(errno))).")
            }
            output = .descriptor(fd, owned: true)
        }
        buffer.reserveCapacity(flushThreshold + 4096)
    }

    /// Writes to memory; ``bytes`` and ``text`` hold the output.
    public init(lineEnding: LineEnding = .crlf) {
        name = "<memory>"
        output = .memory
        self.lineEnding = lineEnding
    }

    deinit {
        try? flush()
        if case let .descriptor(fd, owned) = output, owned { _ = systemClose(fd) }
    }

    /// Everything written so far, for a writer to memory.
    public var bytes: [UInt8] { written + buffer }

    /// ``bytes`` as text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Writes one row.
    /// - Throws: ``CSVError`` (``CSVError/Kind/writeFailed``) when a buffered write fails.
    public func writeRow(_ fields: [Field]) throws(CSVError) {
        if case .closed = output { preconditionFailure("CSVWriter used after close()") }
        precondition(!fields.isEmpty, "a CSV row has at least one field")
        let rowStart = buffer.count
        for (i, field) in fields.enumerated() {
            if i > 0 { buffer.append(UInt8(ascii: ",")) }
            switch field {
            case let .text(s):
                append(text: s)
            case let .number(x):
                if x.isFinite { buffer.append(contentsOf: x.description.utf8) }
            case let .integer(n):
                buffer.append(contentsOf: String(n).utf8)
            case .empty:
                break
            }
        }
        // A row of one empty field would be an empty line, which readers skip.
        if buffer.count == rowStart { buffer.append(contentsOf: #""""#.utf8) }
        if lineEnding == .crlf { buffer.append(UInt8(ascii: "\r")) }
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= flushThreshold { try flush() }
    }

    /// Writes a row of text fields (a header, typically).
    public func writeRow(_ fields: [String]) throws(CSVError) {
        try writeRow(fields.map(Field.text))
    }

    private func append(text: String) {
        var needsQuotes = false
        for b in text.utf8 where b == UInt8(ascii: ",") || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\r") || b == UInt8(ascii: "\n") {
            needsQuotes = true
            break
        }
        guard needsQuotes else {
            buffer.append(contentsOf: text.utf8)
            return
        }
        buffer.append(UInt8(ascii: "\""))
        for b in text.utf8 {
            buffer.append(b)
            if b == UInt8(ascii: "\"") { buffer.append(b) }
        }
        buffer.append(UInt8(ascii: "\""))
    }

    /// Writes out the buffered bytes.
    /// - Throws: ``CSVError`` (``CSVError/Kind/writeFailed``) when writing fails.
    public func flush() throws(CSVError) {
        switch output {
        case .closed:
            precondition(buffer.isEmpty, "CSVWriter used after close()")
        case .memory:
            written.append(contentsOf: buffer)
        case let .descriptor(fd, _):
            var offset = 0
            while offset < buffer.count {
                let n = buffer.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
                if n < 0 {
                    if errno == EINTR { continue }
                    let reason = String(cString: strerror(errno))
                    buffer.removeAll(keepingCapacity: true)
                    throw CSVError(.writeFailed, file: name, message: "cannot write the file: \(reason).")
                }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes the file (standard output is flushed, not closed).
    /// - Throws: ``CSVError`` when writing or closing fails.
    public func close() throws(CSVError) {
        try flush()
        if case let .descriptor(fd, owned) = output, owned {
            output = .closed
            if systemClose(fd) != 0 {
                throw CSVError(.writeFailed, file: name, message: "cannot close the file: \(String(cString: strerror(errno))).")
            }
        }
    }
}

@inline(__always)
private func systemClose(_ fd: Int32) -> Int32 { close(fd) }
