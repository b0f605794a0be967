import DoseCalDomain
import Testing
@testable import DoseCalStore

@Suite struct DateRangeTests {
    struct Rows: RecordSource {
        var rows: [Procedure]
        var sourceName: String { "mem" }
        mutating func next() throws -> RowOutcome<Procedure>? {
            guard !rows.isEmpty else { return nil }
            return .record(rows.removeFirst(), line: 1)
        }
    }

    @Test func emptyStoreHasNoRangeThenFirstAndLastDay() throws {
        let store = try DoseStore.inMemory()
        #expect(try store.dateRange() == nil)
        let days = ["2024-03-05", "2023-12-31", "2024-11-02"]
        var src = Rows(rows: days.enumerated().map { i, d in
            Procedure(studyUID: "u\(i)", startedAt: d + "T10:00:00", date: CivilDate(iso: d)!, room: "R", specialty: "s", procedureType: "t", kapGyCm2: 1)
        })
        _ = try store.importProcedures(from: &src)
        let range = try #require(try store.dateRange())
        #expect(range.first.description == "2023-12-31")
        #expect(range.last.description == "2024-11-02")
    }
}

@Suite struct PeriodScanTests {
    struct Exposures: RecordSource {
        var rows: [Exposure]
        var sourceName: String { "mem" }
        mutating func next() throws -> RowOutcome<Exposure>? {
            guard !rows.isEmpty else { return nil }
            return .record(rows.removeFirst(), line: 1)
        }
    }

    /// Procedures without readings still count toward their specialty (SPEC §8), and the scan's
    /// sums equal the builder fed reading by reading.
    @Test func countsProceduresWithoutReadingsAndMatchesThePerReadingBuilder() throws {
        let store = try DoseStore.inMemory()
        let d = CivilDate(iso: "2024-05-02")!
        var procedures: [Procedure] = []
        for i in 0..<6 {
            let specialty = i < 4 ? "radiology" : "cardiology"
            let type = i % 2 == 0 ? "a" : "b"
            let kap: Double? = i == 3 ? nil : Double(i + 1) * 3
            procedures.append(Procedure(studyUID: "p\(i)", startedAt: "2024-05-02T08:00:00", date: d, room: "R", specialty: specialty,
                                        procedureType: type, kapGyCm2: kap, refDosimeterMicroSv: Double(i) * 10))
        }
        var psrc = DateRangeTests.Rows(rows: procedures)
        _ = try store.importProcedures(from: &psrc)
        let exposures = [Exposure(studyUID: "p0", operatorID: "X", dosimeterID: "D", hp10MicroSv: 1.5),
                         Exposure(studyUID: "p1", operatorID: "X", dosimeterID: "D", hp10MicroSv: 2.25),
                         Exposure(studyUID: "p1", operatorID: "Y", dosimeterID: "E", hp10MicroSv: 0.5),
                         Exposure(studyUID: "p3", operatorID: "Y", dosimeterID: "E", hp10MicroSv: 7),
                         Exposure(studyUID: "p4", operatorID: "Y", dosimeterID: "E", hp10MicroSv: 3)]
        var esrc = Exposures(rows: exposures)
        _ = try store.importExposures(from: &esrc)
        let period = try Period(from: d, to: d)
        let scanned = try store.indicatorBuilder(for: period)
        #expect(scanned.specialtyProcedures == ["radiology": 4, "cardiology": 2])
        var reference = IndicatorBuilder(period: period, roster: [:])
        for e in exposures { reference.add(e, of: procedures.first { $0.studyUID == e.studyUID }!) }
        #expect(scanned.indicators().map(\.operatorID) == ["X", "Y"])
        for (a, b) in zip(scanned.indicators(), reference.indicators()) {
            #expect(a.specialty == b.specialty)
            #expect(a.procedures == b.procedures)
            #expect(a.cumulativeMilliSv == b.cumulativeMilliSv)
            #expect(a.pdeKap == b.pdeKap)
            #expect(a.pctReference == b.pctReference)
            #expect(a.sums.proceduresWithoutKap == b.sums.proceduresWithoutKap)
        }
        #expect(scanned.breakdown(of: "Y")?.types.map(\.procedureType).sorted() == ["a", "b"])
    }
}
