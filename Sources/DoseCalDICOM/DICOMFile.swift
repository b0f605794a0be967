import Foundation

/// A DICOM Part 10 file (PS3.10 §7): the file meta group and the data set, fully parsed into a tree.
///
/// Accepted layouts: the standard 128-byte preamble followed by `DICM`, and — for files written
/// without a preamble by some tools — a file that starts directly with a group-0002 element in
/// explicit VR little endian. The file meta group is always explicit VR little endian. The data
/// set may be Implicit VR Little Endian (1.2.840.10008.1.2), Explicit VR Little Endian
/// (1.2.840.10008.1.2.1), Deflated Explicit VR Little Endian (1.2.840.10008.1.2.1.99, inflated
/// by ``Inflate``), or any encapsulated-pixel transfer syntax (explicit VR little endian with the
/// pixel fragments skipped). Explicit VR Big Endian and unknown transfer syntaxes are refused.
///
/// Sequences of defined and undefined length, undefined-length items, private elements (skipped
/// by length, or walked when they are sequences of undefined length) and encapsulated pixel data
/// are handled. The reader checks every length against the bytes that remain and limits
/// sequence nesting to 64 levels, so malformed input throws ``DICOMError`` with a byte offset.
///
/// Reference: DICOM PS3.5 (Data Structures and Encoding) §7 and Annex A; PS3.10 §7.
public struct DICOMFile: Sendable {
    /// The file meta information group (0002,xxxx).
    public var meta: DataSet
    /// The data set after the meta group (offsets relative to the inflated bytes when deflated).
    public var dataSet: DataSet
    /// Transfer Syntax UID (0002,0010).
    public var transferSyntaxUID: String
    /// Whether the file had the 128-byte preamble and `DICM` magic.
    public var hasPreamble: Bool

    /// Parses a whole file held in memory.
    /// - Parameters:
    ///   - bytes: the file's bytes.
    ///   - name: the file name used in error messages.
    /// - Throws: ``DICOMError`` (`notDICOM`, `truncated`, `malformed`, `unsupportedTransferSyntax`).
    /// - Complexity: O(*n*) in the number of bytes (plus inflation for deflated files).
    public init(bytes: [UInt8], name: String = "") throws {
        do {
            try self.init(parsing: bytes)
        } catch let error as DICOMError {
            throw error.named(name)
        }
    }

    /// Reads and parses the file at `url`.
    /// - Throws: ``DICOMError`` (`cannotRead` when the file cannot be read, and the parse errors).
    public init(contentsOf url: URL) throws {
        let name = url.path
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DICOMError(.cannotRead, file: name, message: "cannot read the file (\(error.localizedDescription))")
        }
        try self.init(bytes: [UInt8](data), name: name)
    }

    /// Whether `bytes` start like a Part 10 file (`DICM` at byte 128).
    public static func hasMagic(_ bytes: some Collection<UInt8>) -> Bool {
        Array(bytes.dropFirst(128).prefix(4)) == Array("DICM".utf8)
    }

    /// The SOP Class UID of the data set, else the meta group's Media Storage SOP Class UID.
    public var sopClassUID: String? {
        dataSet.string(.sopClassUID) ?? meta.string(.mediaStorageSOPClassUID)
    }

    private init(parsing bytes: [UInt8]) throws {
        let start: Int
        if DICOMFile.hasMagic(bytes) {
            start = 132
            hasPreamble = true
        } else if DICOMFile.startsWithMetaElement(bytes) {
            start = 0
            hasPreamble = false
        } else {
            throw DICOMError(.notDICOM, offset: 0, message: "not a DICOM Part 10 file: no \"DICM\" after a 128-byte preamble and no file meta element (0002,xxxx) at the start")
        }

        var parser = Part10Parser(bytes: bytes, offset: start)
        var meta = DataSet(offset: start)
        while bytes.count - parser.offset >= 2, bytes[parser.offset] == 0x02, bytes[parser.offset + 1] == 0x00 {
            let tagOffset = parser.offset
            let tag = try parser.tag(before: bytes.count)
            meta.elements.append(try parser.elementBody(tag: tag, at: tagOffset, limit: bytes.count, explicit: true, depth: 0, characterSet: .default))
        }
        guard let uid = meta.string(.transferSyntaxUID) else {
            throw DICOMError(.malformed, offset: start, message: "the file meta group has no Transfer Syntax UID (0002,0010)")
        }
        let syntax = DataDictionary.transferSyntax(uid)
        let dataStart = parser.offset
        switch syntax {
        case .implicitLittle, .explicitLittle:
            dataSet = try parser.dataSet(limit: bytes.count, delimited: false, explicit: syntax == .explicitLittle, depth: 0, characterSet: .default)
        case .deflatedExplicitLittle:
            let inflated: [UInt8]
            do {
                inflated = try Inflate.inflate(bytes[dataStart...], maxOutput: Inflate.defaultMaxOutput)
            } catch let error as Inflate.Failure {
                throw DICOMError(error.truncated ? .truncated : .malformed, offset: dataStart + error.inputOffset,
                                 message: "the deflated data set cannot be inflated: \(error.message)")
            }
            var inner = Part10Parser(bytes: inflated, context: " (offset in the inflated data set, which starts at file byte \(dataStart))")
            dataSet = try inner.dataSet(limit: inflated.count, delimited: false, explicit: true, depth: 0, characterSet: .default)
        case let .unsupported(name):
            throw DICOMError(.unsupportedTransferSyntax, offset: start,
                             message: "unsupported transfer syntax \(uid) (\(name)); DoseCal reads Implicit VR Little Endian, Explicit VR Little Endian and Deflated Explicit VR Little Endian")
        }
        self.meta = meta
        transferSyntaxUID = uid
    }

    /// A group-0002 tag followed by two upper-case VR letters at byte 0.
    static func startsWithMetaElement(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 8 && bytes[0] == 0x02 && bytes[1] == 0x00 && DICOMVR(bytes: bytes[4], bytes[5]) != nil
    }
}
