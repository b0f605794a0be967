import DoseCalDomain

/// An acquisition plane (PS3.16 CID 10003 Equipment Plane Identification, concept 113764).
public enum AcquisitionPlane: String, Hashable, Sendable, CaseIterable, Comparable, Codable {
    /// 113620 DCM "Plane A" (frontal plane of a biplane system).
    case a = "A"
    /// 113621 DCM "Plane B" (lateral plane).
    case b = "B"
    /// 113622 DCM "Single Plane".
    case single
    /// No Acquisition Plane item, or a code this reader does not know.
    case unspecified

    init?(code: CodedConcept) {
        guard code.scheme == "DCM" else { return nil }
        switch code.value {
        case "113620": self = .a
        case "113621": self = .b
        case "113622": self = .single
        default: return nil
        }
    }

    /// A, B, single, unspecified.
    public static func < (a: AcquisitionPlane, b: AcquisitionPlane) -> Bool { a.rank < b.rank }

    private var rank: Int {
        switch self {
        case .a: return 0
        case .b: return 1
        case .single: return 2
        case .unspecified: return 3
        }
    }
}

/// Irradiation Event Type (113721; PS3.16 CID 10002).
public enum IrradiationEventType: String, Hashable, Sendable, CaseIterable, Codable {
    /// P5-06000 SRT / 44491008 SCT "Fluoroscopy".
    case fluoroscopy
    /// 113611 DCM "Stationary Acquisition".
    case stationaryAcquisition = "stationary_acquisition"
    /// 113612 DCM "Stepping Acquisition".
    case steppingAcquisition = "stepping_acquisition"
    /// 113613 DCM "Rotational Acquisition".
    case rotationalAcquisition = "rotational_acquisition"

    init?(code: CodedConcept) {
        switch (code.value, code.scheme) {
        case ("P5-06000", "SRT"), ("44491008", "SCT"): self = .fluoroscopy
        case ("113611", "DCM"): self = .stationaryAcquisition
        case ("113612", "DCM"): self = .steppingAcquisition
        case ("113613", "DCM"): self = .rotationalAcquisition
        default: return nil
        }
    }

    /// Digital acquisition (cine, DSA, rotational…), as opposed to fluoroscopy.
    public var isAcquisition: Bool { self != .fluoroscopy }
}

/// One irradiation event (TID 10003 Irradiation Event X-Ray Data, container 113706), in DoseCal units.
public struct IrradiationEvent: Hashable, Sendable {
    /// Irradiation Event UID (113769); `nil` when the report has none (then the event cannot be
    /// recognised in another report of the same study).
    public var uid: String?
    public var plane: AcquisitionPlane
    /// Irradiation Event Type (113721); `nil` when absent or not in CID 10002.
    public var type: IrradiationEventType?
    /// DateTime Started (111526) as `YYYY-MM-DDTHH:MM:SS`.
    public var startedAt: String?
    /// Dose Area Product (122130), Gy·cm².
    public var kapGyCm2: Double?
    /// Dose (RP) (113738), Gy.
    public var doseRPGy: Double?
    /// Irradiation Duration (113742), s.
    public var durationS: Double?

    public init(uid: String?, plane: AcquisitionPlane, type: IrradiationEventType?, startedAt: String? = nil,
                kapGyCm2: Double?, doseRPGy: Double? = nil, durationS: Double? = nil) {
        self.uid = uid
        self.plane = plane
        self.type = type
        self.startedAt = startedAt
        self.kapGyCm2 = kapGyCm2
        self.doseRPGy = doseRPGy
        self.durationS = durationS
    }
}

/// The accumulated dose of one acquisition plane (TID 10002 Accumulated X-Ray Dose, container
/// 113702), in DoseCal units: KAP in Gy·cm², air kerma at the reference point in Gy, times in s.
public struct PlaneDose: Hashable, Sendable {
    /// The accumulated values DoseCal reads, with their concept codes (PS3.16 TID 10002/10004/10005).
    public enum Field: String, Hashable, Sendable, CaseIterable, Codable {
        /// 113722 DCM Dose Area Product Total.
        case kapTotal = "kap_total_gycm2"
        /// 113726 DCM Fluoro Dose Area Product Total.
        case kapFluoro = "kap_fluoro_gycm2"
        /// 113727 DCM Acquisition Dose Area Product Total.
        case kapAcq = "kap_acq_gycm2"
        /// 113730 DCM Total Fluoro Time.
        case fluoroTime = "fluoro_time_s"
        /// 113855 DCM Total Acquisition Time.
        case acqTime = "acq_time_s"
        /// 113725 DCM Dose (RP) Total.
        case doseRPTotal = "dose_rp_total_gy"
        /// 113728 DCM Fluoro Dose (RP) Total.
        case doseRPFluoro = "dose_rp_fluoro_gy"
        /// 113729 DCM Acquisition Dose (RP) Total.
        case doseRPAcq = "dose_rp_acq_gy"

        /// The concept name code of the NUM item.
        public var code: CodedConcept {
            switch self {
            case .kapTotal: return CodedConcept("113722", "DCM", "Dose Area Product Total")
            case .kapFluoro: return CodedConcept("113726", "DCM", "Fluoro Dose Area Product Total")
            case .kapAcq: return CodedConcept("113727", "DCM", "Acquisition Dose Area Product Total")
            case .fluoroTime: return CodedConcept("113730", "DCM", "Total Fluoro Time")
            case .acqTime: return CodedConcept("113855", "DCM", "Total Acquisition Time")
            case .doseRPTotal: return CodedConcept("113725", "DCM", "Dose (RP) Total")
            case .doseRPFluoro: return CodedConcept("113728", "DCM", "Fluoro Dose (RP) Total")
            case .doseRPAcq: return CodedConcept("113729", "DCM", "Acquisition Dose (RP) Total")
            }
        }

        /// The quantity the value converts as (KAP, dose or time).
        public var unit: DoseUnit {
            switch self {
            case .kapTotal, .kapFluoro, .kapAcq: return .kap
            case .fluoroTime, .acqTime: return .time
            case .doseRPTotal, .doseRPFluoro, .doseRPAcq: return .dose
            }
        }

        /// The ``PlaneDose`` property holding the value.
        public var keyPath: WritableKeyPath<PlaneDose, Double?> {
            switch self {
            case .kapTotal: return \.kapTotalGyCm2
            case .kapFluoro: return \.kapFluoroGyCm2
            case .kapAcq: return \.kapAcqGyCm2
            case .fluoroTime: return \.fluoroTimeS
            case .acqTime: return \.acqTimeS
            case .doseRPTotal: return \.doseRPTotalGy
            case .doseRPFluoro: return \.doseRPFluoroGy
            case .doseRPAcq: return \.doseRPAcqGy
            }
        }

        /// The same quantity computed from irradiation events: the sum, over the events of the
        /// plane that the field covers (all, fluoroscopy or acquisition by Irradiation Event
        /// Type), of DAP (122130), Dose (RP) (113738) or Irradiation Duration (113742).
        /// - Returns: `nil` when there are no events, when a needed event type is missing, or
        ///   when a selected event lacks the value (a partial sum would understate the total).
        public func sum(over events: [IrradiationEvent]) -> Double? {
            guard !events.isEmpty else { return nil }
            let selected: [IrradiationEvent]
            switch self {
            case .kapTotal, .doseRPTotal:
                selected = events
            case .kapFluoro, .fluoroTime, .doseRPFluoro:
                guard events.allSatisfy({ $0.type != nil }) else { return nil }
                selected = events.filter { $0.type == .fluoroscopy }
            case .kapAcq, .acqTime, .doseRPAcq:
                guard events.allSatisfy({ $0.type != nil }) else { return nil }
                selected = events.filter { $0.type?.isAcquisition == true }
            }
            var total = 0.0
            for e in selected {
                let v: Double?
                switch unit {
                case .kap: v = e.kapGyCm2
                case .dose: v = e.doseRPGy
                case .time: v = e.durationS
                }
                guard let v else { return nil }
                total += v
            }
            return total
        }
    }

    public var plane: AcquisitionPlane
    /// Dose Area Product Total (113722), Gy·cm².
    public var kapTotalGyCm2: Double?
    /// Fluoro Dose Area Product Total (113726), Gy·cm².
    public var kapFluoroGyCm2: Double?
    /// Acquisition Dose Area Product Total (113727), Gy·cm².
    public var kapAcqGyCm2: Double?
    /// Total Fluoro Time (113730), s.
    public var fluoroTimeS: Double?
    /// Total Acquisition Time (113855), s.
    public var acqTimeS: Double?
    /// Dose (RP) Total (113725), Gy.
    public var doseRPTotalGy: Double?
    /// Fluoro Dose (RP) Total (113728), Gy.
    public var doseRPFluoroGy: Double?
    /// Acquisition Dose (RP) Total (113729), Gy.
    public var doseRPAcqGy: Double?
    /// Reference Point Definition (113780): the text, or the meaning of the code.
    public var referencePoint: String?
    /// The values computed from irradiation events instead of read from TID 10002.
    public var computedFromEvents: Set<Field> = []

    public init(plane: AcquisitionPlane, kapTotalGyCm2: Double? = nil, kapFluoroGyCm2: Double? = nil,
                kapAcqGyCm2: Double? = nil, fluoroTimeS: Double? = nil, acqTimeS: Double? = nil,
                doseRPTotalGy: Double? = nil, doseRPFluoroGy: Double? = nil, doseRPAcqGy: Double? = nil,
                referencePoint: String? = nil) {
        self.plane = plane
        self.kapTotalGyCm2 = kapTotalGyCm2
        self.kapFluoroGyCm2 = kapFluoroGyCm2
        self.kapAcqGyCm2 = kapAcqGyCm2
        self.fluoroTimeS = fluoroTimeS
        self.acqTimeS = acqTimeS
        self.doseRPTotalGy = doseRPTotalGy
        self.doseRPFluoroGy = doseRPFluoroGy
        self.doseRPAcqGy = doseRPAcqGy
        self.referencePoint = referencePoint
    }

    /// The value of `field`.
    public subscript(field: Field) -> Double? {
        get { self[keyPath: field.keyPath] }
        set { self[keyPath: field.keyPath] = newValue }
    }
}

/// What DoseCal reads from one X-Ray Radiation Dose SR (or several merged ones of one study).
///
/// Units are DoseCal's (SPEC §2): KAP in Gy·cm², air kerma at the reference point in Gy (mGy in
/// ``procedure(room:specialty:procedureType:)``), times in s, converted from each value's coded
/// UCUM unit.
///
/// **Sources of each value.** ``studyUID``: Study Instance UID (0020,000D). ``startedAt``:
/// Study Date (0008,0020) + Study Time (0008,0030) as `YYYY-MM-DDTHH:MM:SS`, fractions of a second
/// dropped, time as recorded (no zone conversion); the study date is chosen because it is the
/// same in every report of a study and is what PACS and the dosimetry hub show. Without a Study
/// Date the first of Start of X-Ray Irradiation (113809) and the earliest event DateTime Started
/// (111526) is used, and a note says so. ``firstIrradiationAt`` keeps that irradiation start.
/// ``manufacturer``, ``model``, ``station``: Manufacturer (0008,0070), Manufacturer's Model Name
/// (0008,1090), Station Name (0008,1010), else the root Device Observer Manufacturer (121014),
/// Model Name (121015), Name (121013). ``requestedProcedure``: Requested Procedure Description
/// (0032,1060), else Performed Procedure Step Description (0040,0254).
///
/// **Totals.** ``planes`` holds one ``PlaneDose`` per Accumulated X-Ray Dose Data container
/// (113702) at the root of the content tree. A value the container does not have is computed
/// from the plane's irradiation events when possible (``PlaneDose/Field/sum(over:)``) and a note
/// says so; a plane with events but no container is computed entirely from them. A value with an
/// unknown unit or that is not a number is left out (`nil`) with a note, never guessed or
/// replaced. Procedure-level values (``kapTotalGyCm2``…) are sums over planes, `nil` when any plane
/// lacks the value.
///
/// Reference: DICOM PS3.16 TID 10001 (Projection X-Ray Radiation Dose), TID 10002 (Accumulated
/// X-Ray Dose), TID 10003 (Irradiation Event X-Ray Data), CID 10002 and 10003.
public struct RDSRReport: Hashable, Sendable {
    /// The file read (the first one, for merged reports).
    public var file: String { files.first ?? "" }
    /// Every file that contributed (several after ``merged(with:)``).
    public var files: [String]
    /// SOP Class UID (0008,0016): ``xRayRadiationDoseSR`` or ``enhancedXRayRadiationDoseSR``.
    public var sopClassUID: String
    /// SOP Instance UID (0008,0018) of each contributing report.
    public var sopInstanceUIDs: [String]
    /// Study Instance UID (0020,000D), the key that links procedures and exposures.
    public var studyUID: String
    /// ISO 8601 `YYYY-MM-DDTHH:MM:SS` (or `YYYY-MM-DD` when no time is recorded).
    public var startedAt: String
    /// The date part of ``startedAt``.
    public var date: CivilDate
    /// Start of X-Ray Irradiation (113809), else the earliest event DateTime Started.
    public var firstIrradiationAt: String?
    /// Manufacturer (0008,0070), else Device Observer Manufacturer (121014).
    public var manufacturer: String?
    /// Manufacturer's Model Name (0008,1090), else Device Observer Model Name (121015).
    public var model: String?
    /// Station Name (0008,1010), else Device Observer Name (121013).
    public var station: String?
    /// Study Description (0008,1030).
    public var studyDescription: String?
    /// Requested Procedure Description (0032,1060), else Performed Procedure Step Description (0040,0254).
    public var requestedProcedure: String?
    /// Accumulated dose per acquisition plane, in the order A, B, single, unspecified.
    public var planes: [PlaneDose]
    /// Every irradiation event, each once.
    public var irradiationEvents: [IrradiationEvent]
    /// What the reader derived, assumed or left out, one sentence each.
    public var notes: [String]

    /// Irradiation Event UIDs.
    public var eventUIDs: Set<String> { Set(irradiationEvents.compactMap(\.uid)) }
    /// Number of distinct irradiation events (events without a UID count one each).
    public var events: Int { irradiationEvents.count }

    /// Total KAP, Gy·cm² (sum over planes).
    public var kapTotalGyCm2: Double? { sum(.kapTotal) }
    /// Fluoroscopy KAP, Gy·cm².
    public var kapFluoroGyCm2: Double? { sum(.kapFluoro) }
    /// Acquisition KAP, Gy·cm².
    public var kapAcqGyCm2: Double? { sum(.kapAcq) }
    /// Total fluoroscopy time, s (sum over planes: on a biplane system, fluoroscopy on both
    /// planes at once counts on each plane, as the planes' own totals do).
    public var fluoroTimeS: Double? { sum(.fluoroTime) }
    /// Total acquisition time, s.
    public var acqTimeS: Double? { sum(.acqTime) }
    /// Dose (RP) total summed over planes, Gy. (Each plane has its own reference point; the sum
    /// is the procedure's cumulative air kerma as SPEC §2 `ka_rp_mgy` records it.)
    public var doseRPTotalGy: Double? { sum(.doseRPTotal) }

    /// The sum of `field` over ``planes``, `nil` when there are no planes or a plane lacks it.
    public func sum(_ field: PlaneDose.Field) -> Double? {
        guard !planes.isEmpty else { return nil }
        var total = 0.0
        for p in planes {
            guard let v = p[field] else { return nil }
            total += v
        }
        return total
    }

    /// The procedure record for this report (SPEC §2): `kap_gycm2` the total KAP, `ka_rp_mgy`
    /// the summed Dose (RP) in mGy, fluoroscopy time; no reference dosimeter reading (it does not
    /// come from the X-ray system).
    /// - Parameters:
    ///   - room: the room (from ``RDSRMapping``).
    ///   - specialty: the specialty of the room.
    ///   - procedureType: the clinical procedure type.
    public func procedure(room: String, specialty: String, procedureType: String) -> Procedure {
        Procedure(
            studyUID: studyUID, startedAt: startedAt, date: date, room: room, specialty: specialty,
            procedureType: procedureType, kapGyCm2: kapTotalGyCm2, kapFluoroGyCm2: kapFluoroGyCm2,
            kapAcqGyCm2: kapAcqGyCm2, fluoroTimeS: fluoroTimeS, kaRPMilliGy: doseRPTotalGy.map { $0 * 1000 },
            refDosimeterMicroSv: nil
        )
    }
}
