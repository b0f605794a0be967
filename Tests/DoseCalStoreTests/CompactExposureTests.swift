import DoseCalDomain
import Foundation
import Testing
@testable import DoseCalStore

/// Exposures handed to the import compactly (``ExposureRows``, ``PrefetchedExposures``) must
/// come out exactly as the records went in, and import exactly as records do.
@Suite("Imports: exposures handed over compactly")
struct CompactExposureTests {
    /// Text a CSV may hold after unquoting: quotes, commas, UTF-8, empty, long.
    static let awkward: [Exposure] = [
        Exposure(studyUID: "1.2.840.113619.2.55.3.604688119.868.1234567890.123", operatorID: "OP1",
                 dosimeterID: "D-1", role: .first, hp10MicroSv: 12.5, hp10FluoroMicroSv: 10, hp10AcqMicroSv: 2.5),
        Exposure(studyUID: "a,b", operatorID: "say \"hi\"", dosimeterID: "", role: nil, hp10MicroSv: 0),
        Exposure(studyUID: "Zürich–Genève 🩻", operatorID: "Ōno", dosimeterID: "d\u{0}x", role: .second,
                 hp10MicroSv: 1e-300, hp10FluoroMicroSv: nil, hp10AcqMicroSv: -0.0),
        Exposure(studyUID: String(repeating: "9.", count: 5000), operatorID: "", dosimeterID: String(repeating: "é", count: 3000),
                 role: .other, hp10MicroSv: .greatestFiniteMagnitude, hp10FluoroMicroSv: 0, hp10AcqMicroSv: nil),
    ]

    @Test func rowsRoundTripTheirRecords() {
        var rows = ExposureRows()
        for (i, e) in Self.awkward.enumerated() { rows.append(e, line: i + 2) }
        #expect(rows.count == Self.awkward.count)
        for i in Self.awkward.indices {
            #expect(rows.record(i) == Self.awkward[i])
            #expect(rows.line(i) == i + 2)
        }
        // Copied row by row, in another order, into rows that held others before.
        var copy = ExposureRows(capacity: 2)
        copy.append(Self.awkward[1], line: 99)
        copy.removeAll()
        #expect(copy.count == 0)
        for i in Self.awkward.indices.reversed() { copy.append(rows, row: i) }
        for (j, i) in Self.awkward.indices.reversed().enumerated() {
            #expect(copy.record(j) == Self.awkward[i])
            #expect(copy.line(j) == i + 2)
        }
    }

    /// Rows (with a rejection, a NaN, an error) come out of a compact batch as from the source.
    @Test(arguments: [1, 2, 3, 64])
    func aPrefetchedExposureSourceHandsOutTheSameRowsAndErrorInOrder(batchSize: Int) throws {
        let rows: [Scripted<Exposure>] = Self.awkward.map { .record($0) } + [.rejected(.negativeValue, "negative")]
            + [.record(exposure("1.1", "OPN", hp10: .nan))] + sampleExposures.map { .record($0) }
            + [.record(exposure("1.2", "OPI", hp10: .infinity))] + [.failure, .record(sampleExposures[0])]
        var direct = ArraySource("exposures.csv", rows)
        var prefetched = PrefetchedExposures(ArraySource("exposures.csv", rows), batchSize: batchSize, depth: 2)
        #expect(prefetched.sourceName == "exposures.csv")
        #expect(try expectSameRowsAndError(&direct, &prefetched) != nil)
    }

    /// One import of `rows` through ``PrefetchedExposures`` into a fresh sample store.
    static func compactRun(_ rows: [Scripted<Exposure>], rowsPerStatement: Int, batchSize: Int, strict: Bool) throws
        -> BatchedInsertTests.Run
    {
        let store = try sampleStore()
        var source = PrefetchedExposures(ArraySource("e.csv", rows), batchSize: batchSize, depth: 2)
        var run = BatchedInsertTests.Run(records: [:])
        do {
            run.summary = try store.importBatch(rowsPerStatement: rowsPerStatement) { batch in
                try batch.importExposures(from: &source, pendingFileHash: PendingValue { "e2" }, strict: strict)
            }
        } catch {
            run.error = "\(error)"
        }
        run.records = try dump(store).filter { $0.key == "exposures" || $0.key == "procedures" }
        return run
    }

    /// Conflicts, unknown studies, repeats, rejections, NaNs and a failing source give the same
    /// summaries, messages, lines and stored rows as one record at a time.
    @Test(arguments: BatchedInsertTests.scripts.indices, [(2, 1), (3, 2), (4, 64)])
    func compactImportsMatchRecordImports(_ script: Int, sizes: (rowsPerStatement: Int, batchSize: Int)) throws {
        let rows = BatchedInsertTests.scripts[script].rows
        for strict in [false, true] {
            let reference = try BatchedInsertTests.run(rows, rowsPerStatement: 1, strict: strict)
            let compact = try Self.compactRun(rows, rowsPerStatement: sizes.rowsPerStatement, batchSize: sizes.batchSize, strict: strict)
            #expect(compact == reference, "\(BatchedInsertTests.scripts[script].name), strict \(strict)")
        }
    }

    /// A conflict and an unknown study inside a full compact group: the messages name the
    /// study, line and fields as before.
    @Test func aConflictAndAnUnknownStudyInACompactGroupReadAsBefore() throws {
        let unknown: [Scripted<Exposure>] = (0..<8).map { i in
            .record(exposure(i == 5 ? "9.9.9" : "1.\(i % 5 + 1)", "OPU\(i)", hp10: Double(i)))
        }
        let run = try Self.compactRun(unknown, rowsPerStatement: 4, batchSize: 8, strict: false)
        let rejection = try #require(run.summary?.rejections.first)
        #expect(run.summary?.imported == 7 && run.summary?.rejected == 1)
        #expect(rejection.location.line == 7 && rejection.rule == .unknownStudy && rejection.location.value == "9.9.9")
        #expect(rejection.reason == "study 9.9.9 is not a stored procedure nor one imported with this file; import its procedure first")

        var conflicting = (0..<8).map { i in Scripted<Exposure>.record(exposure("1.\(i % 5 + 1)", "OPC\(i)", hp10: Double(i))) }
        conflicting[6] = .record(exposure("1.2", "OP2", hp10: 9))
        let reference = try BatchedInsertTests.run(conflicting, rowsPerStatement: 1)
        let compact = try Self.compactRun(conflicting, rowsPerStatement: 4, batchSize: 8, strict: false)
        let message = try #require(compact.error)
        #expect(message == reference.error)
        #expect(compact.summary == nil && message.contains("study_uid 1.2, operator_id OP2"))
    }
}
