import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import DoseCalReports

/// A minimal ZIP reader for the tests: it walks the central directory from the end record,
/// checks each local header against its central entry, and checks every CRC.
struct TestZIPReader {
    struct Entry {
        var name: String
        var flags: UInt16
        var method: UInt16
        var dosTime: UInt16
        var dosDate: UInt16
        var crc: UInt32
        var localHeaderOffset: Int
        var data: [UInt8]
    }

    enum Failure: Error, CustomStringConvertible {
        case malformed(String)
        var description: String { if case .malformed(let s) = self { return s }; return "" }
    }

    var entries: [Entry] = []

    init(_ bytes: [UInt8]) throws {
        func u16(_ at: Int) throws -> UInt16 {
            guard at >= 0, at + 2 <= bytes.count else { throw Failure.malformed("read past end at \(at)") }
            return UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
        }
        func u32(_ at: Int) throws -> UInt32 {
            guard at >= 0, at + 4 <= bytes.count else { throw Failure.malformed("read past end at \(at)") }
            return (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) }
        }
        // The end record has no comment here, so it is the last 22 bytes.
        let end = bytes.count - 22
        guard end >= 0, try u32(end) == 0x0605_4B50 else { throw Failure.malformed("no end of central directory record") }
        guard try u16(end + 4) == 0, try u16(end + 6) == 0 else { throw Failure.malformed("multi-disk archive") }
        let count = Int(try u16(end + 10))
        guard try u16(end + 8) == count else { throw Failure.malformed("entry counts differ") }
        let directorySize = Int(try u32(end + 12))
        let directoryOffset = Int(try u32(end + 16))
        guard directoryOffset + directorySize == end else { throw Failure.malformed("central directory does not end at the end record") }
        var p = directoryOffset
        var expectedLocal = 0
        for _ in 0..<count {
            guard try u32(p) == 0x0201_4B50 else { throw Failure.malformed("bad central header signature at \(p)") }
            let flags = try u16(p + 8), method = try u16(p + 10)
            let time = try u16(p + 12), date = try u16(p + 14)
            let crc = try u32(p + 16)
            let compressed = Int(try u32(p + 20)), size = Int(try u32(p + 24))
            let nameLength = Int(try u16(p + 28)), extra = Int(try u16(p + 30)), comment = Int(try u16(p + 32))
            let local = Int(try u32(p + 42))
            let nameBytes = Array(bytes[(p + 46)..<(p + 46 + nameLength)])
            p += 46 + nameLength + extra + comment
            guard let name = String(validating: nameBytes, as: UTF8.self) else { throw Failure.malformed("name not UTF-8") }
            guard local == expectedLocal else { throw Failure.malformed("\(name): local header at \(local), expected \(expectedLocal)") }
            guard method == 0, compressed == size else { throw Failure.malformed("\(name): not stored") }
            // The local header repeats the central entry.
            guard try u32(local) == 0x0403_4B50 else { throw Failure.malformed("\(name): bad local header signature") }
            guard try u16(local + 6) == flags, try u16(local + 8) == method, try u16(local + 10) == time,
                  try u16(local + 12) == date, try u32(local + 14) == crc, try u32(local + 18) == UInt32(compressed),
                  try u32(local + 22) == UInt32(size), try u16(local + 26) == UInt16(nameLength)
            else { throw Failure.malformed("\(name): local header differs from central entry") }
            let localExtra = Int(try u16(local + 28))
            guard Array(bytes[(local + 30)..<(local + 30 + nameLength)]) == nameBytes else { throw Failure.malformed("\(name): names differ") }
            let start = local + 30 + nameLength + localExtra
            guard start + size <= directoryOffset else { throw Failure.malformed("\(name): data runs into the central directory") }
            let data = Array(bytes[start..<(start + size)])
            guard CRC32.checksum(data) == crc else { throw Failure.malformed("\(name): CRC mismatch") }
            expectedLocal = start + size
            entries.append(Entry(name: name, flags: flags, method: method, dosTime: time, dosDate: date, crc: crc,
                                 localHeaderOffset: local, data: data))
        }
        guard p == end, expectedLocal == directoryOffset else { throw Failure.malformed("gaps or overlaps between entries") }
    }

    subscript(name: String) -> [UInt8]? { entries.first { $0.name == name }?.data }
}

/// An XML document parsed with Foundation's `XMLParser`: every element with its attributes and
/// its own text, in document order. Parsing fails on anything not well-formed.
final class ParsedXML: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text: String
    }

    private(set) var elements: [Element] = []
    private var stack: [Int] = []
    private(set) var error: (any Error)?

    init(_ text: String) throws {
        super.init()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = self
        guard parser.parse() else {
            throw parser.parserError ?? error ?? TestZIPReader.Failure.malformed("XML did not parse")
        }
    }

    convenience init(_ bytes: [UInt8]) throws {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw TestZIPReader.Failure.malformed("not UTF-8") }
        try self.init(text)
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        stack.append(elements.count)
        elements.append(Element(name: elementName, attributes: attributeDict, text: ""))
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let top = stack.last { elements[top].text += string }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) { error = parseError }

    func all(_ name: String) -> [Element] { elements.filter { $0.name == name } }
    var root: Element? { elements.first }
}
