import DoseCalDomain
import Foundation
import Testing
@testable import DoseCalDICOM

/// Where the shared RDSR corpus lives: `<repo>/../shared/datasets/external/rdsr/`. The files are
/// other projects' test data and are not copied into this repository.
enum Corpus {
    static let folder: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // DoseCalDICOMTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root
        .appendingPathComponent("../shared/datasets/external/rdsr", isDirectory: true)
        .standardizedFileURL

    static var isPresent: Bool {
        var dir: ObjCBool = false
        return FileManager.default.fileExists(atPath: folder.path, isDirectory: &dir) && dir.boolValue
    }

    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Run when the folder is there; on CI (`CI=true`) run anyway, so that a missing folder is a
    /// failure there rather than a silent skip. Elsewhere a missing folder disables the suite,
    /// and Swift Testing reports it as skipped with the comment below.
    static var shouldRun: Bool { isPresent || isCI }

    static func requireFolder() throws {
        try #require(isPresent, "CI=true but the shared RDSR corpus is missing at \(folder.path)")
    }

    static var names: [String] { Fixtures.corpus?.files.map(\.file) ?? [] }
}

@Suite("RDSR corpus (shared real dose reports)",
       .enabled(if: Corpus.shouldRun, "the shared RDSR folder ../shared/datasets/external/rdsr is absent (CI=true makes this a failure)"))
struct CorpusTests {
    @Test("the answer key loads and covers every .dcm file in the folder")
    func answerKeyCoversFolder() throws {
        try Corpus.requireFolder()
        let corpus = try #require(Fixtures.corpus, "Fixtures/rdsr-expected.json does not load")
        #expect(corpus.generator.contains("pydicom"))
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: Corpus.folder.path)
            .filter { $0.lowercased().hasSuffix(".dcm") }.sorted()
        #expect(onDisk == corpus.files.map(\.file).sorted())
        #expect(onDisk.count == 11)
    }

    @Test("each file matches pydicom's reading", arguments: Corpus.names)
    func file(_ name: String) throws {
        try Corpus.requireFolder()
        let expected = try #require(Fixtures.corpus?.files.first { $0.file == name })
        let url = Corpus.folder.appendingPathComponent(name)
        let parsed = try DICOMFile(contentsOf: url)
        #expect(parsed.transferSyntaxUID == expected.transferSyntaxUid)
        #expect(parsed.sopClassUID == expected.sopClassUid)
        #expect(parsed.hasPreamble)
        if expected.status == "skipped" {
            let error = #expect(throws: DICOMError.self) { try RDSRReport(file: parsed, name: name) }
            #expect(error?.kind == .notADoseReport)
            #expect(error?.message.contains("Enhanced SR") == true, "\(String(describing: error))")
            #expect(error?.message.contains(expected.sopClassUid) == true)
            #expect(error?.message.contains("not a radiation dose report") == true)
            return
        }
        let report = try RDSRReport(file: parsed, name: name)
        try Self.compare(report, expected)
    }

    /// Field-by-field comparison with a relative tolerance of 1e-9.
    static func compare(_ r: RDSRReport, _ x: Expected, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let f = x.file
        #expect(r.sopClassUID == x.sopClassUid, "\(f)", sourceLocation: sourceLocation)
        #expect(r.studyUID == x.studyUid, "\(f)", sourceLocation: sourceLocation)
        #expect(r.startedAt == x.startedAt, "\(f)", sourceLocation: sourceLocation)
        #expect(r.manufacturer == x.manufacturer, "\(f)", sourceLocation: sourceLocation)
        #expect(r.model == x.model, "\(f)", sourceLocation: sourceLocation)
        #expect(r.station == x.station, "\(f)", sourceLocation: sourceLocation)
        #expect(r.studyDescription == x.studyDescription, "\(f)", sourceLocation: sourceLocation)
        #expect(r.requestedProcedure == x.requestedProcedure, "\(f)", sourceLocation: sourceLocation)
        #expect(approx(r.kapTotalGyCm2, x.kapTotalGycm2), "\(f) KAP \(String(describing: r.kapTotalGyCm2))", sourceLocation: sourceLocation)
        #expect(approx(r.kapFluoroGyCm2, x.kapFluoroGycm2), "\(f)", sourceLocation: sourceLocation)
        #expect(approx(r.kapAcqGyCm2, x.kapAcqGycm2), "\(f)", sourceLocation: sourceLocation)
        #expect(approx(r.fluoroTimeS, x.fluoroTimeS), "\(f)", sourceLocation: sourceLocation)
        #expect(approx(r.acqTimeS, x.acqTimeS), "\(f)", sourceLocation: sourceLocation)
        #expect(approx(r.doseRPTotalGy, x.doseRpTotalGy), "\(f)", sourceLocation: sourceLocation)
        #expect(r.events == x.events, "\(f)", sourceLocation: sourceLocation)
        #expect(r.eventUIDs == Set(x.eventUids ?? []), "\(f)", sourceLocation: sourceLocation)
        let planes = x.planes ?? []
        #expect(r.planes.map(\.plane.rawValue) == planes.map(\.plane), "\(f)", sourceLocation: sourceLocation)
        for (p, e) in zip(r.planes, planes) {
            #expect(approx(p.kapTotalGyCm2, e.kapTotalGycm2), "\(f) \(e.plane)", sourceLocation: sourceLocation)
            #expect(approx(p.kapFluoroGyCm2, e.kapFluoroGycm2), "\(f) \(e.plane)", sourceLocation: sourceLocation)
            #expect(approx(p.kapAcqGyCm2, e.kapAcqGycm2), "\(f) \(e.plane)", sourceLocation: sourceLocation)
            #expect(approx(p.fluoroTimeS, e.fluoroTimeS), "\(f) \(e.plane)", sourceLocation: sourceLocation)
            #expect(approx(p.acqTimeS, e.acqTimeS), "\(f) \(e.plane)", sourceLocation: sourceLocation)
            #expect(approx(p.doseRPTotalGy, e.doseRpTotalGy), "\(f) \(e.plane)", sourceLocation: sourceLocation)
            #expect(approx(p.doseRPFluoroGy, e.doseRpFluoroGy), "\(f) \(e.plane)", sourceLocation: sourceLocation)
            #expect(approx(p.doseRPAcqGy, e.doseRpAcqGy), "\(f) \(e.plane)", sourceLocation: sourceLocation)
            #expect(p.referencePoint == e.referencePoint, "\(f) \(e.plane)", sourceLocation: sourceLocation)
            #expect(p.computedFromEvents.isEmpty, "\(f) \(e.plane)", sourceLocation: sourceLocation)
        }
        // Event-level values: per-plane sums of DAP and Dose (RP) over the events.
        for sum in x.eventSums ?? [] {
            let events = r.irradiationEvents.filter { $0.plane.rawValue == sum.plane }
            #expect(events.count == sum.events, "\(f) \(sum.plane)", sourceLocation: sourceLocation)
            let kap = events.reduce(0.0) { $0 + ($1.kapGyCm2 ?? 0) }
            let dose = events.reduce(0.0) { $0 + ($1.doseRPGy ?? 0) }
            #expect(approx(kap, sum.kapGycm2), "\(f) \(sum.plane) event KAP", sourceLocation: sourceLocation)
            #expect(approx(dose, sum.doseRpGy), "\(f) \(sum.plane) event dose", sourceLocation: sourceLocation)
        }
    }

    @Test("RDSRSource over the folder: 11 read, 10 procedures, the Enhanced SR skipped")
    func source() throws {
        try Corpus.requireFolder()
        let mapping = try RDSRMapping(parsing: """
            station | * | Lab | radiology
            model | Platinum43 | R/F room | radiology
            procedure | * | unclassified
            """)
        var source = RDSRSource(paths: [Corpus.folder.path], mapping: mapping)
        var procedures: [Procedure] = []
        var rejections: [RowRejection] = []
        while let outcome = try source.next() {
            switch outcome {
            case let .record(p, _): procedures.append(p)
            case let .rejected(r): rejections.append(r)
            }
        }
        #expect(source.filesRead == 11)
        #expect(procedures.count == 10)
        #expect(rejections.isEmpty, "\(rejections)")
        #expect(source.skipped.count == 1)
        #expect(source.skipped.first?.file.hasSuffix("RF-ESR-Siemens-Varic.dcm") == true)
        #expect(source.ignored.map { ($0 as NSString).lastPathComponent } == ["README.md"])
        #expect(Set(procedures.map(\.studyUID)).count == 10)
        let canon = try #require(procedures.first { $0.room == "R/F room" })
        #expect(approx(canon.kapGyCm2, 12.6596) && approx(canon.kaRPMilliGy, 30.573))
        #expect(procedures.allSatisfy { $0.procedureType == "unclassified" && $0.refDosimeterMicroSv == nil })
    }
}
