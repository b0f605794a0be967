import DoseCalDomain
import Testing
@testable import DoseCalStore

@Suite("Queries")
struct QueryTests {
    @Test func periodsIncludeBothBoundaryDays() throws {
        let store = try sampleStore()
        let february = try period("2024-02-01", "2024-02-29")
        #expect(try store.procedures(in: february).map(\.studyUID) == ["1.2", "1.3", "1.4"])
        #expect(try store.procedures(in: february, specialty: "radiology").map(\.studyUID) == ["1.3", "1.4"])
        #expect(try store.exposures(in: february).map { "\($0.studyUID)/\($0.operatorID)" }
                == ["1.2/OP1", "1.2/OP2", "1.3/OP3", "1.4/OP1", "1.4/OP3"])
        #expect(try store.procedureCountsBySpecialty(in: february) == ["cardiology": 1, "radiology": 2])
        #expect(try store.procedures(in: period("2024-01-31", "2024-01-31")).map(\.studyUID) == ["1.1"])
        #expect(try store.procedures(in: period("2024-03-02", "2024-12-31")).isEmpty)

        var readings: [StoredReading] = []
        try store.forEachReading(in: february) { readings.append($0) }
        #expect(readings.map(\.operatorID) == ["OP1", "OP2", "OP3", "OP1", "OP3"])
        #expect(readings.first == StoredReading(studyUID: "1.2", date: day("2024-02-01"), room: "C1", specialty: "cardiology",
                                                procedureType: "coronary angiography", kapGyCm2: 20, refDosimeterMicroSv: 100,
                                                operatorID: "OP1", dosimeterID: "D-OP1", role: .first, hp10MicroSv: 12.5,
                                                hp10FluoroMicroSv: 6.25, hp10AcqMicroSv: 6.25))
        #expect(readings.last?.role == nil && readings.last?.kapGyCm2 == nil && readings.last?.date == day("2024-02-29"))
    }

    @Test func storedSumsPerDosimeter() throws {
        let store = try sampleStore()
        #expect(try store.storedSum(dosimeterID: "D-OP1", period: period("2024-01-31", "2024-02-29")) == 23.5)
        #expect(try store.storedSum(dosimeterID: "D-OP1", period: period("2024-02-01", "2024-02-28")) == 12.5)
        #expect(try store.storedSum(dosimeterID: "D-none", period: period("2024-01-01", "2024-12-31")) == 0)
        #expect(try store.storedSums(in: period("2024-02-01", "2024-02-29")) == ["D-OP1": 13.5, "D-OP2": 3.25, "D-OP3": 50])
    }

    @Test func proceduresWithoutReadings() throws {
        let store = try sampleStore()
        var p = ArraySource("p.csv", records: [procedure("2.1", "2024-02-10", room: "C2")])
        _ = try store.importProcedures(from: &p)
        #expect(try store.proceduresWithoutExposures(in: period("2024-01-01", "2024-12-31")).map(\.studyUID) == ["2.1"])
    }

    @Test func theIndicatorBuilderMatchesFeedingTheDomainDirectly() throws {
        let store = try sampleStore()
        let february = try period("2024-02-01", "2024-02-29")
        var o = ArraySource("o.csv", records: [OperatorInfo(operatorID: "OP1", specialty: "cardiology")])
        _ = try store.importOperators(from: &o)

        var direct = IndicatorBuilder(period: february, roster: ["OP1": "cardiology"])
        for p in sampleProcedures { direct.countProcedure(p) }
        for e in sampleExposures { direct.add(e, of: sampleProcedures.first { $0.studyUID == e.studyUID }!) }

        let stored = try store.indicatorBuilder(for: february)
        #expect(stored.indicators() == direct.indicators())
        #expect(stored.specialtyProcedures == ["cardiology": 1, "radiology": 2])
        #expect(stored.specialty(of: "OP3") == "radiology")
    }

    @Test func theContentHashIgnoresImportOrderAndSeesEveryValue() throws {
        let whole = try period("2024-01-01", "2024-12-31")
        let a = try sampleStore()
        let b = try DoseStore.inMemory()
        var p = ArraySource("p.csv", records: sampleProcedures.reversed())
        var e = ArraySource("e.csv", records: sampleExposures.shuffled())
        try b.importBatch { batch in
            _ = try batch.importProcedures(from: &p)
            _ = try batch.importExposures(from: &e)
        }
        let hashA = try a.contentHash(in: whole)
        #expect(hashA.procedures == 5 && hashA.exposures == 7)
        #expect(hashA.hash.hasPrefix(RecordHasher.method + ":"))
        #expect(try b.contentHash(in: whole) == hashA)

        var expected = RecordHasher()
        sampleProcedures.forEach { expected.add($0) }
        sampleExposures.forEach { expected.add($0) }
        #expect(hashA.hash == expected.finalize())

        let radiology = try a.contentHash(in: whole, specialty: "radiology")
        #expect(radiology.procedures == 2 && radiology.exposures == 3 && radiology.hash != hashA.hash)

        let c = try DoseStore.inMemory()
        var changed = sampleExposures
        changed[4].hp10MicroSv = 30.000001
        var p2 = ArraySource("p.csv", records: sampleProcedures)
        var e2 = ArraySource("e.csv", records: changed)
        try c.importBatch { batch in
            _ = try batch.importProcedures(from: &p2)
            _ = try batch.importExposures(from: &e2)
        }
        #expect(try c.contentHash(in: whole).hash != hashA.hash)
    }
}
