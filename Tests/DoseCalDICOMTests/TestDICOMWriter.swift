@testable import DoseCalDICOM

/// A tiny DICOM Part 10 writer for tests: explicit or implicit VR little endian, defined or
/// undefined sequence and item lengths, private elements, encapsulated pixel data.
enum W {
    indirect enum Node {
        case element(DICOMTag, String, [UInt8])
        case sequence(DICOMTag, [[Node]], vr: String = "SQ")
        case encapsulated(DICOMTag, fragments: [[UInt8]])

        var tag: DICOMTag {
            switch self {
            case let .element(t, _, _), let .sequence(t, _, _), let .encapsulated(t, _): return t
            }
        }
    }

    struct Style {
        var explicit = true
        var undefinedSequences = false
        var undefinedItems = false

        static let explicitDefined = Style()
        static let explicitUndefined = Style(explicit: true, undefinedSequences: true, undefinedItems: true)
        static let implicitDefined = Style(explicit: false)
        static let implicitUndefined = Style(explicit: false, undefinedSequences: true, undefinedItems: true)
    }

    // MARK: Values

    static func text(_ tag: DICOMTag, _ vr: String, _ value: String) -> Node {
        var bytes = Array(value.utf8)
        if bytes.count % 2 == 1 { bytes.append(vr == "UI" ? 0 : 0x20) }
        return .element(tag, vr, bytes)
    }

    static func latin1(_ tag: DICOMTag, _ vr: String, _ value: [UInt8]) -> Node {
        var bytes = value
        if bytes.count % 2 == 1 { bytes.append(0x20) }
        return .element(tag, vr, bytes)
    }

    static func u16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    static func u32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * UInt32($0))) & 0xFF) } }

    // MARK: Encoding

    static func encode(_ nodes: [Node], _ style: Style) -> [UInt8] {
        var out: [UInt8] = []
        for node in nodes.sorted(by: { $0.tag < $1.tag }) { out += encode(node, style) }
        return out
    }

    static func header(_ tag: DICOMTag, _ vr: String, _ length: UInt32, _ style: Style) -> [UInt8] {
        var out = u16(tag.group) + u16(tag.element)
        if style.explicit {
            out += Array(vr.utf8)
            if ["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"].contains(vr) {
                out += [0, 0] + u32(length)
            } else {
                out += u16(UInt16(length))
            }
        } else {
            out += u32(length)
        }
        return out
    }

    static func encode(_ node: Node, _ style: Style) -> [UInt8] {
        switch node {
        case let .element(tag, vr, bytes):
            return header(tag, vr, UInt32(bytes.count), style) + bytes
        case let .sequence(tag, items, vr):
            // A UN sequence is always encoded in implicit VR (PS3.5 §6.2.2).
            let inner = vr == "UN" ? Style(explicit: false, undefinedSequences: style.undefinedSequences, undefinedItems: style.undefinedItems) : style
            var body: [UInt8] = []
            for item in items {
                let content = encode(item, inner)
                if style.undefinedItems {
                    body += u16(0xFFFE) + u16(0xE000) + u32(0xFFFF_FFFF) + content + u16(0xFFFE) + u16(0xE00D) + u32(0)
                } else {
                    body += u16(0xFFFE) + u16(0xE000) + u32(UInt32(content.count)) + content
                }
            }
            if style.undefinedSequences || vr == "UN" {
                return header(tag, vr, 0xFFFF_FFFF, style) + body + u16(0xFFFE) + u16(0xE0DD) + u32(0)
            }
            return header(tag, vr, UInt32(body.count), style) + body
        case let .encapsulated(tag, fragments):
            var out = header(tag, "OB", 0xFFFF_FFFF, Style(explicit: true))
            out += u16(0xFFFE) + u16(0xE000) + u32(0)  // empty basic offset table
            for f in fragments { out += u16(0xFFFE) + u16(0xE000) + u32(UInt32(f.count)) + f }
            return out + u16(0xFFFE) + u16(0xE0DD) + u32(0)
        }
    }

    static let explicitLE = "1.2.840.10008.1.2.1"
    static let implicitLE = "1.2.840.10008.1.2"
    static let deflatedLE = "1.2.840.10008.1.2.1.99"
    static let explicitBE = "1.2.840.10008.1.2.2"

    /// A Part 10 file: preamble, DICM, meta group (explicit VR LE), data set.
    static func part10(_ dataSet: [Node], style: Style, transferSyntax: String? = nil, preamble: Bool = true,
                       sopClass: String = RDSRReport.xRayRadiationDoseSR) -> [UInt8] {
        let ts = transferSyntax ?? (style.explicit ? explicitLE : implicitLE)
        let metaElements: [Node] = [
            .element(DICOMTag(0x0002, 0x0001), "OB", [0, 1]),
            text(DICOMTag(0x0002, 0x0002), "UI", sopClass),
            text(DICOMTag(0x0002, 0x0003), "UI", "2.25.99"),
            text(DICOMTag(0x0002, 0x0010), "UI", ts),
            text(DICOMTag(0x0002, 0x0012), "UI", "2.25.7"),
        ]
        let metaBody = encode(metaElements, .explicitDefined)
        var out: [UInt8] = preamble ? [UInt8](repeating: 0, count: 128) + Array("DICM".utf8) : []
        out += encode(.element(DICOMTag(0x0002, 0x0000), "UL", u32(UInt32(metaBody.count))), .explicitDefined)
        out += metaBody
        out += encode(dataSet, style)
        return out
    }

    /// A DEFLATE stream of stored (uncompressed) blocks, enough to test the deflated syntax.
    static func storedDeflate(_ data: [UInt8], blockSize: Int = 300) -> [UInt8] {
        var out: [UInt8] = []
        var start = 0
        repeat {
            let end = min(start + blockSize, data.count)
            let final: UInt8 = end == data.count ? 1 : 0
            let n = UInt16(end - start)
            out += [final] + u16(n) + u16(~n) + data[start..<end]
            start = end
        } while start < data.count
        return out
    }
}

/// Builders for SR content items.
enum SR {
    typealias Code = (String, String, String)

    static func codeItem(_ c: Code) -> [W.Node] {
        [W.text(.codeValue, "SH", c.0), W.text(.codingSchemeDesignator, "SH", c.1), W.text(.codeMeaning, "LO", c.2)]
    }

    static func item(_ rel: String, _ vt: String, _ concept: Code, _ extra: [W.Node] = [], children: [[W.Node]] = []) -> [W.Node] {
        var nodes: [W.Node] = [
            W.text(.relationshipType, "CS", rel), W.text(.valueType, "CS", vt),
            .sequence(.conceptNameCodeSequence, [codeItem(concept)]),
        ] + extra
        if !children.isEmpty { nodes.append(.sequence(.contentSequence, children)) }
        return nodes
    }

    static func num(_ concept: Code, _ value: String, _ unit: String, scheme: String = "UCUM") -> [W.Node] {
        item("CONTAINS", "NUM", concept, [
            .sequence(.measuredValueSequence, [[
                W.text(.numericValue, "DS", value),
                .sequence(.measurementUnitsCodeSequence, [codeItem((unit, scheme, unit))]),
            ]]),
        ])
    }

    static func code(_ concept: Code, _ value: Code, rel: String = "CONTAINS") -> [W.Node] {
        item(rel, "CODE", concept, [.sequence(.conceptCodeSequence, [codeItem(value)])])
    }

    static func text(_ concept: Code, _ value: String) -> [W.Node] {
        item("CONTAINS", "TEXT", concept, [W.text(.textValue, "UT", value)])
    }

    static func uid(_ concept: Code, _ value: String) -> [W.Node] {
        item("CONTAINS", "UIDREF", concept, [W.text(.uid, "UI", value)])
    }

    static func container(_ concept: Code, _ children: [[W.Node]]) -> [W.Node] {
        item("CONTAINS", "CONTAINER", concept, children: children)
    }

    static let planeA: Code = ("113620", "DCM", "Plane A")
    static let planeB: Code = ("113621", "DCM", "Plane B")
    static let single: Code = ("113622", "DCM", "Single Plane")
    static let fluoro: Code = ("P5-06000", "SRT", "Fluoroscopy")
    static let stationary: Code = ("113611", "DCM", "Stationary Acquisition")

    static func plane(_ p: Code) -> [W.Node] { code(("113764", "DCM", "Acquisition Plane"), p, rel: "HAS CONCEPT MOD") }

    /// An Accumulated X-Ray Dose Data container; `values` are (code, value, unit).
    static func accumulated(_ p: Code?, _ values: [(String, String, String)], referencePoint: [W.Node]? = nil) -> [W.Node] {
        var children: [[W.Node]] = p.map { [plane($0)] } ?? []
        for (c, v, u) in values { children.append(num((c, "DCM", "value \(c)"), v, u)) }
        if let referencePoint { children.append(referencePoint) }
        return container(("113702", "DCM", "Accumulated X-Ray Dose Data"), children)
    }

    static func event(_ p: Code?, uid: String?, type: Code?, dap: (String, String)?, doseRP: (String, String)? = nil,
                      duration: (String, String)? = nil, started: String? = nil) -> [W.Node] {
        var children: [[W.Node]] = p.map { [plane($0)] } ?? []
        if let started { children.append(item("CONTAINS", "DATETIME", ("111526", "DCM", "DateTime Started"), [W.text(.dateTime, "DT", started)])) }
        if let type { children.append(code(("113721", "DCM", "Irradiation Event Type"), type)) }
        if let uid { children.append(SR.uid(("113769", "DCM", "Irradiation Event UID"), uid)) }
        if let dap { children.append(num(("122130", "DCM", "Dose Area Product"), dap.0, dap.1)) }
        if let doseRP { children.append(num(("113738", "DCM", "Dose (RP)"), doseRP.0, doseRP.1)) }
        if let duration { children.append(num(("113742", "DCM", "Irradiation Duration"), duration.0, duration.1)) }
        return container(("113706", "DCM", "Irradiation Event X-Ray Data"), children)
    }
}

/// A whole dose report data set with sensible defaults.
struct RDSRDocument {
    var sopClass = RDSRReport.xRayRadiationDoseSR
    var title: SR.Code? = ("113701", "DCM", "X-Ray Radiation Dose Report")
    var characterSet: String? = "ISO_IR 192"
    var studyUID: String? = "2.25.4242"
    var sopInstanceUID = "2.25.5000"
    var studyDate: String? = "20240115"
    var studyTime: String? = "101530.123"
    var manufacturer: String? = "Acme"
    var model: String? = "Angio 9"
    var station: String? = "CATH1"
    var studyDescription: String? = "Coronary angiography"
    var requestedProcedure: String? = nil
    var content: [[W.Node]] = []
    var extra: [W.Node] = []

    var nodes: [W.Node] {
        var n: [W.Node] = [
            W.text(.sopClassUID, "UI", sopClass), W.text(.sopInstanceUID, "UI", sopInstanceUID),
            W.text(DICOMTag(0x0008, 0x0060), "CS", "SR"),
            W.text(.valueType, "CS", "CONTAINER"),
        ]
        if let characterSet { n.append(W.text(.specificCharacterSet, "CS", characterSet)) }
        if let studyUID { n.append(W.text(.studyInstanceUID, "UI", studyUID)) }
        if let studyDate { n.append(W.text(.studyDate, "DA", studyDate)) }
        if let studyTime { n.append(W.text(.studyTime, "TM", studyTime)) }
        if let manufacturer { n.append(W.text(.manufacturer, "LO", manufacturer)) }
        if let model { n.append(W.text(.manufacturerModelName, "LO", model)) }
        if let station { n.append(W.text(.stationName, "SH", station)) }
        if let studyDescription { n.append(W.text(.studyDescription, "LO", studyDescription)) }
        if let requestedProcedure { n.append(W.text(.requestedProcedureDescription, "LO", requestedProcedure)) }
        if let title { n.append(.sequence(.conceptNameCodeSequence, [SR.codeItem(title)])) }
        n.append(.sequence(.contentSequence, content))
        return n + extra
    }

    func bytes(_ style: W.Style = .explicitDefined, preamble: Bool = true) -> [UInt8] {
        W.part10(nodes, style: style, preamble: preamble, sopClass: sopClass)
    }

    /// The biplane example: plane A in Gy·m², plane B in dGy·cm², mGy, min and ms.
    static var biplane: RDSRDocument {
        var d = RDSRDocument()
        d.content = [
            SR.code(("121058", "DCM", "Procedure reported"), ("113704", "DCM", "Projection X-Ray"), rel: "HAS CONCEPT MOD"),
            SR.accumulated(SR.planeA, [
                ("113722", "0.0025", "Gy.m2"), ("113726", "0.001", "Gy.m2"), ("113727", "1.5e-003", "Gy.m2"),
                ("113730", "300", "s"), ("113855", "20.0", "s"), ("113725", "0.35", "Gy"), ("113728", "0.1", "Gy"), ("113729", "0.25", "Gy"),
            ], referencePoint: SR.code(("113780", "DCM", "Reference Point Definition"), ("113860", "DCM", "15cm from Isocenter toward Source"))),
            SR.accumulated(SR.planeB, [
                ("113722", "52.5", "dGy.cm2"), ("113726", "22.5", "dGy.cm2"), ("113727", "30", "dGy.cm2"),
                ("113730", "2", "min"), ("113855", "5000", "ms"), ("113725", "120", "mGy"), ("113728", "40", "mGy"), ("113729", "80000", "uGy"),
            ], referencePoint: SR.text(("113780", "DCM", "Reference Point Definition"), "15 cm below isocentre")),
            SR.event(SR.planeA, uid: "2.25.1.1", type: SR.fluoro, dap: ("0.001", "Gy.m2"), doseRP: ("0.1", "Gy"), duration: ("300", "s"), started: "20240115103000"),
            SR.event(SR.planeA, uid: "2.25.1.2", type: SR.stationary, dap: ("0.0015", "Gy.m2"), doseRP: ("0.25", "Gy"), duration: ("20", "s"), started: "20240115102000.5"),
            SR.event(SR.planeB, uid: "2.25.1.3", type: SR.fluoro, dap: ("22.5", "dGy.cm2"), doseRP: ("40", "mGy"), duration: ("120", "s")),
            SR.event(SR.planeB, uid: "2.25.1.4", type: SR.stationary, dap: ("30", "dGy.cm2"), doseRP: ("80", "mGy"), duration: ("5", "s")),
        ]
        return d
    }

    /// A small single-plane report (for the truncation and flip tests).
    static var small: RDSRDocument {
        var d = RDSRDocument()
        d.studyDescription = nil
        d.content = [
            SR.accumulated(SR.single, [("113722", "0.0012", "Gy.m2"), ("113725", "0.05", "Gy")]),
            SR.event(SR.single, uid: "2.25.9.1", type: SR.fluoro, dap: ("0.0012", "Gy.m2")),
        ]
        return d
    }
}

/// Relative comparison for computed values.
func approx(_ a: Double?, _ b: Double?, rel: Double = 1e-9) -> Bool {
    switch (a, b) {
    case (nil, nil): return true
    case let (x?, y?): return x == y || abs(x - y) <= rel * max(abs(x), abs(y))
    default: return false
    }
}

/// SplitMix64, a seeded generator for reproducible fuzzing.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
