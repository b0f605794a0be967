import DoseCalDomain
import Foundation

/// The concept codes the reader matches (code value + coding scheme designator), PS3.16.
enum RDSRCode {
    static let documentTitle = CodedConcept("113701", "DCM", "X-Ray Radiation Dose Report")
    static let accumulatedDose = CodedConcept("113702", "DCM", "Accumulated X-Ray Dose Data")
    static let irradiationEvent = CodedConcept("113706", "DCM", "Irradiation Event X-Ray Data")
    static let acquisitionPlane = CodedConcept("113764", "DCM", "Acquisition Plane")
    static let eventUID = CodedConcept("113769", "DCM", "Irradiation Event UID")
    static let eventType = CodedConcept("113721", "DCM", "Irradiation Event Type")
    static let dateTimeStarted = CodedConcept("111526", "DCM", "DateTime Started")
    static let dap = CodedConcept("122130", "DCM", "Dose Area Product")
    static let doseRP = CodedConcept("113738", "DCM", "Dose (RP)")
    static let irradiationDuration = CodedConcept("113742", "DCM", "Irradiation Duration")
    static let referencePoint = CodedConcept("113780", "DCM", "Reference Point Definition")
    static let startOfIrradiation = CodedConcept("113809", "DCM", "Start of X-Ray Irradiation")
    static let studyInstanceUID = CodedConcept("110180", "DCM", "Study Instance UID")
    static let deviceObserverName = CodedConcept("121013", "DCM", "Device Observer Name")
    static let deviceObserverManufacturer = CodedConcept("121014", "DCM", "Device Observer Manufacturer")
    static let deviceObserverModel = CodedConcept("121015", "DCM", "Device Observer Model Name")
}

extension RDSRReport {
    /// X-Ray Radiation Dose SR Storage.
    public static let xRayRadiationDoseSR = "1.2.840.10008.5.1.4.1.1.88.67"
    /// Enhanced X-Ray Radiation Dose SR Storage (read when its content follows TID 10001).
    public static let enhancedXRayRadiationDoseSR = "1.2.840.10008.5.1.4.1.1.88.76"

    /// Reads the dose report in the file at `url`.
    /// - Throws: ``DICOMError``: parsing errors, `notADoseReport` for other SOP classes or titles,
    ///   `missingValue` / `invalidValue` when the Study Instance UID or a usable date is missing.
    public init(contentsOf url: URL) throws {
        try self.init(file: DICOMFile(contentsOf: url), name: url.path)
    }

    /// Reads a dose report from the bytes of a Part 10 file.
    /// - Throws: ``DICOMError`` (see ``init(contentsOf:)``).
    public init(bytes: [UInt8], name: String) throws {
        try self.init(file: DICOMFile(bytes: bytes, name: name), name: name)
    }

    /// Reads the dose report of a parsed file.
    /// - Parameters:
    ///   - file: the parsed file.
    ///   - name: the file name for messages and ``files``.
    /// - Throws: ``DICOMError`` (`notADoseReport`, `missingValue`, `invalidValue`).
    public init(file: DICOMFile, name: String) throws {
        var reader = RDSRReader(file: file, name: name)
        self = try reader.read()
    }
}

/// Turns a parsed file into an ``RDSRReport``; collects notes on the way.
struct RDSRReader {
    let file: DICOMFile
    let name: String
    var notes: [String] = []
    /// Event-level problems, counted so 89 events do not give 89 notes.
    var eventIssues: [String: Int] = [:]
    var eventIssueOrder: [String] = []

    init(file: DICOMFile, name: String) {
        self.file = file
        self.name = name
    }

    func error(_ kind: DICOMError.Kind, _ message: String, offset: Int? = nil) -> DICOMError {
        DICOMError(kind, file: name, offset: offset, message: message)
    }

    mutating func eventIssue(_ text: String) {
        if eventIssues[text] == nil { eventIssueOrder.append(text) }
        eventIssues[text, default: 0] += 1
    }

    mutating func read() throws -> RDSRReport {
        let ds = file.dataSet
        let root = SRContentItem(ds)
        try checkClass(root)

        guard let studyUID = ds.string(.studyInstanceUID) else {
            throw error(.missingValue, "the dose report has no Study Instance UID (0020,000D)")
        }
        for scope in root.children where scope.isConcept(CodedConcept("113705", "DCM")) || scope.isConcept(RDSRCode.studyInstanceUID) {
            let items = scope.isConcept(RDSRCode.studyInstanceUID) ? [scope] : scope.children(RDSRCode.studyInstanceUID)
            for item in items {
                if case let .uidref(uid) = item.value, !uid.isEmpty, uid != studyUID {
                    notes.append("the content tree's Study Instance UID (110180) \(uid) differs from the header's \(studyUID); the header's is used")
                }
            }
        }

        // Header text, with the Device Observer items as fallback.
        func observer(_ code: CodedConcept) -> String? {
            root.children(code).lazy.compactMap(\.textOrCodeMeaning).first
        }
        var manufacturer = ds.string(.manufacturer)
        if manufacturer == nil, let v = observer(RDSRCode.deviceObserverManufacturer) {
            manufacturer = v
            notes.append("no Manufacturer (0008,0070) in the header; Device Observer Manufacturer (121014) used")
        }
        var model = ds.string(.manufacturerModelName)
        if model == nil, let v = observer(RDSRCode.deviceObserverModel) {
            model = v
            notes.append("no Manufacturer's Model Name (0008,1090) in the header; Device Observer Model Name (121015) used")
        }
        var station = ds.string(.stationName)
        if station == nil, let v = observer(RDSRCode.deviceObserverName) {
            station = v
            notes.append("no Station Name (0008,1010) in the header; Device Observer Name (121013) used")
        }
        var requested = ds.string(.requestedProcedureDescription)
        if requested == nil, let v = ds.string(.performedProcedureStepDescription) {
            requested = v
        }

        var events = readEvents(root)
        let planes = computePlanes(root: root, events: &events)
        guard !planes.isEmpty || !events.isEmpty else {
            throw error(.missingValue, root.children.isEmpty
                ? "the dose report has no content (Content Sequence (0040,A730) is missing or empty)"
                : "the dose report has no Accumulated X-Ray Dose Data (113702) and no Irradiation Event X-Ray Data (113706)")
        }
        let firstIrradiation = irradiationStart(root: root, events: events)
        let startedAt = try studyStart(firstIrradiation: firstIrradiation)
        guard let date = parseTimestampDate(startedAt) else {
            throw error(.invalidValue, "started_at \(startedAt) is not a valid date")
        }
        for issue in eventIssueOrder {
            let n = eventIssues[issue] ?? 0
            notes.append("\(n) irradiation event\(n == 1 ? "" : "s"): \(issue)")
        }
        if !file.dataSet.characterSet.isFullySupported {
            notes.append("Specific Character Set \(file.dataSet.characterSet.terms.joined(separator: "\\")) is not decoded; non-ASCII characters are shown as U+FFFD")
        }

        return RDSRReport(
            files: [name], sopClassUID: file.sopClassUID ?? "", sopInstanceUIDs: ds.string(.sopInstanceUID).map { [$0] } ?? [],
            studyUID: studyUID, startedAt: startedAt, date: date, firstIrradiationAt: firstIrradiation,
            manufacturer: manufacturer, model: model, station: station,
            studyDescription: ds.string(.studyDescription), requestedProcedure: requested,
            planes: planes, irradiationEvents: events, notes: notes
        )
    }

    /// Refuses what is not an X-Ray Radiation Dose SR, naming what it is.
    mutating func checkClass(_ root: SRContentItem) throws {
        guard let sop = file.sopClassUID else {
            throw error(.notADoseReport, "the file has no SOP Class UID (0008,0016), so it is not an X-Ray Radiation Dose SR: not a radiation dose report")
        }
        let title = root.concept
        let titleText = title.map { " with document title \($0)" } ?? ""
        guard sop == RDSRReport.xRayRadiationDoseSR || sop == RDSRReport.enhancedXRayRadiationDoseSR else {
            let name = DataDictionary.sopClassName(sop)
            let what = DataDictionary.isStructuredReport(sop)
                ? "\(name.map { "\(article($0)) \($0)" } ?? "a structured report") document (SOP class \(sop))\(titleText)"
                : "\(name.map { "\(article($0)) \($0)" } ?? "an object of an unknown SOP class") (SOP class \(sop))"
            throw error(.notADoseReport, "\(what), not an X-Ray Radiation Dose SR (\(RDSRReport.xRayRadiationDoseSR)): not a radiation dose report")
        }
        if let title {
            guard title.matches(RDSRCode.documentTitle) else {
                throw error(.notADoseReport, "document title is \(title), not \(RDSRCode.documentTitle) (TID 10001): not a projection X-ray radiation dose report")
            }
        } else if sop == RDSRReport.enhancedXRayRadiationDoseSR {
            throw error(.notADoseReport, "Enhanced X-Ray Radiation Dose SR without the TID 10001 document title \(RDSRCode.documentTitle); DoseCal reads only TID 10001 content")
        } else {
            notes.append("the document has no title (Concept Name Code Sequence); read as TID 10001")
        }
    }

    // MARK: Values

    enum Number {
        case absent
        case value(Double)
        case invalid(String)
    }

    /// A NUM item's value converted to DoseCal's unit for `unit`.
    static func number(_ item: SRContentItem, _ unit: DoseUnit, _ what: String) -> Number {
        guard case let .num(measurement) = item.value else {
            return .invalid("\(what) is a \(item.valueType.isEmpty ? "untyped" : item.valueType) item, not NUM; left out")
        }
        guard let measurement else { return .absent }
        guard let n = measurement.number else {
            return .invalid("\(what) \"\(measurement.text)\" is not a number; left out")
        }
        guard let u = measurement.unit else { return .invalid("\(what) has no unit; left out") }
        guard let f = unit.factor(for: u) else {
            return .invalid("\(what) has unit '\(u.value)' (\(u.scheme)), which is not a known \(unit.target) unit; left out")
        }
        guard n >= 0 else { return .invalid("\(what) is negative (\(measurement.text)); left out") }
        return .value(n * f)
    }

    func planeOf(_ item: SRContentItem) -> (AcquisitionPlane, CodedConcept?) {
        guard let modifier = item.children(RDSRCode.acquisitionPlane).first else { return (.unspecified, nil) }
        guard case let .code(code?) = modifier.value else { return (.unspecified, nil) }
        return (AcquisitionPlane(code: code) ?? .unspecified, code)
    }

    // MARK: Events

    mutating func readEvents(_ root: SRContentItem) -> [IrradiationEvent] {
        var events: [IrradiationEvent] = []
        var seen: Set<String> = []
        for item in root.children where item.valueType == "CONTAINER" && item.isConcept(RDSRCode.irradiationEvent) {
            let (plane, planeCode) = planeOf(item)
            if plane == .unspecified, let planeCode { eventIssue("unknown Acquisition Plane code \(planeCode)") }
            var event = IrradiationEvent(uid: nil, plane: plane, type: nil, kapGyCm2: nil)
            for child in item.children {
                guard let concept = child.concept else { continue }
                if concept.matches(RDSRCode.eventUID) {
                    switch child.value {
                    case let .uidref(uid) where !uid.isEmpty: event.uid = uid
                    case let .text(uid) where !uid.isEmpty: event.uid = uid
                    default: break
                    }
                } else if concept.matches(RDSRCode.eventType) {
                    if case let .code(code?) = child.value {
                        event.type = IrradiationEventType(code: code)
                        if event.type == nil { eventIssue("Irradiation Event Type \(code) is not in CID 10002") }
                    }
                } else if concept.matches(RDSRCode.dateTimeStarted) {
                    if case let .dateTime(dt) = child.value { event.startedAt = DICOMDateTime.isoDateTime(dt) }
                } else if concept.matches(RDSRCode.dap) {
                    event.kapGyCm2 = eventNumber(child, .kap, "Dose Area Product (122130)")
                } else if concept.matches(RDSRCode.doseRP) {
                    event.doseRPGy = eventNumber(child, .dose, "Dose (RP) (113738)")
                } else if concept.matches(RDSRCode.irradiationDuration) {
                    event.durationS = eventNumber(child, .time, "Irradiation Duration (113742)")
                }
            }
            if let uid = event.uid {
                guard seen.insert(uid).inserted else {
                    eventIssue("the Irradiation Event UID appears twice in the report; counted once")
                    continue
                }
            } else {
                eventIssue("no Irradiation Event UID (113769); the event cannot be matched across reports")
            }
            events.append(event)
        }
        return events
    }

    mutating func eventNumber(_ item: SRContentItem, _ unit: DoseUnit, _ what: String) -> Double? {
        switch RDSRReader.number(item, unit, what) {
        case .absent: return nil
        case let .value(v): return v
        case let .invalid(text):
            eventIssue(text)
            return nil
        }
    }

    // MARK: Accumulated dose

    /// The planes of the report; events without a plane are attributed to the report's only
    /// plane when it has exactly one Accumulated X-Ray Dose Data container.
    mutating func computePlanes(root: SRContentItem, events: inout [IrradiationEvent]) -> [PlaneDose] {
        var planes: [PlaneDose] = []
        var present: [AcquisitionPlane: Set<PlaneDose.Field>] = [:]
        for item in root.children where item.valueType == "CONTAINER" && item.isConcept(RDSRCode.accumulatedDose) {
            let (plane, planeCode) = planeOf(item)
            if plane == .unspecified {
                notes.append(planeCode.map { "Accumulated X-Ray Dose Data with unknown Acquisition Plane \($0)" }
                             ?? "Accumulated X-Ray Dose Data without an Acquisition Plane (113764)")
            }
            guard !planes.contains(where: { $0.plane == plane }) else {
                notes.append("a second Accumulated X-Ray Dose Data container for plane \(plane.rawValue) is ignored")
                continue
            }
            var dose = PlaneDose(plane: plane)
            var found: Set<PlaneDose.Field> = []
            for field in PlaneDose.Field.allCases {
                let items = item.children(field.code)
                guard !items.isEmpty else { continue }
                let what = "plane \(plane.rawValue) \(field.code.meaning) (\(field.code.value))"
                var values: [Double] = []
                var invalid = false
                for candidate in items {
                    switch RDSRReader.number(candidate, field.unit, what) {
                    case .absent: break
                    case let .value(v): values.append(v)
                    case let .invalid(text):
                        notes.append(text)
                        invalid = true
                    }
                }
                if invalid {
                    found.insert(field)  // present but unusable: not replaced by an event sum
                    continue
                }
                guard let first = values.first else { continue }
                found.insert(field)
                if values.contains(where: { $0 != first }) {
                    notes.append("\(what) appears \(values.count) times with different values; left out")
                } else {
                    dose[field] = first
                }
            }
            if let rp = item.children(RDSRCode.referencePoint).lazy.compactMap(\.textOrCodeMeaning).first {
                dose.referencePoint = rp
            }
            present[plane] = found
            planes.append(dose)
        }

        // Events by plane; events without a plane go to the only container's plane, if there is one.
        var byPlane: [AcquisitionPlane: [IrradiationEvent]] = [:]
        var unattributed = 0, attributed = 0
        for index in events.indices {
            if events[index].plane == .unspecified, !planes.isEmpty {
                guard planes.count == 1, let only = planes.first?.plane, only != .unspecified else {
                    unattributed += 1
                    continue
                }
                events[index].plane = only
                attributed += 1
            }
            byPlane[events[index].plane, default: []].append(events[index])
        }
        if attributed > 0, let only = planes.first?.plane {
            notes.append("\(attributed) irradiation events have no Acquisition Plane; attributed to the report's only plane (\(only.rawValue))")
        }
        if unattributed > 0 {
            notes.append("\(unattributed) irradiation events have no Acquisition Plane and the report has several planes; they are not used for computed totals")
        }
        for plane in byPlane.keys.sorted() where !planes.contains(where: { $0.plane == plane }) {
            let n = byPlane[plane]?.count ?? 0
            notes.append("no Accumulated X-Ray Dose Data (113702) for plane \(plane.rawValue); its totals are computed from its \(n) irradiation events")
            var dose = PlaneDose(plane: plane)
            dose.referencePoint = nil
            planes.append(dose)
            present[plane] = []
        }

        for index in planes.indices {
            let plane = planes[index].plane
            let planeEvents = byPlane[plane] ?? []
            for field in PlaneDose.Field.allCases where !(present[plane] ?? []).contains(field) {
                guard let v = field.sum(over: planeEvents) else { continue }
                planes[index][field] = v
                planes[index].computedFromEvents.insert(field)
                notes.append("plane \(plane.rawValue) \(field.code.meaning) (\(field.code.value)) is not in the report; computed from \(planeEvents.count) irradiation events")
            }
        }
        return planes.sorted { $0.plane < $1.plane }
    }

    // MARK: Dates

    /// Start of X-Ray Irradiation (113809) at the root, else the earliest event start.
    func irradiationStart(root: SRContentItem, events: [IrradiationEvent]) -> String? {
        for item in root.children(RDSRCode.startOfIrradiation) {
            if case let .dateTime(dt) = item.value, let iso = DICOMDateTime.isoDateTime(dt) { return iso }
        }
        return events.compactMap(\.startedAt).min()
    }

    /// Study Date + Study Time; see ``RDSRReport`` for the fallbacks.
    mutating func studyStart(firstIrradiation: String?) throws -> String {
        let ds = file.dataSet
        if let da = ds.string(.studyDate) {
            if let date = DICOMDateTime.isoDate(da) {
                guard let tm = ds.string(.studyTime) else {
                    notes.append("no Study Time (0008,0030); started_at is the study date only")
                    return date
                }
                guard let time = DICOMDateTime.isoTime(tm) else {
                    notes.append("Study Time \"\(tm)\" is not a DICOM time; started_at is the study date only")
                    return date
                }
                return "\(date)T\(time)"
            }
            notes.append("Study Date \"\(da)\" is not a DICOM date")
        }
        if let firstIrradiation {
            notes.append("started_at is the start of irradiation (113809 or the first event's DateTime Started), as there is no usable Study Date")
            return firstIrradiation
        }
        throw error(.missingValue, "the dose report has no usable Study Date (0008,0020), no Start of X-Ray Irradiation (113809) and no event DateTime Started (111526), so its date is unknown")
    }
}

/// "an" before a vowel sound ("an Enhanced SR", "an X-Ray …"), else "a" ("a CT Image", "a Basic Text SR").
private func article(_ name: String) -> String {
    guard let first = name.first else { return "a" }
    return "AEIOUX".contains(first) ? "an" : "a"
}
