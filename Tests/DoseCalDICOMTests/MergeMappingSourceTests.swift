import DoseCalDomain
import Foundation
import Testing
@testable import DoseCalDICOM

@Suite("Merging reports of one study")
struct MergeTests {
    static func report(_ events: [(String, String)], total: String?, instance: String, date: String = "20240115") throws -> RDSRReport {
        var doc = RDSRDocument.small
        doc.sopInstanceUID = instance
        doc.studyDate = date
        var content: [[W.Node]] = []
        if let total { content.append(SR.accumulated(SR.single, [("113722", total, "Gy.m2")])) }
        for (uid, dap) in events { content.append(SR.event(SR.single, uid: uid, type: SR.fluoro, dap: (dap, "Gy.m2"))) }
        doc.content = content
        return try RDSRReport(bytes: doc.bytes(), name: "\(instance).dcm")
    }

    @Test("disjoint events: totals add")
    func disjoint() throws {
        let a = try Self.report([("e1", "0.001")], total: "0.001", instance: "1")
        let b = try Self.report([("e2", "0.002")], total: "0.002", instance: "2", date: "20240114")
        let m = try a.merged(with: b)
        #expect(approx(m.kapTotalGyCm2, 30))
        #expect(m.events == 2 && m.files == ["1.dcm", "2.dcm"])
        #expect(m.startedAt == "2024-01-14T10:15:30")
        #expect(m.notes.contains { $0.contains("share no irradiation event") })
    }

    @Test("a cumulative report supersedes the earlier one, in either order")
    func cumulative() throws {
        let early = try Self.report([("e1", "0.001")], total: "0.001", instance: "1")
        let later = try Self.report([("e1", "0.001"), ("e2", "0.002")], total: "0.0031", instance: "2")
        for m in [try early.merged(with: later), try later.merged(with: early)] {
            #expect(approx(m.kapTotalGyCm2, 31))  // the cumulative report's own total
            #expect(m.events == 2)
            #expect(m.notes.contains { $0.contains("cumulative report") })
        }
    }

    @Test("partial overlap: recomputed from the union of events")
    func overlap() throws {
        let a = try Self.report([("e1", "0.001"), ("e2", "0.002")], total: "0.003", instance: "1")
        let b = try Self.report([("e2", "0.002"), ("e3", "0.004")], total: "0.006", instance: "2")
        let m = try a.merged(with: b)
        #expect(approx(m.kapTotalGyCm2, 70))
        #expect(m.events == 3)
        #expect(m.planes.first?.computedFromEvents.contains(.kapTotal) == true)
        #expect(m.notes.contains { $0.contains("share 1 of 3") })
    }

    @Test("the same report twice counts once")
    func duplicate() throws {
        let a = try Self.report([("e1", "0.001")], total: "0.001", instance: "1")
        let m = try a.merged(with: a)
        #expect(approx(m.kapTotalGyCm2, 10) && m.events == 1)
    }

    @Test("different studies cannot merge")
    func differentStudies() throws {
        let a = try Self.report([("e1", "0.001")], total: "0.001", instance: "1")
        var b = a
        b.studyUID = "2.25.other"
        let e = #expect(throws: DICOMError.self) { try a.merged(with: b) }
        #expect(e?.kind == .mergeConflict)
    }
}

@Suite("RDSR mapping")
struct MappingTests {
    static let text = """
        # rooms
        station   | CCL  Lab A | Cath lab 1 | cardiology
        model     | Azurion    | IR room 2  | radiology\r
        procedure | Coronary angiography | coronary angiography
        procedure | *          | unclassified

        """

    @Test("lookup by station, model, description, default; case-insensitive")
    func lookup() throws {
        let m = try RDSRMapping(parsing: Self.text)
        var r = try RDSRReport(bytes: RDSRDocument.small.bytes(), name: "x")
        r.station = "ccl lab a"
        r.studyDescription = "CORONARY ANGIOGRAPHY"
        var res = m.resolve(r)
        #expect(res.room == RDSRMapping.Room(room: "Cath lab 1", specialty: "cardiology"))
        #expect(res.procedureType == "coronary angiography")
        #expect(res.unmapped.isEmpty)
        r.station = "unknown"
        r.model = "AZURION"
        r.studyDescription = "something else"
        res = m.resolve(r)
        #expect(res.room?.room == "IR room 2" && res.procedureType == "unclassified")
        r.model = nil
        res = m.resolve(r)
        #expect(res.room == nil)
        #expect(res.unmapped == ["station 'unknown' / model '(none)'"])
    }

    @Test("parse errors name the line", arguments: [
        ("station | A | room", 1, "4 fields"),
        ("\nroom | A | b | c", 2, "unknown rule"),
        ("procedure | a | x\nprocedure | A | y", 2, "already mapped"),
        ("station | | r | s", 1, "field 2 is empty"),
    ])
    func parseErrors(text: String, line: Int, message: String) {
        let e = #expect(throws: DICOMError.self) { try RDSRMapping(parsing: text, file: "map.txt") }
        #expect(e?.kind == .mapping && e?.line == line)
        #expect(e?.message.contains(message) == true, "\(String(describing: e))")
        #expect(e?.description.hasPrefix("map.txt:\(line): ") == true)
    }
}

@Suite("RDSRSource")
struct SourceTests {
    @Test("a folder with reports, a continued report, a non-dose SR, a broken file and a text file")
    func folder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dosecal-rdsr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func write(_ name: String, _ bytes: [UInt8]) throws {
            try Data(bytes).write(to: dir.appendingPathComponent(name))
        }
        try write("a.dcm", RDSRDocument.biplane.bytes())
        var continued = RDSRDocument.small
        continued.sopInstanceUID = "2.25.5001"
        continued.studyUID = RDSRDocument.biplane.studyUID
        try write("sub/continued", continued.bytes())  // no extension: found by the DICM magic
        var other = RDSRDocument.small
        other.sopClass = "1.2.840.10008.5.1.4.1.1.88.22"
        try write("sub/enhanced.DCM", other.bytes())
        try write("broken.dcm", Array(RDSRDocument.small.bytes().prefix(700)))
        var unmapped = RDSRDocument.small
        unmapped.studyUID = "2.25.77"
        unmapped.station = "Nowhere"
        unmapped.model = "Unknown"
        try write("c.dcm", unmapped.bytes())
        try write("notes.txt", Array("hello".utf8))

        let mapping = try RDSRMapping(parsing: "station | CATH1 | Cath 1 | cardiology\nprocedure | * | coronary angiography")
        var source = RDSRSource(paths: [dir.path], mapping: mapping)
        var outcomes: [RowOutcome<Procedure>] = []
        while let o = try source.next() { outcomes.append(o) }
        #expect(source.filesRead == 5)
        #expect(source.ignored.count == 1)
        #expect(source.skipped.count == 1 && source.skipped.first?.reason.contains("Enhanced SR") == true)
        #expect(outcomes.count == 3)
        guard outcomes.count == 3 else { return }
        // Sorted paths: a.dcm, broken.dcm, c.dcm, sub/continued, sub/enhanced.DCM.
        guard case let .record(p, line) = outcomes[0] else { Issue.record("a.dcm should be a record"); return }
        #expect(line == 1)
        #expect(approx(p.kapGyCm2, 30.25 + 12))  // the continued report's events are new: totals add
        #expect(p.room == "Cath 1" && p.specialty == "cardiology")
        guard case let .rejected(broken) = outcomes[1] else { Issue.record("broken.dcm should be rejected"); return }
        #expect(broken.location.file.hasSuffix("broken.dcm") && broken.location.byteOffset != nil)
        guard case let .rejected(c) = outcomes[2] else { Issue.record("c.dcm should be rejected"); return }
        #expect(c.reason.contains("not in the RDSR mapping") && c.reason.contains("Nowhere"))
        #expect(source.reports.first?.files.count == 2)
    }

    @Test("a missing path is thrown")
    func missingPath() {
        var source = RDSRSource(paths: ["/nonexistent/dosecal"], mapping: RDSRMapping())
        let e = #expect(throws: DICOMError.self) { try source.next() }
        #expect(e?.kind == .cannotRead)
    }
}
