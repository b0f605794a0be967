import DoseCalDomain
import Testing
@testable import DoseCalStore

@Suite("Imports")
struct ImportTests {
    @Test func importThenReimportIsANoOp() throws {
        let store = try DoseStore.inMemory()
        var p = ArraySource("procedures.csv", records: sampleProcedures)
        let first = try store.importProcedures(from: &p, fileHash: "h1")
        #expect(first.kind == "procedures" && first.source == "procedures.csv" && first.fileHash == "h1")
        #expect(first.read == 5 && first.imported == 5 && first.unchanged == 0 && first.rejected == 0)
        #expect(!first.alreadyImported)

        // The same rows from another file (or the same file without a hash): unchanged.
        var again = ArraySource("procedures-copy.csv", records: sampleProcedures.reversed())
        let second = try store.importProcedures(from: &again, fileHash: "h2")
        #expect(second.read == 5 && second.imported == 0 && second.unchanged == 5)

        // The same file (same hash): not even read.
        var same = ArraySource("procedures.csv", records: sampleProcedures)
        let third = try store.importProcedures(from: &same, fileHash: "h1")
        #expect(third.alreadyImported && third.read == 0 && third.imported == 0)
        #expect(same.index == 0)

        // A hash is per kind: the same bytes as exposures would be another import.
        var e = ArraySource("exposures.csv", records: sampleExposures)
        #expect(try store.importExposures(from: &e, fileHash: "h1").imported == sampleExposures.count)

        #expect(try store.counts().procedures == 5)
        let log = try store.importLog()
        #expect(log.map(\.kind) == ["procedures", "procedures", "exposures"])
        #expect(log.map(\.rowsImported) == [5, 0, 7])
        #expect(log.map(\.rowsUnchanged) == [0, 5, 0])
        #expect(log[0].fileHash == "h1" && log[0].source == "procedures.csv" && log[0].importedAt.hasSuffix("Z"))
    }

    @Test func everyKindRoundTrips() throws {
        let store = try sampleStore()
        let roster = [OperatorInfo(operatorID: "OP1", specialty: "cardiology", name: "Dr A", subspecialty: "haemodynamics"),
                      OperatorInfo(operatorID: "OP3", specialty: "radiology")]
        var o = ArraySource("operators.csv", records: roster)
        #expect(try store.importOperators(from: &o).imported == 2)
        #expect(try store.operators() == roster)
        #expect(try store.roster() == ["OP1": "cardiology", "OP3": "radiology"])

        let readings = [DosimeterMemoryReading(dosimeterID: "D-OP1", readAt: "2024-03-02T08:00:00Z", cumulativeMicroSv: 24,
                                               period: try period("2024-01-01", "2024-02-29"))]
        var m = ArraySource("memory.csv", records: readings)
        let summary = try store.importMemoryReadings(from: &m)
        #expect(summary.kind == "memory" && summary.imported == 1)
        #expect(try store.memoryReadings() == readings)
        #expect(try store.procedures(in: period("2024-01-01", "2024-12-31")) == sampleProcedures)
        #expect(Set(try store.exposures(in: period("2024-01-01", "2024-12-31"))) == Set(sampleExposures))
    }

    @Test func aConflictingRowFailsAndLeavesTheStoreAsItWas() throws {
        let store = try sampleStore()
        let before = try dump(store)
        var changed = sampleExposures
        changed[2].hp10MicroSv = 3.5
        changed[2].dosimeterID = "D-X"
        var e = ArraySource("exposures-2.csv", records: [exposure("1.5", "OP9", hp10: 1)] + changed)
        let error = #expect(throws: StoreError.self) { try store.importExposures(from: &e, fileHash: "new") }
        guard case let .conflict(conflict) = error else { Issue.record("expected a conflict, got \(String(describing: error))"); return }
        #expect(conflict.kind == "exposures")
        #expect(conflict.location == SourceLocation(file: "exposures-2.csv", line: 5))
        #expect(conflict.key == "study_uid 1.2, operator_id OP2")
        #expect(conflict.differences == [FieldDifference(field: "dosimeter_id", stored: "\"D-OP2\"", incoming: "\"D-X\""),
                                         FieldDifference(field: "hp10_usv", stored: "3.25", incoming: "3.5")])
        #expect(!conflict.withinImport)
        #expect(conflict.description.hasPrefix("exposures-2.csv:5: the exposures row with study_uid 1.2, operator_id OP2 is already stored"))
        // The new row before the conflict, and the import log entry, were rolled back too.
        #expect(try dump(store) == before)
    }

    @Test func aConflictingProcedureNamesTheField() throws {
        let store = try sampleStore()
        var p = ArraySource("p.csv", records: [procedure("1.3", "2024-02-15", specialty: "radiology", type: "biliary drainage",
                                                         room: "R1", kap: nil, ref: nil)])
        let error = #expect(throws: StoreError.self) { try store.importProcedures(from: &p) }
        guard case let .conflict(conflict) = error else { Issue.record("expected a conflict"); return }
        #expect(conflict.differences.map(\.field) == ["kap_gycm2", "kap_fluoro_gycm2"])
        #expect(conflict.differences[0].incoming == "empty")
    }

    @Test func aSourceThatThrowsMidwayWritesNothing() throws {
        let store = try sampleStore()
        let before = try dump(store)
        var p = ArraySource<Procedure>("procedures.csv", [.record(procedure("2.1", "2024-04-01")),
                                                          .record(procedure("2.2", "2024-04-02")), .failure])
        #expect(throws: SourceFailure(line: 4)) { try store.importProcedures(from: &p, fileHash: "x") }
        #expect(try dump(store) == before)
    }

    @Test func aFailedBatchRollsBackEveryFileOfIt() throws {
        let store = try sampleStore()
        let before = try dump(store)
        var p = ArraySource("p.csv", records: [procedure("2.1", "2024-04-01")])
        var e = ArraySource("e.csv", records: [exposure("2.1", "OP1", hp10: 5), exposure("1.1", "OP1", hp10: 11)])
        #expect(throws: StoreError.self) {
            try store.importBatch { batch in
                #expect(try batch.importProcedures(from: &p).imported == 1)
                _ = try batch.importExposures(from: &e)
            }
        }
        #expect(try dump(store) == before)
    }

    @Test func anErrorCaughtInsideABatchUndoesOnlyThatImport() throws {
        let store = try sampleStore()
        var p = ArraySource("p.csv", records: [procedure("2.1", "2024-04-01")])
        var e = ArraySource("e.csv", records: [exposure("2.1", "OP1", hp10: 5), exposure("1.1", "OP1", hp10: 11)])
        let summaries = try store.importBatch { batch in
            _ = try batch.importProcedures(from: &p)
            #expect(throws: StoreError.self) { try batch.importExposures(from: &e) }
            return batch.summaries
        }
        #expect(summaries.map(\.kind) == ["procedures"])
        #expect(try store.counts().procedures == 6)
        #expect(try store.counts().exposures == sampleExposures.count)
        #expect(try store.importLog().map(\.source) == ["procedures.csv", "exposures.csv", "p.csv"])
    }

    @Test func exposuresMayReferToProceduresOfTheSameBatch() throws {
        let store = try DoseStore.inMemory()
        var p = ArraySource("p.csv", records: sampleProcedures)
        var e = ArraySource("e.csv", records: sampleExposures)
        let (ps, es) = try store.importBatch { batch in
            (try batch.importProcedures(from: &p), try batch.importExposures(from: &e))
        }
        #expect(ps.imported == 5 && es.imported == 7 && es.rejected == 0)
    }

    @Test func unknownStudiesAreRejectedAndCounted() throws {
        let store = try sampleStore()
        var e = ArraySource("e.csv", records: [exposure("1.1", "OP7", hp10: 2), exposure("9.9", "OP7", hp10: 2),
                                               exposure("1.3", "OP7", hp10: 4)])
        let summary = try store.importExposures(from: &e)
        #expect(summary.read == 3 && summary.imported == 2 && summary.rejected == 1)
        #expect(summary.rejectedByRule == [.unknownStudy: 1])
        let rejection = try #require(summary.rejections.first)
        #expect(rejection.location == SourceLocation(file: "e.csv", line: 3, column: "study_uid", value: "9.9"))
        #expect(try store.counts().exposures == sampleExposures.count + 2)
        #expect(try store.importLog().last?.rowsRejected == 1)
    }

    @Test func strictModeStopsAtTheFirstRejection() throws {
        let store = try sampleStore()
        let before = try dump(store)
        var e = ArraySource("e.csv", records: [exposure("1.1", "OP7", hp10: 2), exposure("9.9", "OP7", hp10: 2)])
        let error = #expect(throws: StoreError.self) { try store.importExposures(from: &e, strict: true) }
        guard case let .rejectedInStrictMode(rejection) = error else { Issue.record("expected a strict rejection"); return }
        #expect(rejection.rule == .unknownStudy && rejection.location.line == 3)
        #expect(try dump(store) == before)

        var p = ArraySource<Procedure>("p.csv", [.record(procedure("2.1", "2024-04-01")), .rejected(.negativeValue, "kap_gycm2 is negative")])
        #expect(throws: StoreError.rejectedInStrictMode(RowRejection(location: SourceLocation(file: "p.csv", line: 3),
                                                                     rule: .negativeValue, reason: "kap_gycm2 is negative"))) {
            try store.importProcedures(from: &p, strict: true)
        }
        #expect(try dump(store) == before)
    }

    @Test func sourceRejectionsAreCountedWhenNotStrict() throws {
        let store = try DoseStore.inMemory()
        var p = ArraySource<Procedure>("p.csv", [.record(procedure("2.1", "2024-04-01")), .rejected(.notANumber, "kap_gycm2 is not a number"),
                                                 .rejected(.malformedDate, "started_at is not a date"), .record(procedure("2.2", "2024-04-01"))])
        let summary = try store.importProcedures(from: &p)
        #expect(summary.read == 4 && summary.imported == 2 && summary.rejected == 2)
        #expect(summary.rejections.map(\.location.line) == [3, 4])
    }

    @Test func duplicatesWithinOneFile() throws {
        let store = try DoseStore.inMemory()
        var same = ArraySource("p.csv", records: [procedure("2.1", "2024-04-01"), procedure("2.1", "2024-04-01")])
        let summary = try store.importProcedures(from: &same)
        #expect(summary.imported == 1 && summary.unchanged == 0 && summary.rejectedByRule == [.duplicateInImport: 1])

        var different = ArraySource("q.csv", records: [procedure("3.1", "2024-04-01"), procedure("3.1", "2024-04-02")])
        let error = #expect(throws: StoreError.self) { try store.importProcedures(from: &different) }
        guard case let .conflict(conflict) = error else { Issue.record("expected a conflict"); return }
        #expect(conflict.withinImport && conflict.location.line == 3)
        #expect(conflict.differences.map(\.field) == ["started_at", "date", "day"])
        #expect(conflict.description.contains("appears earlier in the same import"))
        #expect(try store.counts().procedures == 1)
    }

    @Test func progressIsReported() throws {
        let store = try DoseStore.inMemory()
        let n = ImportSession.progressInterval * 2 + 5
        var p = ArraySource("p.csv", records: (0..<n).map { procedure("u\($0)", "2024-05-01") })
        var seen: [Int] = []
        _ = try store.importProcedures(from: &p, progress: { seen.append($0) })
        #expect(seen == [ImportSession.progressInterval, 2 * ImportSession.progressInterval, n])
    }
}

@Suite("Imports: odd values")
struct OddValueTests {
    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func nonFiniteNumbersAreRejectedNotStoredAsNull(_ x: Double) throws {
        let store = try sampleStore()
        var e = ArraySource("e.csv", records: [exposure("1.1", "OP8", hp10: 1), exposure("1.1", "OP9", hp10: x)])
        let summary = try store.importExposures(from: &e)
        #expect(summary.imported == 1 && summary.rejectedByRule == [.notANumber: 1])
        #expect(summary.rejections.first?.location.column == "hp10_usv")
        #expect(try store.counts().exposures == sampleExposures.count + 1)
    }

    @Test func memoryReadingsConflictOnTheirKey() throws {
        let store = try DoseStore.inMemory()
        let jan = try period("2024-01-01", "2024-01-31")
        var m = ArraySource("m.csv", records: [DosimeterMemoryReading(dosimeterID: "D1", readAt: "2024-02-01T08:00:00Z", cumulativeMicroSv: 10, period: jan)])
        _ = try store.importMemoryReadings(from: &m)
        var again = ArraySource("m2.csv", records: [DosimeterMemoryReading(dosimeterID: "D1", readAt: "2024-02-01T08:00:00Z", cumulativeMicroSv: 11, period: jan)])
        let error = #expect(throws: StoreError.self) { try store.importMemoryReadings(from: &again) }
        guard case let .conflict(conflict) = error else { Issue.record("expected a conflict"); return }
        #expect(conflict.key == "dosimeter_id D1, period_from 2024-01-01, period_to 2024-01-31")
        #expect(conflict.differences == [FieldDifference(field: "cumulative_usv", stored: "10.0", incoming: "11.0")])
    }
}
