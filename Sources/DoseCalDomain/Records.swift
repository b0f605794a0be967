/// One clinical procedure: the patient-dose side, from the X-ray system's dose report (SPEC §2).
///
/// Units are in the names: KAP in Gy·cm², times in s, air kerma in mGy, Hp(10) in µSv.
/// Optional values are `nil` when unknown; an unknown KAP leaves the procedure out of the
/// ratios that need it (and is counted).
public struct Procedure: Hashable, Sendable, Codable {
    /// DICOM Study Instance UID; unique; links exposures to the procedure.
    public var studyUID: String
    /// ISO 8601 timestamp as recorded.
    public var startedAt: String
    /// The date part of ``startedAt``; periods select on it.
    public var date: CivilDate
    public var room: String
    public var specialty: String
    public var procedureType: String
    /// Total kerma-area product, Gy·cm².
    public var kapGyCm2: Double?
    /// Fluoroscopy KAP, Gy·cm².
    public var kapFluoroGyCm2: Double?
    /// Acquisition (cine, DSA, …) KAP, Gy·cm².
    public var kapAcqGyCm2: Double?
    /// Fluoroscopy time, s.
    public var fluoroTimeS: Double?
    /// Air kerma at the patient entrance reference point, mGy.
    public var kaRPMilliGy: Double?
    /// Hp(10) of the C-arm reference (ambient) dosimeter during the procedure, µSv.
    public var refDosimeterMicroSv: Double?

    public init(
        studyUID: String, startedAt: String, date: CivilDate, room: String, specialty: String,
        procedureType: String, kapGyCm2: Double?, kapFluoroGyCm2: Double? = nil,
        kapAcqGyCm2: Double? = nil, fluoroTimeS: Double? = nil, kaRPMilliGy: Double? = nil,
        refDosimeterMicroSv: Double? = nil
    ) {
        self.studyUID = studyUID
        self.startedAt = startedAt
        self.date = date
        self.room = room
        self.specialty = specialty
        self.procedureType = procedureType
        self.kapGyCm2 = kapGyCm2
        self.kapFluoroGyCm2 = kapFluoroGyCm2
        self.kapAcqGyCm2 = kapAcqGyCm2
        self.fluoroTimeS = fluoroTimeS
        self.kaRPMilliGy = kaRPMilliGy
        self.refDosimeterMicroSv = refDosimeterMicroSv
    }
}

/// The operator's place at the table.
public enum OperatorRole: String, Hashable, Sendable, Codable, CaseIterable {
    case first, second, other
}

/// One operator's over-apron reading for one procedure: the occupational side (SPEC §2).
public struct Exposure: Hashable, Sendable, Codable {
    public var studyUID: String
    /// Pseudonymous operator identifier.
    public var operatorID: String
    public var dosimeterID: String
    public var role: OperatorRole?
    /// Hp(10) over the apron, µSv.
    public var hp10MicroSv: Double
    /// Hp(10) during fluoroscopy, µSv.
    public var hp10FluoroMicroSv: Double?
    /// Hp(10) during digital acquisition, µSv.
    public var hp10AcqMicroSv: Double?

    public init(
        studyUID: String, operatorID: String, dosimeterID: String, role: OperatorRole? = nil,
        hp10MicroSv: Double, hp10FluoroMicroSv: Double? = nil, hp10AcqMicroSv: Double? = nil
    ) {
        self.studyUID = studyUID
        self.operatorID = operatorID
        self.dosimeterID = dosimeterID
        self.role = role
        self.hp10MicroSv = hp10MicroSv
        self.hp10FluoroMicroSv = hp10FluoroMicroSv
        self.hp10AcqMicroSv = hp10AcqMicroSv
    }
}

/// A roster entry: who an operator is, for grouping (optional `operators.csv`).
public struct OperatorInfo: Hashable, Sendable, Codable {
    public var operatorID: String
    public var specialty: String
    /// Optional display name; shown only in the physicist's view.
    public var name: String?
    public var subspecialty: String?

    public init(operatorID: String, specialty: String, name: String? = nil, subspecialty: String? = nil) {
        self.operatorID = operatorID
        self.specialty = specialty
        self.name = name
        self.subspecialty = subspecialty
    }
}

/// A dosimeter's own cumulative reading read out of its memory, covering a period (SPEC §2, §7).
public struct DosimeterMemoryReading: Hashable, Sendable, Codable {
    public var dosimeterID: String
    /// ISO 8601 timestamp of the read-out.
    public var readAt: String
    /// Cumulative Hp(10) in the dosimeter's memory over the period, µSv.
    public var cumulativeMicroSv: Double
    public var period: Period

    public init(dosimeterID: String, readAt: String, cumulativeMicroSv: Double, period: Period) {
        self.dosimeterID = dosimeterID
        self.readAt = readAt
        self.cumulativeMicroSv = cumulativeMicroSv
        self.period = period
    }
}
