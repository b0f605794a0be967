/// A DICOM attribute tag `(gggg,eeee)`.
public struct DICOMTag: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let group: UInt16
    public let element: UInt16

    public init(_ group: UInt16, _ element: UInt16) {
        self.group = group
        self.element = element
    }

    /// Private tags have an odd group number (PS3.5 §7.8).
    public var isPrivate: Bool { group & 1 == 1 }

    /// `(0040,A730)`.
    public var description: String { "(\(hex4(group)),\(hex4(element)))" }

    public static func < (a: DICOMTag, b: DICOMTag) -> Bool {
        (a.group, a.element) < (b.group, b.element)
    }
}

func hex4(_ v: UInt16) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(v >> 12) & 15], digits[Int(v >> 8) & 15], digits[Int(v >> 4) & 15], digits[Int(v) & 15]])
}

extension DICOMTag {
    // File meta (PS3.10 §7.1).
    static let transferSyntaxUID = DICOMTag(0x0002, 0x0010)
    static let mediaStorageSOPClassUID = DICOMTag(0x0002, 0x0002)

    // Delimiters (PS3.5 §7.5).
    static let item = DICOMTag(0xFFFE, 0xE000)
    static let itemDelimitation = DICOMTag(0xFFFE, 0xE00D)
    static let sequenceDelimitation = DICOMTag(0xFFFE, 0xE0DD)

    // Header attributes read by the dose-report reader.
    public static let specificCharacterSet = DICOMTag(0x0008, 0x0005)
    public static let sopClassUID = DICOMTag(0x0008, 0x0016)
    public static let sopInstanceUID = DICOMTag(0x0008, 0x0018)
    public static let studyDate = DICOMTag(0x0008, 0x0020)
    public static let contentDate = DICOMTag(0x0008, 0x0023)
    public static let studyTime = DICOMTag(0x0008, 0x0030)
    public static let contentTime = DICOMTag(0x0008, 0x0033)
    public static let manufacturer = DICOMTag(0x0008, 0x0070)
    public static let stationName = DICOMTag(0x0008, 0x1010)
    public static let studyDescription = DICOMTag(0x0008, 0x1030)
    public static let manufacturerModelName = DICOMTag(0x0008, 0x1090)
    public static let studyInstanceUID = DICOMTag(0x0020, 0x000D)
    public static let requestedProcedureDescription = DICOMTag(0x0032, 0x1060)
    public static let performedProcedureStepDescription = DICOMTag(0x0040, 0x0254)
    public static let pixelData = DICOMTag(0x7FE0, 0x0010)

    // Code sequence macro (PS3.3 §8.8).
    public static let codeValue = DICOMTag(0x0008, 0x0100)
    public static let codingSchemeDesignator = DICOMTag(0x0008, 0x0102)
    public static let codeMeaning = DICOMTag(0x0008, 0x0104)
    public static let longCodeValue = DICOMTag(0x0008, 0x0119)
    public static let urnCodeValue = DICOMTag(0x0008, 0x0120)

    // SR document content (PS3.3 §C.17.3).
    public static let relationshipType = DICOMTag(0x0040, 0xA010)
    public static let valueType = DICOMTag(0x0040, 0xA040)
    public static let conceptNameCodeSequence = DICOMTag(0x0040, 0xA043)
    public static let dateTime = DICOMTag(0x0040, 0xA120)
    public static let uid = DICOMTag(0x0040, 0xA124)
    public static let textValue = DICOMTag(0x0040, 0xA160)
    public static let conceptCodeSequence = DICOMTag(0x0040, 0xA168)
    public static let measuredValueSequence = DICOMTag(0x0040, 0xA300)
    public static let numericValue = DICOMTag(0x0040, 0xA30A)
    public static let measurementUnitsCodeSequence = DICOMTag(0x0040, 0x08EA)
    public static let contentSequence = DICOMTag(0x0040, 0xA730)
}

/// A DICOM value representation (PS3.5 §6.2).
public enum DICOMVR: String, Hashable, Sendable, CaseIterable {
    case AE, AS, AT, CS, DA, DS, DT, FD, FL, IS, LO, LT, OB, OD, OF, OL, OV, OW, PN, SH, SL, SQ, SS,
         ST, SV, TM, UC, UI, UL, UN, UR, US, UT, UV

    /// VRs whose explicit-VR header has two reserved bytes and a 32-bit length (PS3.5 §7.1.2).
    var hasLongLength: Bool {
        switch self {
        case .OB, .OD, .OF, .OL, .OV, .OW, .SQ, .SV, .UC, .UN, .UR, .UT, .UV: return true
        default: return false
        }
    }

    /// VRs whose text is in the Specific Character Set (others are in the default repertoire).
    var usesSpecificCharacterSet: Bool {
        switch self {
        case .SH, .LO, .ST, .LT, .UC, .UT, .PN: return true
        default: return false
        }
    }

    /// The VR spelled by two bytes, if they spell one.
    init?(bytes b0: UInt8, _ b1: UInt8) {
        guard let vr = DICOMVR.byCode[UInt16(b0) << 8 | UInt16(b1)] else { return nil }
        self = vr
    }

    private static let byCode: [UInt16: DICOMVR] = {
        var table: [UInt16: DICOMVR] = [:]
        for vr in DICOMVR.allCases {
            let u = Array(vr.rawValue.utf8)
            table[UInt16(u[0]) << 8 | UInt16(u[1])] = vr
        }
        return table
    }()
}
