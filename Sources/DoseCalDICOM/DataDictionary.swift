/// The small part of the DICOM data dictionary (PS3.6) the reader needs.
///
/// Implicit VR files do not say which VR an element has, so the reader looks it up here. Only
/// the attributes that matter for dose reports are listed: the header attributes DoseCal reads,
/// every SR document attribute of PS3.3 §C.17 that can hold a sequence or a value the SR reader
/// decodes, and the common sequences that wrap them. An attribute not listed is read as `UN`
/// (bytes, skipped by length); an unlisted element of undefined length is read as a sequence,
/// which is what it must be in implicit VR (PS3.5 §7.5).
enum DataDictionary {
    /// The VR of `tag` for implicit VR decoding.
    static func implicitVR(of tag: DICOMTag) -> DICOMVR {
        if tag.element == 0x0000 { return .UL }  // group length
        if tag.isPrivate {
            // Private creator elements (gggg,0010-00FF) are LO; the private data is unknown.
            return (0x0010...0x00FF).contains(tag.element) ? .LO : .UN
        }
        return table[tag] ?? .UN
    }

    private static let table: [DICOMTag: DICOMVR] = {
        var t: [DICOMTag: DICOMVR] = [:]
        let entries: [(UInt16, UInt16, DICOMVR)] = [
            // SOP common, general study/series/equipment.
            (0x0008, 0x0005, .CS), (0x0008, 0x0008, .CS), (0x0008, 0x0012, .DA), (0x0008, 0x0013, .TM),
            (0x0008, 0x0014, .UI), (0x0008, 0x0016, .UI), (0x0008, 0x0018, .UI), (0x0008, 0x0020, .DA),
            (0x0008, 0x0021, .DA), (0x0008, 0x0022, .DA), (0x0008, 0x0023, .DA), (0x0008, 0x002A, .DT),
            (0x0008, 0x0030, .TM), (0x0008, 0x0031, .TM), (0x0008, 0x0032, .TM), (0x0008, 0x0033, .TM),
            (0x0008, 0x0050, .SH), (0x0008, 0x0060, .CS), (0x0008, 0x0064, .CS), (0x0008, 0x0070, .LO),
            (0x0008, 0x0080, .LO), (0x0008, 0x0081, .ST), (0x0008, 0x0090, .PN), (0x0008, 0x0201, .SH),
            (0x0008, 0x1010, .SH), (0x0008, 0x1030, .LO), (0x0008, 0x103E, .LO), (0x0008, 0x1040, .LO),
            (0x0008, 0x1048, .PN), (0x0008, 0x1050, .PN), (0x0008, 0x1060, .PN), (0x0008, 0x1070, .PN),
            (0x0008, 0x1090, .LO), (0x0008, 0x1032, .SQ), (0x0008, 0x1110, .SQ), (0x0008, 0x1111, .SQ),
            (0x0008, 0x1115, .SQ), (0x0008, 0x1120, .SQ), (0x0008, 0x1140, .SQ), (0x0008, 0x1150, .UI),
            (0x0008, 0x1155, .UI), (0x0008, 0x1160, .IS), (0x0008, 0x1199, .SQ), (0x0008, 0x9121, .SQ),
            // Code sequence macro.
            (0x0008, 0x0100, .SH), (0x0008, 0x0102, .SH), (0x0008, 0x0103, .SH), (0x0008, 0x0104, .LO),
            (0x0008, 0x0105, .CS), (0x0008, 0x0106, .DT), (0x0008, 0x0107, .DT), (0x0008, 0x010B, .CS),
            (0x0008, 0x010D, .UI), (0x0008, 0x010F, .CS), (0x0008, 0x0110, .SQ), (0x0008, 0x0117, .UI),
            (0x0008, 0x0118, .UI), (0x0008, 0x0119, .UC), (0x0008, 0x0120, .UR), (0x0008, 0x0121, .SQ),
            // Patient.
            (0x0010, 0x0010, .PN), (0x0010, 0x0020, .LO), (0x0010, 0x0030, .DA), (0x0010, 0x0040, .CS),
            (0x0010, 0x1010, .AS), (0x0010, 0x1020, .DS), (0x0010, 0x1030, .DS),
            // Equipment, study, series.
            (0x0018, 0x1000, .LO), (0x0018, 0x1020, .LO), (0x0020, 0x000D, .UI), (0x0020, 0x000E, .UI),
            (0x0020, 0x0010, .SH), (0x0020, 0x0011, .IS), (0x0020, 0x0013, .IS),
            (0x0032, 0x1060, .LO), (0x0032, 0x1064, .SQ), (0x0040, 0x0009, .SH), (0x0040, 0x0244, .DA),
            (0x0040, 0x0245, .TM), (0x0040, 0x0253, .SH), (0x0040, 0x0254, .LO), (0x0040, 0x0260, .SQ),
            (0x0040, 0x0275, .SQ), (0x0040, 0x1001, .SH), (0x0040, 0x08EA, .SQ),
            // SR document general and content (PS3.3 §C.17.2, §C.17.3, §C.18).
            (0x0040, 0xA010, .CS), (0x0040, 0xA027, .LO), (0x0040, 0xA030, .DT), (0x0040, 0xA032, .DT),
            (0x0040, 0xA040, .CS), (0x0040, 0xA043, .SQ), (0x0040, 0xA050, .CS), (0x0040, 0xA073, .SQ),
            (0x0040, 0xA075, .PN), (0x0040, 0xA078, .SQ), (0x0040, 0xA07A, .SQ), (0x0040, 0xA07C, .SQ),
            (0x0040, 0xA084, .CS), (0x0040, 0xA088, .SQ), (0x0040, 0xA0B0, .US), (0x0040, 0xA120, .DT),
            (0x0040, 0xA121, .DA), (0x0040, 0xA122, .TM), (0x0040, 0xA123, .PN), (0x0040, 0xA124, .UI),
            (0x0040, 0xA130, .CS), (0x0040, 0xA132, .UL), (0x0040, 0xA138, .DS), (0x0040, 0xA13A, .DT),
            (0x0040, 0xA160, .UT), (0x0040, 0xA161, .FD), (0x0040, 0xA162, .SL), (0x0040, 0xA163, .UL),
            (0x0040, 0xA168, .SQ), (0x0040, 0xA170, .SQ), (0x0040, 0xA180, .US), (0x0040, 0xA195, .SQ),
            (0x0040, 0xA300, .SQ), (0x0040, 0xA301, .SQ), (0x0040, 0xA30A, .DS), (0x0040, 0xA360, .SQ),
            (0x0040, 0xA370, .SQ), (0x0040, 0xA372, .SQ), (0x0040, 0xA375, .SQ), (0x0040, 0xA385, .SQ),
            (0x0040, 0xA390, .SQ), (0x0040, 0xA491, .CS), (0x0040, 0xA492, .LO), (0x0040, 0xA493, .CS),
            (0x0040, 0xA496, .CS), (0x0040, 0xA504, .SQ), (0x0040, 0xA525, .SQ), (0x0040, 0xA730, .SQ),
            (0x0040, 0xDB00, .CS), (0x0040, 0xDB06, .DT), (0x0040, 0xDB07, .DT), (0x0040, 0xDB0B, .CS),
            (0x0040, 0xDB0C, .UI), (0x0040, 0xDB0D, .UI), (0x0040, 0xDB73, .UL),
            (0x0070, 0x0001, .SQ), (0x0070, 0x0022, .FL), (0x0088, 0x0140, .UI),
            (0x7FE0, 0x0010, .OW), (0xFFFA, 0xFFFA, .SQ), (0xFFFC, 0xFFFC, .OB),
        ]
        for (g, e, vr) in entries { t[DICOMTag(g, e)] = vr }
        return t
    }()

    /// Names of the SOP classes a folder of dose reports may contain, for messages (PS3.4 Annex B).
    static func sopClassName(_ uid: String) -> String? {
        sopClassNames[uid]
    }

    private static let sopClassNames: [String: String] = [
        "1.2.840.10008.5.1.4.1.1.88.11": "Basic Text SR",
        "1.2.840.10008.5.1.4.1.1.88.22": "Enhanced SR",
        "1.2.840.10008.5.1.4.1.1.88.33": "Comprehensive SR",
        "1.2.840.10008.5.1.4.1.1.88.34": "Comprehensive 3D SR",
        "1.2.840.10008.5.1.4.1.1.88.35": "Extensible SR",
        "1.2.840.10008.5.1.4.1.1.88.40": "Procedure Log",
        "1.2.840.10008.5.1.4.1.1.88.50": "Mammography CAD SR",
        "1.2.840.10008.5.1.4.1.1.88.59": "Key Object Selection Document",
        "1.2.840.10008.5.1.4.1.1.88.65": "Chest CAD SR",
        "1.2.840.10008.5.1.4.1.1.88.67": "X-Ray Radiation Dose SR",
        "1.2.840.10008.5.1.4.1.1.88.68": "Radiopharmaceutical Radiation Dose SR",
        "1.2.840.10008.5.1.4.1.1.88.69": "Colon CAD SR",
        "1.2.840.10008.5.1.4.1.1.88.70": "Implantation Plan SR",
        "1.2.840.10008.5.1.4.1.1.88.71": "Acquisition Context SR",
        "1.2.840.10008.5.1.4.1.1.88.72": "Simplified Adult Echo SR",
        "1.2.840.10008.5.1.4.1.1.88.73": "Patient Radiation Dose SR",
        "1.2.840.10008.5.1.4.1.1.88.74": "Planned Imaging Agent Administration SR",
        "1.2.840.10008.5.1.4.1.1.88.75": "Performed Imaging Agent Administration SR",
        "1.2.840.10008.5.1.4.1.1.88.76": "Enhanced X-Ray Radiation Dose SR",
        "1.2.840.10008.5.1.4.1.1.7": "Secondary Capture Image",
        "1.2.840.10008.5.1.4.1.1.12.1": "X-Ray Angiographic Image",
        "1.2.840.10008.5.1.4.1.1.12.2": "X-Ray Radiofluoroscopic Image",
        "1.2.840.10008.5.1.4.1.1.1": "Computed Radiography Image",
        "1.2.840.10008.5.1.4.1.1.1.1": "Digital X-Ray Image - For Presentation",
        "1.2.840.10008.5.1.4.1.1.2": "CT Image",
        "1.2.840.10008.5.1.4.1.1.104.1": "Encapsulated PDF",
        "1.2.840.10008.5.1.4.1.1.11.1": "Grayscale Softcopy Presentation State",
        "1.2.840.10008.5.1.4.1.1.481.1": "RT Image",
    ]

    /// SR storage SOP classes (any of them may be mistaken for a dose report).
    static func isStructuredReport(_ uid: String) -> Bool {
        uid.hasPrefix("1.2.840.10008.5.1.4.1.1.88.")
    }

    /// Transfer syntaxes by UID (PS3.6 Annex A), with how the data set is encoded.
    static func transferSyntax(_ uid: String) -> TransferSyntax {
        switch uid {
        case "1.2.840.10008.1.2": return .implicitLittle
        case "1.2.840.10008.1.2.1": return .explicitLittle
        case "1.2.840.10008.1.2.1.99": return .deflatedExplicitLittle
        case "1.2.840.10008.1.2.2": return .unsupported(name: "Explicit VR Big Endian")
        case "1.2.840.10008.1.2.5": return .explicitLittle  // RLE: encapsulated pixel data
        default:
            // JPEG, JPEG-LS, JPEG 2000, MPEG, HEVC, HTJ2K…: explicit VR little endian with
            // encapsulated pixel data, which the reader skips (PS3.5 §A.4).
            if uid.hasPrefix("1.2.840.10008.1.2.4.") { return .explicitLittle }
            return .unsupported(name: "an unknown transfer syntax")
        }
    }
}

/// How the data set after the file meta group is encoded.
enum TransferSyntax: Equatable {
    case implicitLittle
    case explicitLittle
    case deflatedExplicitLittle
    case unsupported(name: String)
}
