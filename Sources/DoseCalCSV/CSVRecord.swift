/// One record of a ``CSVReader``: a view of its fields in the reader's buffer.
///
/// Valid until the reader's next ``CSVReader/next()``; accessing it afterwards traps.
public struct CSVRecord {
    let scanner: CSVScanner
    let generation: Int

    /// The 1-based physical line where the record starts.
    public let line: Int
    /// Number of fields.
    public let count: Int

    init(scanner: CSVScanner) {
        self.scanner = scanner
        generation = scanner.generation
        line = scanner.recordLine
        count = scanner.spanCount
    }

    @inline(__always)
    private func checkValid(_ index: Int) {
        precondition(generation == scanner.generation, "CSVRecord used after its reader moved on")
        precondition(index >= 0 && index < count, "field index \(index) out of range 0..<\(count)")
    }

    /// Calls `body` with the raw bytes of field `index` (quotes removed, `""` collapsed).
    ///
    /// The buffer is valid only inside `body`.
    @inline(__always)
    public func withBytes<Result>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        checkValid(index)
        return try body(scanner.bytes(at: index))
    }

    /// The record's bytes from the start of its first field to the end of its last (delimiters
    /// included, doubled quotes collapsed): equal for byte-identical lines.
    func withRecordBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        checkValid(0)
        return try body(scanner.recordBytes())
    }

    /// The field's bytes, copied.
    public func bytes(at index: Int) -> [UInt8] {
        withBytes(at: index) { Array($0) }
    }

    /// Whether field `index` is empty or only ASCII whitespace (space, tab, CR, LF, VT, FF).
    public func isBlank(at index: Int) -> Bool {
        withBytes(at: index) { trimmingASCIIWhitespace($0).isEmpty }
    }

    /// Field `index` as text.
    ///
    /// - Throws: ``CSVError`` (``CSVError/Kind/invalidUTF8``) naming the file, line and column
    ///   when the bytes are not valid UTF-8.
    public func string(at index: Int) throws(CSVError) -> String {
        let result: String? = withBytes(at: index) { bytes in
            var ascii = true
            for b in bytes where b >= 0x80 { ascii = false; break }
            if ascii { return String(decoding: bytes, as: UTF8.self) }
            return String(validating: bytes, as: UTF8.self)
        }
        guard let result else {
            throw CSVError(
                .invalidUTF8, file: scanner.name, line: line, column: scanner.columnLabel(index), value: lossyString(at: index),
                message: "\(scanner.columnPhrase(index)) is not valid UTF-8 text (the file must be saved as UTF-8)")
        }
        return result
    }

    /// Field `index` as text, invalid UTF-8 replaced by U+FFFD: for messages only.
    public func lossyString(at index: Int) -> String {
        withBytes(at: index) { String(decoding: $0, as: UTF8.self) }
    }

    /// Field `index` as a number, ignoring surrounding ASCII whitespace, quoted or not.
    ///
    /// - Returns: the value ``parseDouble(_:)-(UnsafeRawBufferPointer)`` gives (exactly Swift's
    ///   `Double(String)`), or `nil` when the field is blank or not a decimal number. The value
    ///   may be infinite when the text overflows (`1e999`): check `isFinite`.
    @inline(__always)
    public func double(at index: Int) -> Double? {
        withBytes(at: index) { parseDouble(trimmingASCIIWhitespace($0)) }
    }

    /// Whether field `index` equals `text` byte for byte.
    public func equals(_ text: String, at index: Int) -> Bool {
        var text = text
        return withBytes(at: index) { bytes in
            text.withUTF8 { $0.elementsEqual(bytes) }
        }
    }
}

