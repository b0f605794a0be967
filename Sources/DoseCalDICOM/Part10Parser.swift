/// The bounds-checked, recursive-descent decoder of a DICOM data set (PS3.5 §7).
///
/// Every read is checked against a limit (the end of the file, or of the enclosing defined-length
/// item or sequence), lengths are compared before any addition, every loop consumes at least
/// eight bytes per iteration, and sequences may nest at most ``maxDepth`` deep, so malformed input
/// ends in a ``DICOMError`` and never in a trap or a hang.
struct Part10Parser {
    /// The deepest nesting of sequences accepted.
    static let maxDepth = 64

    let bytes: [UInt8]
    var offset: Int
    /// Appended to messages when the bytes are an inflated data set, whose offsets are not file offsets.
    let context: String

    init(bytes: [UInt8], offset: Int = 0, context: String = "") {
        self.bytes = bytes
        self.offset = offset
        self.context = context
    }

    // MARK: Errors

    func failure(_ kind: DICOMError.Kind, at offset: Int, _ message: String) -> DICOMError {
        DICOMError(kind, offset: offset, message: message + context)
    }

    /// Requires `n` more bytes before `limit`.
    func need(_ n: Int, before limit: Int, at start: Int, _ what: @autoclosure () -> String) throws {
        guard limit - offset >= n else {
            if limit >= bytes.count {
                throw failure(.truncated, at: start, "the data ends at byte \(bytes.count), inside \(what())")
            }
            throw failure(.malformed, at: start, "\(what()) runs past the end of its enclosing item or sequence (byte \(limit))")
        }
    }

    // MARK: Primitives (little endian)

    mutating func u16(before limit: Int, at start: Int, _ what: @autoclosure () -> String) throws -> UInt16 {
        try need(2, before: limit, at: start, what())
        let v = UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
        offset += 2
        return v
    }

    mutating func u32(before limit: Int, at start: Int, _ what: @autoclosure () -> String) throws -> UInt32 {
        try need(4, before: limit, at: start, what())
        var v: UInt32 = 0
        for k in 0..<4 { v |= UInt32(bytes[offset + k]) << (8 * UInt32(k)) }
        offset += 4
        return v
    }

    mutating func tag(before limit: Int) throws -> DICOMTag {
        let start = offset
        let g = try u16(before: limit, at: start, "an element tag")
        let e = try u16(before: limit, at: start, "an element tag")
        return DICOMTag(g, e)
    }

    // MARK: Data sets

    /// Reads elements up to `limit`, or up to an item delimitation when `delimited`.
    mutating func dataSet(
        limit: Int, delimited: Bool, explicit: Bool, depth: Int, characterSet: SpecificCharacterSet
    ) throws -> DataSet {
        let start = offset
        var set = DataSet(characterSet: characterSet, offset: start)
        while offset < limit {
            let tagOffset = offset
            let tag = try tag(before: limit)
            if tag.group == 0xFFFE {
                _ = try u32(before: limit, at: tagOffset, "the length of \(tag)")
                if tag == .itemDelimitation, delimited { return set }
                let what = tag == .item ? "item tag" : tag == .itemDelimitation ? "item delimitation" :
                    tag == .sequenceDelimitation ? "sequence delimitation" : "delimiter"
                throw failure(.malformed, at: tagOffset, "unexpected \(what) \(tag) among the elements of a data set that starts at byte \(start)")
            }
            let element = try elementBody(tag: tag, at: tagOffset, limit: limit, explicit: explicit, depth: depth, characterSet: set.characterSet)
            if tag == .specificCharacterSet, case let .bytes(b) = element.value {
                set.characterSet = SpecificCharacterSet(value: SpecificCharacterSet.latin1(b))
            }
            set.elements.append(element)
        }
        if delimited {
            let kind: DICOMError.Kind = limit >= bytes.count ? .truncated : .malformed
            throw failure(kind, at: start, "the item of undefined length that starts here has no item delimitation (FFFE,E00D) before byte \(limit)")
        }
        return set
    }

    /// Reads the VR, length and value of the element whose tag was just read.
    mutating func elementBody(
        tag: DICOMTag, at tagOffset: Int, limit: Int, explicit: Bool, depth: Int, characterSet: SpecificCharacterSet
    ) throws -> DataElement {
        let vr: DICOMVR
        let length: UInt32
        if explicit {
            try need(2, before: limit, at: tagOffset, "the VR of element \(tag)")
            let b0 = bytes[offset], b1 = bytes[offset + 1]
            guard let v = DICOMVR(bytes: b0, b1) else {
                throw failure(.malformed, at: tagOffset, "element \(tag) has an unknown VR (bytes 0x\(hex2(b0)) 0x\(hex2(b1)))")
            }
            vr = v
            offset += 2
            if vr.hasLongLength {
                _ = try u16(before: limit, at: tagOffset, "the header of element \(tag)")
                length = try u32(before: limit, at: tagOffset, "the length of element \(tag)")
            } else {
                length = UInt32(try u16(before: limit, at: tagOffset, "the length of element \(tag)"))
            }
        } else {
            vr = DataDictionary.implicitVR(of: tag)
            length = try u32(before: limit, at: tagOffset, "the length of element \(tag)")
        }

        if length == 0xFFFF_FFFF {
            let value: DataElement.Value
            switch vr {
            case .SQ:
                value = .items(try sequence(tag: tag, at: tagOffset, length: nil, limit: limit, explicit: explicit, depth: depth + 1, characterSet: characterSet))
            case .UN:
                // PS3.5 §6.2.2: a UN element of undefined length holds a sequence in implicit VR
                // little endian; in implicit VR files every unknown undefined-length element is one.
                value = .items(try sequence(tag: tag, at: tagOffset, length: nil, limit: limit, explicit: false, depth: depth + 1, characterSet: characterSet))
            case .OB, .OW:
                value = .encapsulated(fragments: try skipFragments(tag: tag, at: tagOffset, limit: limit))
            default:
                throw failure(.malformed, at: tagOffset, "element \(tag) (VR \(vr.rawValue)) has undefined length, which only SQ, UN, OB and OW may have")
            }
            return DataElement(tag: tag, vr: vr, offset: tagOffset, value: value)
        }

        let n = Int(length)
        try need(n, before: limit, at: tagOffset, "the \(n)-byte value of element \(tag)")
        if vr == .SQ {
            let items = try sequence(tag: tag, at: tagOffset, length: n, limit: limit, explicit: explicit, depth: depth + 1, characterSet: characterSet)
            return DataElement(tag: tag, vr: vr, offset: tagOffset, value: .items(items))
        }
        let value = Array(bytes[offset..<(offset + n)])
        offset += n
        return DataElement(tag: tag, vr: vr, offset: tagOffset, value: .bytes(value))
    }

    /// Reads the items of a sequence of defined (`length`) or undefined (`nil`) length.
    mutating func sequence(
        tag: DICOMTag, at tagOffset: Int, length: Int?, limit: Int, explicit: Bool, depth: Int,
        characterSet: SpecificCharacterSet
    ) throws -> [DataSet] {
        guard depth <= Part10Parser.maxDepth else {
            throw failure(.malformed, at: tagOffset, "sequence \(tag) is nested more than \(Part10Parser.maxDepth) sequences deep")
        }
        let end = length.map { offset + $0 } ?? limit
        var items: [DataSet] = []
        while true {
            if offset >= end {
                if length != nil { return items }
                let kind: DICOMError.Kind = end >= bytes.count ? .truncated : .malformed
                throw failure(kind, at: tagOffset, "sequence \(tag) of undefined length has no sequence delimitation (FFFE,E0DD) before byte \(end)")
            }
            let itemOffset = offset
            let t = try self.tag(before: end)
            let itemLength = try u32(before: end, at: itemOffset, "the length of an item of sequence \(tag)")
            if t == .sequenceDelimitation {
                if length == nil { return items }
                throw failure(.malformed, at: itemOffset, "sequence delimitation inside sequence \(tag), which has a defined length")
            }
            guard t == .item else {
                throw failure(.malformed, at: itemOffset, "expected an item tag (FFFE,E000) in sequence \(tag), found \(t)")
            }
            if itemLength == 0xFFFF_FFFF {
                items.append(try dataSet(limit: end, delimited: true, explicit: explicit, depth: depth, characterSet: characterSet))
            } else {
                let n = Int(itemLength)
                try need(n, before: end, at: itemOffset, "the \(n)-byte item of sequence \(tag)")
                items.append(try dataSet(limit: offset + n, delimited: false, explicit: explicit, depth: depth, characterSet: characterSet))
            }
        }
    }

    /// Skips the fragments of encapsulated pixel data (PS3.5 §A.4); returns how many there were.
    mutating func skipFragments(tag: DICOMTag, at tagOffset: Int, limit: Int) throws -> Int {
        var count = 0
        while true {
            guard offset < limit else {
                let kind: DICOMError.Kind = limit >= bytes.count ? .truncated : .malformed
                throw failure(kind, at: tagOffset, "encapsulated data \(tag) has no sequence delimitation (FFFE,E0DD) before byte \(limit)")
            }
            let itemOffset = offset
            let t = try self.tag(before: limit)
            let n = try u32(before: limit, at: itemOffset, "the length of a fragment of \(tag)")
            if t == .sequenceDelimitation { return count }
            guard t == .item, n != 0xFFFF_FFFF else {
                throw failure(.malformed, at: itemOffset, "expected a fragment item (FFFE,E000) of defined length in encapsulated data \(tag), found \(t)")
            }
            try need(Int(n), before: limit, at: itemOffset, "a \(n)-byte fragment of \(tag)")
            offset += Int(n)
            count += 1
        }
    }
}

func hex2(_ b: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(b >> 4)], digits[Int(b & 15)]])
}
