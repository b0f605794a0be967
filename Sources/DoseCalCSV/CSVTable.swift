import DoseCalDomain

/// A CSV file with a header row, read by column name: the shared machinery of the record sources.
///
/// Header rules (SPEC §2): names are matched exactly (case and spaces count); columns may come
/// in any order; columns the reader does not know are ignored (a name the reader does not use may
/// even repeat); a known name appearing twice is an error, since which copy holds the data cannot
/// be known; every missing required column is listed in one error.
struct CSVTable {
    let reader: CSVReader
    let header: [String]
    /// Column name → 0-based index, for the names the caller asked about.
    let index: [String: Int]

    /// Reads the header and resolves the columns.
    ///
    /// - Throws: ``CSVError`` (``CSVError/Kind/missingHeader``, ``CSVError/Kind/duplicateColumns``,
    ///   ``CSVError/Kind/missingColumns``, or any reading error).
    init(reader: CSVReader, required: [String], optional: [String]) throws(CSVError) {
        self.reader = reader
        let names = try reader.readHeader()
        header = names
        let known = Set(required + optional)
        var found: [String: Int] = [:]
        var duplicates: [String] = []
        for (i, name) in names.enumerated() where known.contains(name) {
            if found[name] != nil {
                if !duplicates.contains(name) { duplicates.append(name) }
            } else {
                found[name] = i
            }
        }
        if !duplicates.isEmpty {
            throw CSVError(
                .duplicateColumns, file: reader.sourceName, line: reader.headerLine, columns: duplicates,
                message: "duplicate column\(duplicates.count == 1 ? "" : "s") in the header: \(duplicates.joined(separator: ", ")) (each column may appear once)")
        }
        let missing = required.filter { found[$0] == nil }
        if !missing.isEmpty {
            var message = "missing required column\(missing.count == 1 ? "" : "s"): \(missing.joined(separator: ", "))"
            let near = missing.compactMap { name in
                names.first { $0 != name && normalizedColumnName($0) == name }.map { "'\($0)' is not '\(name)'" }
            }
            if !near.isEmpty { message += " (names must match exactly: \(near.joined(separator: "; ")))" }
            throw CSVError(.missingColumns, file: reader.sourceName, columns: missing, message: message)
        }
        index = found
    }

    var sourceName: String { reader.sourceName }

    /// The same table reading one record of the file given as its bytes as written (no line
    /// end), which starts on physical line `line`.
    func reading(record raw: UnsafeRawBufferPointer, line: Int) -> CSVTable {
        var bytes = [UInt8](raw)
        bytes.append(UInt8(ascii: "\n"))
        return CSVTable(reader: CSVReader(record: bytes, line: line, name: sourceName, columnNames: header), header: header, index: index)
    }

    private init(reader: CSVReader, header: [String], index: [String: Int]) {
        self.reader = reader
        self.header = header
        self.index = index
    }

    /// The next record, or a rejection when its field count differs from the header's.
    mutating func next() throws(CSVError) -> Result<CSVRecord, RowRejection>? {
        guard let record = try reader.next() else { return nil }
        guard record.count == header.count else {
            return .failure(RowRejection(
                location: SourceLocation(file: sourceName, line: record.line),
                rule: .badValue,
                reason: "the row has \(record.count) field\(record.count == 1 ? "" : "s") but the header has \(header.count); a row must have one field per column (quote fields that contain commas)"))
        }
        return .success(record)
    }
}

/// Lowercased, trimmed, spaces and dashes as underscores: for "did you mean" hints only.
private func normalizedColumnName(_ name: String) -> String {
    String(name.trimmingASCIIWhitespace().lowercased().map { $0 == " " || $0 == "-" ? "_" : $0 })
}

extension String {
    func trimmingASCIIWhitespace() -> String {
        var utf8 = Substring(self).utf8
        while let b = utf8.first, isASCIIWhitespace(b) { utf8.removeFirst() }
        while let b = utf8.last, isASCIIWhitespace(b) { utf8.removeLast() }
        return String(Substring(utf8))
    }
}
