import DoseCalDomain
import Testing
@testable import DoseCalDICOM

@Suite("RDSR content tree")
struct RDSRReportTests {
    @Test("biplane report in Gy·m² and dGy·cm², every encoding", arguments: DICOMFileTests.styles.map(\.0))
    func biplane(style name: String) throws {
        let style = try #require(DICOMFileTests.styles.first { $0.0 == name }?.1)
        let r = try RDSRReport(bytes: RDSRDocument.biplane.bytes(style), name: "bi.dcm")
        #expect(r.studyUID == "2.25.4242")
        #expect(r.sopClassUID == RDSRReport.xRayRadiationDoseSR)
        #expect(r.startedAt == "2024-01-15T10:15:30")
        #expect(r.date == CivilDate(year: 2024, month: 1, day: 15))
        #expect(r.firstIrradiationAt == "2024-01-15T10:20:00")
        #expect(r.manufacturer == "Acme" && r.model == "Angio 9" && r.station == "CATH1")
        #expect(r.studyDescription == "Coronary angiography")
        #expect(r.planes.map(\.plane) == [.a, .b])
        let a = try #require(r.planes.first)
        let b = try #require(r.planes.last)
        #expect(approx(a.kapTotalGyCm2, 25) && approx(a.kapFluoroGyCm2, 10) && approx(a.kapAcqGyCm2, 15))
        #expect(a.fluoroTimeS == 300 && a.acqTimeS == 20 && a.doseRPTotalGy == 0.35)
        #expect(a.referencePoint == "15cm from Isocenter toward Source")
        #expect(approx(b.kapTotalGyCm2, 5.25) && approx(b.kapFluoroGyCm2, 2.25) && approx(b.kapAcqGyCm2, 3))
        #expect(b.fluoroTimeS == 120 && approx(b.acqTimeS, 5) && approx(b.doseRPTotalGy, 0.12))
        #expect(b.referencePoint == "15 cm below isocentre")
        #expect(a.doseRPFluoroGy == 0.1 && a.doseRPAcqGy == 0.25)
        #expect(approx(b.doseRPFluoroGy, 0.04) && approx(b.doseRPAcqGy, 0.08))  // mGy and uGy
        #expect(a.computedFromEvents.isEmpty && b.computedFromEvents.isEmpty)
        #expect(approx(r.kapTotalGyCm2, 30.25) && approx(r.kapFluoroGyCm2, 12.25) && approx(r.kapAcqGyCm2, 18))
        #expect(approx(r.fluoroTimeS, 420) && approx(r.acqTimeS, 25) && approx(r.doseRPTotalGy, 0.47))
        #expect(r.events == 4)
        #expect(r.eventUIDs == ["2.25.1.1", "2.25.1.2", "2.25.1.3", "2.25.1.4"])
        let e = try #require(r.irradiationEvents.first { $0.uid == "2.25.1.3" })
        #expect(e.plane == .b && e.type == .fluoroscopy && approx(e.kapGyCm2, 2.25) && approx(e.doseRPGy, 0.04) && e.durationS == 120)
        #expect(r.notes.isEmpty, "\(r.notes)")

        let p = r.procedure(room: "Cath 1", specialty: "cardiology", procedureType: "coronary angiography")
        #expect(p.studyUID == "2.25.4242" && p.startedAt == "2024-01-15T10:15:30" && p.room == "Cath 1")
        #expect(approx(p.kapGyCm2, 30.25) && approx(p.kaRPMilliGy, 470) && approx(p.fluoroTimeS, 420))
        #expect(p.refDosimeterMicroSv == nil)
    }

    @Test("Enhanced SR and other classes are refused, naming what they are")
    func otherClasses() {
        var doc = RDSRDocument.small
        doc.sopClass = "1.2.840.10008.5.1.4.1.1.88.22"
        doc.title = ("C-10", "99SMS_RADSUM", "Radiation Summary Report")
        expectNotDose(doc, contains: ["Enhanced SR", "1.2.840.10008.5.1.4.1.1.88.22", "99SMS_RADSUM", "not a radiation dose report"])
        doc.sopClass = "1.2.840.10008.5.1.4.1.1.88.33"
        expectNotDose(doc, contains: ["Comprehensive SR", "not a radiation dose report"])
        doc.sopClass = "1.2.840.10008.5.1.4.1.1.12.1"
        expectNotDose(doc, contains: ["X-Ray Angiographic Image"])
        // A dose SR class with another title.
        doc.sopClass = RDSRReport.xRayRadiationDoseSR
        doc.title = ("113819", "DCM", "CT Radiation Dose")
        expectNotDose(doc, contains: ["113819", "not a projection X-ray radiation dose report"])
        // Enhanced X-Ray Radiation Dose SR is read when it follows TID 10001, refused otherwise.
        doc.sopClass = RDSRReport.enhancedXRayRadiationDoseSR
        doc.title = nil
        expectNotDose(doc, contains: ["Enhanced X-Ray Radiation Dose SR"])
        doc.title = ("113701", "DCM", "X-Ray Radiation Dose Report")
        #expect((try? RDSRReport(bytes: doc.bytes(), name: "e.dcm"))?.events == 1)
    }

    func expectNotDose(_ doc: RDSRDocument, contains parts: [String], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        do {
            _ = try RDSRReport(bytes: doc.bytes(), name: "x.dcm")
            Issue.record("expected notADoseReport", sourceLocation: sourceLocation)
        } catch let e as DICOMError {
            #expect(e.kind == .notADoseReport, sourceLocation: sourceLocation)
            for p in parts { #expect(e.message.contains(p), "\(e.message)", sourceLocation: sourceLocation) }
        } catch { Issue.record("unexpected \(error)", sourceLocation: sourceLocation) }
    }

    @Test("missing Study Instance UID or date is a clear error")
    func missingValues() {
        var doc = RDSRDocument.small
        doc.studyUID = nil
        let noUID = #expect(throws: DICOMError.self) { try RDSRReport(bytes: doc.bytes(), name: "x") }
        #expect(noUID?.kind == .missingValue && noUID?.message.contains("(0020,000D)") == true)
        doc = .small
        doc.studyDate = nil
        doc.content = [SR.accumulated(SR.single, [("113722", "0.0012", "Gy.m2")])]
        let noDate = #expect(throws: DICOMError.self) { try RDSRReport(bytes: doc.bytes(), name: "x") }
        #expect(noDate?.kind == .missingValue && noDate?.message.contains("date is unknown") == true)
    }

    @Test("without a study date the first irradiation start is used, and noted")
    func dateFallback() throws {
        var doc = RDSRDocument.biplane
        doc.studyDate = nil
        let r = try RDSRReport(bytes: doc.bytes(), name: "x")
        #expect(r.startedAt == "2024-01-15T10:20:00")
        #expect(r.notes.contains { $0.contains("start of irradiation") })
        doc = .biplane
        doc.studyTime = nil
        #expect(try RDSRReport(bytes: doc.bytes(), name: "x").startedAt == "2024-01-15")
    }

    @Test("an unknown unit leaves the value out and says so")
    func unknownUnit() throws {
        var doc = RDSRDocument.small
        doc.content = [
            SR.accumulated(SR.single, [("113722", "12", "Gy.in2"), ("113725", "5", "R"), ("113730", "3", "s")]),
            SR.event(SR.single, uid: "2.25.9.1", type: SR.fluoro, dap: ("0.0012", "furlong")),
        ]
        let r = try RDSRReport(bytes: doc.bytes(), name: "x")
        #expect(r.kapTotalGyCm2 == nil)  // not replaced by the event sum either
        #expect(r.doseRPTotalGy == nil)
        #expect(r.fluoroTimeS == 3)
        #expect(r.notes.contains { $0.contains("'Gy.in2'") && $0.contains("Gy·cm²") })
        #expect(r.notes.contains { $0.contains("'R'") })
        #expect(r.notes.contains { $0.contains("1 irradiation event:") && $0.contains("'furlong'") })
        #expect(r.irradiationEvents.first?.kapGyCm2 == nil)
    }

    @Test("units: every table entry converts by its factor")
    func unitTable() {
        let cases: [(DoseUnit, String, Double)] = [
            (.kap, "Gy.m2", 1e4), (.kap, "Gym2", 1e4), (.kap, "dGy.cm2", 0.1), (.kap, "cGy.cm2", 0.01),
            (.kap, "mGy.cm2", 1e-3), (.kap, "uGy.m2", 1e-2), (.kap, "Gy.cm2", 1), (.kap, "mGy.m2", 10),
            (.dose, "Gy", 1), (.dose, "mGy", 1e-3), (.dose, "dGy", 0.1), (.dose, "uGy", 1e-6),
            (.time, "s", 1), (.time, "ms", 1e-3), (.time, "min", 60),
        ]
        for (unit, code, factor) in cases {
            #expect(unit.factor(for: CodedConcept(code, "UCUM")) == factor, "\(code)")
        }
        #expect(DoseUnit.kap.factor(for: CodedConcept("Gy.m2", "UCM")) == 1e4)  // GE's scheme typo
        #expect(DoseUnit.kap.factor(for: CodedConcept("Gy.m2", "99ACME")) == nil)
        #expect(DoseUnit.kap.factor(for: CodedConcept("GY.M2", "UCUM")) == nil)  // UCUM is case-sensitive
        #expect(DoseUnit.dose.factor(for: CodedConcept("Gy.m2", "UCUM")) == nil)
    }

    @Test("totals missing from TID 10002 are computed from events, and noted")
    func totalsFromEvents() throws {
        var doc = RDSRDocument.biplane
        doc.content = [
            // Plane A container with only the fluoroscopy time; plane B has no container at all.
            SR.accumulated(SR.planeA, [("113730", "300", "s")]),
            SR.event(SR.planeA, uid: "2.25.1.1", type: SR.fluoro, dap: ("0.001", "Gy.m2"), doseRP: ("0.1", "Gy"), duration: ("250", "s")),
            SR.event(SR.planeA, uid: "2.25.1.2", type: SR.stationary, dap: ("0.0015", "Gy.m2"), doseRP: ("0.25", "Gy"), duration: ("20", "s")),
            SR.event(SR.planeB, uid: "2.25.1.3", type: SR.fluoro, dap: ("22.5", "dGy.cm2")),
        ]
        let r = try RDSRReport(bytes: doc.bytes(), name: "x")
        let a = try #require(r.planes.first { $0.plane == .a })
        let b = try #require(r.planes.first { $0.plane == .b })
        #expect(a.fluoroTimeS == 300)  // from the report, not the event sum 250
        #expect(approx(a.kapTotalGyCm2, 25) && approx(a.kapFluoroGyCm2, 10) && approx(a.kapAcqGyCm2, 15))
        #expect(a.acqTimeS == 20 && approx(a.doseRPTotalGy, 0.35))
        #expect(a.computedFromEvents.contains(.kapTotal) && !a.computedFromEvents.contains(.fluoroTime))
        #expect(approx(b.kapTotalGyCm2, 2.25) && approx(b.kapFluoroGyCm2, 2.25) && b.kapAcqGyCm2 == 0)
        #expect(b.doseRPTotalGy == nil && b.fluoroTimeS == nil)  // the event lacks them: no partial sums
        #expect(approx(r.kapTotalGyCm2, 27.25))
        #expect(r.doseRPTotalGy == nil)
        #expect(r.notes.contains { $0.contains("no Accumulated X-Ray Dose Data (113702) for plane B") })
        #expect(r.notes.contains { $0.contains("plane A") && $0.contains("(113722)") && $0.contains("computed from 2 irradiation events") })
    }

    @Test("events: duplicates counted once, missing UID and plane handled")
    func eventQuirks() throws {
        var doc = RDSRDocument.small
        doc.content = [
            SR.accumulated(SR.single, [("113722", "0.0036", "Gy.m2")]),
            SR.event(SR.single, uid: "2.25.9.1", type: SR.fluoro, dap: ("0.0012", "Gy.m2")),
            SR.event(SR.single, uid: "2.25.9.1", type: SR.fluoro, dap: ("0.0012", "Gy.m2")),
            SR.event(nil, uid: nil, type: ("999", "99X", "Odd"), dap: ("0.0024", "Gy.m2")),
        ]
        let r = try RDSRReport(bytes: doc.bytes(), name: "x")
        #expect(r.events == 2)
        #expect(r.eventUIDs == ["2.25.9.1"])
        #expect(r.planes.map(\.plane) == [.single])
        #expect(r.irradiationEvents.allSatisfy { $0.plane == .single })
        #expect(r.notes.contains { $0.contains("attributed to the report's only plane (single)") })
        #expect(r.notes.contains { $0.contains("appears twice") })
        #expect(r.notes.contains { $0.contains("no Irradiation Event UID") })
        #expect(r.notes.contains { $0.contains("not in CID 10002") })
        // Fluoro KAP cannot be computed: one event has no known type.
        #expect(r.kapFluoroGyCm2 == nil)
    }

    @Test("header fallbacks: Device Observer model and PPS description")
    func headerFallbacks() throws {
        var doc = RDSRDocument.small
        doc.model = nil
        doc.station = nil
        doc.extra = [W.text(.performedProcedureStepDescription, "LO", "Biliary drainage")]
        doc.content.insert(SR.item("HAS OBS CONTEXT", "TEXT", ("121015", "DCM", "Device Observer Model Name"), [W.text(.textValue, "UT", "Allura Xper")]), at: 0)
        let r = try RDSRReport(bytes: doc.bytes(), name: "x")
        #expect(r.model == "Allura Xper")
        #expect(r.station == nil)
        #expect(r.requestedProcedure == "Biliary drainage")
        #expect(r.notes.contains { $0.contains("121015") })
    }

    @Test("deflated dose report written by pydicom matches its expected values")
    func deflatedFixture() throws {
        let url = try #require(Fixtures.url("synthetic-deflated", "dcm"))
        let expected = try Fixtures.expectation(named: "synthetic-deflated", "json")
        let r = try RDSRReport(contentsOf: url)
        #expect(r.station == "Hemodinámica 2")
        try CorpusTests.compare(r, expected)
    }
}
