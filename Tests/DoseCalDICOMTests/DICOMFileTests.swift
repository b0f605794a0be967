import Foundation
import Testing
@testable import DoseCalDICOM

@Suite("Part 10 reader")
struct DICOMFileTests {
    static let styles: [(String, W.Style)] = [
        ("explicit, defined lengths", .explicitDefined), ("explicit, undefined lengths", .explicitUndefined),
        ("implicit, defined lengths", .implicitDefined), ("implicit, undefined lengths", .implicitUndefined),
        ("explicit, undefined sequences, defined items", W.Style(explicit: true, undefinedSequences: true, undefinedItems: false)),
        ("implicit, defined sequences, undefined items", W.Style(explicit: false, undefinedSequences: false, undefinedItems: true)),
    ]

    /// A data set with nested sequences, a private creator, private data, and a private sequence.
    static var nested: [W.Node] {
        [
            W.text(.specificCharacterSet, "CS", "ISO_IR 192"),
            W.text(.sopClassUID, "UI", "1.2.840.10008.5.1.4.1.1.88.67"),
            W.text(.stationName, "SH", "Sala Hemodinámica"),
            W.text(DICOMTag(0x0029, 0x0010), "LO", "SIEMENS CSA HEADER"),
            .element(DICOMTag(0x0029, 0x1010), "OB", [1, 2, 3, 4, 0xFE, 0xFF, 0x00, 0xE0]),
            .sequence(DICOMTag(0x0029, 0x1020), [[W.text(DICOMTag(0x0029, 0x1021), "LO", "private inner")]], vr: "UN"),
            // A private SQ: walked in explicit VR, skipped by length (UN) in implicit VR with a defined length.
            .sequence(DICOMTag(0x0029, 0x1030), [[W.text(DICOMTag(0x0029, 0x1031), "LO", "x")], []]),
            .sequence(.contentSequence, [
                [W.text(.valueType, "CS", "CONTAINER"),
                 .sequence(.contentSequence, [[W.text(.valueType, "CS", "TEXT"), W.text(.textValue, "UT", "deep")],
                                              [W.text(.valueType, "CS", "NUM")]])],
                [W.text(.valueType, "CS", "TEXT")],
            ]),
            W.text(.studyInstanceUID, "UI", "1.2.3.4.5"),
        ]
    }

    @Test("nested sequences and private elements", arguments: styles.map(\.0))
    func nestedSequences(style name: String) throws {
        let style = try #require(Self.styles.first { $0.0 == name }?.1)
        let file = try DICOMFile(bytes: W.part10(Self.nested, style: style), name: "t.dcm")
        #expect(file.hasPreamble)
        #expect(file.transferSyntaxUID == (style.explicit ? W.explicitLE : W.implicitLE))
        let ds = file.dataSet
        #expect(ds.string(.stationName) == "Sala Hemodinámica")
        #expect(ds.string(.studyInstanceUID) == "1.2.3.4.5")
        #expect(file.sopClassUID == "1.2.840.10008.5.1.4.1.1.88.67")
        let content = ds.sequence(.contentSequence)
        #expect(content.count == 2)
        #expect(content.first?.sequence(.contentSequence).first?.string(.textValue) == "deep")
        #expect(content.first?.sequence(.contentSequence).count == 2)
        // The private OB data is kept as bytes, the private UN sequence of undefined length walked.
        #expect(ds[DICOMTag(0x0029, 0x1010)]?.bytes.count == 8)
        #expect(ds[DICOMTag(0x0029, 0x1020)]?.items.first?.elements.count == 1)
        let privateSQ = try #require(ds[DICOMTag(0x0029, 0x1030)])
        if style.explicit || style.undefinedSequences {
            #expect(privateSQ.items.count == 2)
        } else {
            #expect(privateSQ.vr == .UN && !privateSQ.bytes.isEmpty)
        }
    }

    @Test("a file without preamble that starts with the meta group is accepted")
    func noPreamble() throws {
        let bytes = W.part10(Self.nested, style: .explicitDefined, preamble: false)
        let file = try DICOMFile(bytes: bytes)
        #expect(!file.hasPreamble)
        #expect(file.dataSet.string(.studyInstanceUID) == "1.2.3.4.5")
    }

    @Test("not DICOM")
    func notDICOM() {
        #expect(throws: DICOMError.self) { try DICOMFile(bytes: Array("hello, this is not a DICOM file".utf8)) }
        do {
            _ = try DICOMFile(bytes: [UInt8](repeating: 0, count: 300), name: "zeros.dcm")
            Issue.record("expected an error")
        } catch let e as DICOMError {
            #expect(e.kind == .notDICOM)
            #expect(e.description.hasPrefix("zeros.dcm at byte 0: not a DICOM Part 10 file"))
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test("big endian and unknown transfer syntaxes are refused by name")
    func unsupportedTransferSyntax() {
        for (uid, name) in [(W.explicitBE, "Explicit VR Big Endian"), ("1.2.3.999", "unknown transfer syntax")] {
            let bytes = W.part10(Self.nested, style: .explicitDefined, transferSyntax: uid)
            do {
                _ = try DICOMFile(bytes: bytes, name: "be.dcm")
                Issue.record("expected an error")
            } catch let e as DICOMError {
                #expect(e.kind == .unsupportedTransferSyntax)
                #expect(e.message.contains(uid))
                #expect(e.message.contains(name))
            } catch { Issue.record("unexpected \(error)") }
        }
    }

    @Test("deflated explicit VR little endian (stored blocks)")
    func deflatedStored() throws {
        let body = W.encode(Self.nested, .explicitUndefined)
        var bytes = W.part10([], style: .explicitDefined, transferSyntax: W.deflatedLE)
        bytes += W.storedDeflate(body)
        let file = try DICOMFile(bytes: bytes)
        #expect(file.dataSet.string(.stationName) == "Sala Hemodinámica")
        #expect(file.dataSet.sequence(.contentSequence).count == 2)
    }

    @Test("encapsulated pixel data is skipped")
    func encapsulated() throws {
        let nodes = Self.nested + [.encapsulated(.pixelData, fragments: [[1, 2, 3, 4], [5, 6]]),
                                   .element(DICOMTag(0xFFFC, 0xFFFC), "OB", [0, 0])]
        let file = try DICOMFile(bytes: W.part10(nodes, style: .explicitDefined))
        guard case let .encapsulated(n)? = file.dataSet[.pixelData]?.value else {
            Issue.record("pixel data not read as encapsulated")
            return
        }
        #expect(n == 3)  // offset table + two fragments
        #expect(file.dataSet[DICOMTag(0xFFFC, 0xFFFC)] != nil)
    }

    @Test("character sets: Latin-1, UTF-8, default, ISO 2022")
    func characterSets() throws {
        let latin1: [UInt8] = [0x4D, 0xFC, 0x6E, 0x63, 0x68, 0x65, 0x6E]  // "München" in ISO 8859-1
        for (charset, bytes, expected) in [
            ("ISO_IR 100", latin1, "München"),
            ("ISO_IR 192", Array("München".utf8), "München"),
            ("", Array("Munich".utf8), "Munich"),
            ("\\ISO 2022 IR 87", [0x59, 0x61, 0x6D, 0x61, 0x64, 0x61, 0x1B, 0x24, 0x42, 0x3B, 0x33, 0x45, 0x44, 0x1B, 0x28, 0x42], "Yamada\u{FFFD}"),
        ] {
            let nodes: [W.Node] = [W.text(.specificCharacterSet, "CS", charset), W.latin1(.stationName, "SH", bytes)]
            let ds = try DICOMFile(bytes: W.part10(nodes, style: .explicitDefined)).dataSet
            #expect(ds.string(.stationName) == expected, "\(charset)")
        }
    }

    @Test("items inherit the character set")
    func inheritedCharacterSet() throws {
        let nodes: [W.Node] = [
            W.text(.specificCharacterSet, "CS", "ISO_IR 100"),
            .sequence(.contentSequence, [[W.latin1(.textValue, "UT", [0x43, 0x61, 0x66, 0xE9])]]),
        ]
        let ds = try DICOMFile(bytes: W.part10(nodes, style: .implicitUndefined)).dataSet
        #expect(ds.sequence(.contentSequence).first?.string(.textValue) == "Café")
    }

    @Test("DA, TM and DT conversion")
    func dateTimes() {
        #expect(DICOMDateTime.isoDate("20240229") == "2024-02-29")
        #expect(DICOMDateTime.isoDate("20230229") == nil)
        #expect(DICOMDateTime.isoDate("2024.01.05") == "2024-01-05")
        #expect(DICOMDateTime.isoTime("101530.123456") == "10:15:30")
        #expect(DICOMDateTime.isoTime("1015") == "10:15:00")
        #expect(DICOMDateTime.isoTime("10") == "10:00:00")
        #expect(DICOMDateTime.isoTime("10:15:30") == "10:15:30")
        #expect(DICOMDateTime.isoTime("2515") == nil)
        #expect(DICOMDateTime.isoTime("1015x") == nil)
        #expect(DICOMDateTime.isoDateTime("20180413131326.0488") == "2018-04-13T13:13:26")
        #expect(DICOMDateTime.isoDateTime("20180413131326+0100") == "2018-04-13T13:13:26")
        #expect(DICOMDateTime.isoDateTime("20180413") == "2018-04-13")
        #expect(DICOMDateTime.isoDateTime("2018") == nil)
    }

    @Test("decimal strings as vendors write them")
    func decimalStrings() {
        #expect(parseDecimalString("1.6e-005") == 1.6e-5)
        #expect(parseDecimalString(" 0.00 ") == 0)
        #expect(parseDecimalString("2.954178618e-05") == 2.954178618e-05)
        #expect(parseDecimalString("+12") == 12)
        #expect(parseDecimalString("-3.5E+2") == -350)
        #expect(parseDecimalString("1\\2") == nil)
        #expect(parseDecimalString("nan") == nil)
        #expect(parseDecimalString("1e999") == nil)
        #expect(parseDecimalString("") == nil)
        #expect(parseDecimalString("1-2") == nil)
    }

    @Test("nesting deeper than 64 sequences is refused")
    func depthLimit() {
        var node: W.Node = W.text(.textValue, "UT", "bottom")
        for _ in 0..<70 { node = .sequence(.contentSequence, [[node]]) }
        for style in [W.Style.explicitDefined, .implicitUndefined] {
            do {
                _ = try DICOMFile(bytes: W.part10([node], style: style))
                Issue.record("expected an error")
            } catch let e as DICOMError {
                #expect(e.kind == .malformed)
                #expect(e.message.contains("nested more than 64"))
            } catch { Issue.record("unexpected \(error)") }
        }
    }

    @Test("a content tree at the nesting limit is read without exhausting the stack")
    func deepContent() throws {
        var item = SR.text(("121106", "DCM", "Comment"), "bottom")
        // 62 containers: the innermost code sequence is 64 sequences deep, the limit.
        for _ in 0..<62 { item = SR.container(("113771", "DCM", "X-Ray Filters"), [item]) }
        var doc = RDSRDocument.small
        doc.content.append(item)
        for style in [W.Style.explicitDefined, .implicitUndefined] {
            let r = try RDSRReport(bytes: doc.bytes(style), name: "deep")
            #expect(r.events == 1)
        }
    }

    @Test("a length past the end names the element and the offset")
    func lengthPastEnd() throws {
        var bytes = W.part10([W.text(.stationName, "SH", "ROOM1")], style: .explicitDefined)
        // The last element's 2-byte length is at count - 8; claim 200 bytes.
        bytes[bytes.count - 8] = 200
        do {
            _ = try DICOMFile(bytes: bytes, name: "x.dcm")
            Issue.record("expected an error")
        } catch let e as DICOMError {
            #expect(e.kind == .truncated)
            #expect(e.offset == bytes.count - 14)
            #expect(e.message.contains("(0008,1010)"))
        }
    }

    @Test("a misplaced delimiter is malformed")
    func strayDelimiter() {
        let bytes = W.part10([], style: .explicitDefined) + W.u16(0xFFFE) + W.u16(0xE0DD) + W.u32(0)
        #expect(throws: DICOMError.self) { try DICOMFile(bytes: bytes) }
    }
}

@Suite("Inflate (RFC 1951)")
struct InflateTests {
    @Test("stored blocks round-trip")
    func stored() throws {
        let data = (0..<1000).map { UInt8($0 % 251) }
        #expect(try Inflate.inflate(W.storedDeflate(data)[...], maxOutput: 1 << 20) == data)
        #expect(try Inflate.inflate(W.storedDeflate([])[...], maxOutput: 1 << 20) == [])
    }

    @Test("fixed Huffman block: 'abc' then a back-reference")
    func fixed() throws {
        // zlib.compressobj(wbits=-15).compress(b"abcabcabcabc") + flush()
        let raw: [UInt8] = [0x4B, 0x4C, 0x4A, 0x4E, 0x84, 0x21, 0x00]
        #expect(try Inflate.inflate(raw[...], maxOutput: 100) == Array("abcabcabcabc".utf8))
    }

    @Test("the output cap stops a bomb")
    func cap() {
        // 12 bytes 'abc…' with a cap of 5.
        let raw: [UInt8] = [0x4B, 0x4C, 0x4A, 0x4E, 0x84, 0x21, 0x00]
        #expect(throws: Inflate.Failure.self) { try Inflate.inflate(raw[...], maxOutput: 5) }
    }

    @Test("invalid data throws")
    func invalid() {
        #expect(throws: Inflate.Failure.self) { try Inflate.inflate([0xFF][...], maxOutput: 100) }  // type 3
        #expect(throws: Inflate.Failure.self) { try Inflate.inflate([0x01, 0x05, 0x00, 0x00, 0x00][...], maxOutput: 100) }  // LEN/NLEN
        #expect(throws: Inflate.Failure.self) { try Inflate.inflate([0x4B, 0x4C][...], maxOutput: 100) }  // truncated
    }
}
