/// One data element as read: tag, VR, where it starts, and its value.
public struct DataElement: Sendable {
    /// The value of an element.
    public enum Value: Sendable {
        /// The value bytes (little endian, padding included).
        case bytes([UInt8])
        /// The items of a sequence (SQ, or a `UN`/unknown element whose value is a sequence).
        case items([DataSet])
        /// Encapsulated (compressed) pixel data: the fragments are skipped, only counted.
        case encapsulated(fragments: Int)
    }

    public var tag: DICOMTag
    /// The VR as written (explicit VR) or from ``DataDictionary`` (implicit VR: from the reader's small data dictionary, `UN` when not in it).
    public var vr: DICOMVR
    /// Byte offset of the element's tag in the file (in the inflated bytes for a deflated file).
    public var offset: Int
    public var value: Value

    /// The items, for a sequence; empty otherwise.
    public var items: [DataSet] {
        if case let .items(items) = value { return items }
        return []
    }

    /// The value bytes; empty for sequences and encapsulated data.
    public var bytes: [UInt8] {
        if case let .bytes(bytes) = value { return bytes }
        return []
    }
}

/// A DICOM data set (the file's, or one sequence item's): elements in the order read.
///
/// Lookup by tag is linear; SR items hold a handful of elements and the header a few dozen, so
/// a dictionary would cost more than it saves.
public struct DataSet: Sendable {
    public var elements: [DataElement]
    /// The character set its text values are decoded with (its own (0008,0005), else the
    /// enclosing data set's).
    public var characterSet: SpecificCharacterSet
    /// Byte offset where the data set (or item) starts.
    public var offset: Int

    public init(elements: [DataElement] = [], characterSet: SpecificCharacterSet = .default, offset: Int = 0) {
        self.elements = elements
        self.characterSet = characterSet
        self.offset = offset
    }

    /// The first element with `tag`.
    /// - Complexity: O(*n*) in the number of elements.
    public subscript(tag: DICOMTag) -> DataElement? {
        elements.first { $0.tag == tag }
    }

    /// The value of `tag` as text: decoded with ``characterSet`` for SH, LO, ST, LT, UC, UT and
    /// PN, as ASCII otherwise; leading and trailing spaces and NULs removed. `nil` when the
    /// element is absent, is a sequence, or is empty after trimming.
    public func string(_ tag: DICOMTag) -> String? {
        guard let e = self[tag], case let .bytes(bytes) = e.value else { return nil }
        // Padding is trimmed on the bytes: space and NUL are single bytes in every repertoire read.
        var start = bytes.startIndex, end = bytes.endIndex
        while start < end, bytes[start] == 0x20 || bytes[start] == 0 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0 { end -= 1 }
        guard start < end else { return nil }
        let trimmed = bytes[start..<end]
        return e.vr.usesSpecificCharacterSet || e.vr == .UN
            ? characterSet.decode(trimmed)
            : SpecificCharacterSet.latin1(trimmed)
    }

    /// The items of the sequence `tag` (empty when absent or not a sequence).
    public func sequence(_ tag: DICOMTag) -> [DataSet] {
        self[tag]?.items ?? []
    }
}
