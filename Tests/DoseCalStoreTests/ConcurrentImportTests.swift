import DoseCalCSV
import DoseCalDomain
import Foundation
import Synchronization
import Testing
@testable import DoseCalStore

/// A hash that is already in, as a finished ``PendingValue``.
private func ready(_ hash: String) throws -> PendingValue<String> {
    let pending = PendingValue { hash }
    _ = try pending.value()
    return pending
}

private struct HashFailure: Error, Equatable {}

/// Many exposures of the sample procedures, on lines 2, 3, …
private func manyExposures(_ count: Int) -> [Exposure] {
    (0..<count).map { exposure(sampleProcedures[$0 % 5].studyUID, "OPX\($0)", hp10: Double($0 % 97)) }
}

@Suite("Imports read ahead on one thread and hashed on another")
struct ConcurrentImportTests {
    @Test(arguments: [1, 2, 3, 64])
    func aPrefetchedSourceHandsOutTheSameRowsAndErrorInOrder(batchSize: Int) throws {
        let rows: [Scripted<Exposure>] = sampleExposures.map { .record($0) } + [.rejected(.negativeValue, "negative")]
            + sampleExposures.map { .record($0) } + [.failure, .record(sampleExposures[0])]
        var direct = ArraySource("exposures.csv", rows)
        var prefetched = PrefetchedSource(ArraySource("exposures.csv", rows), batchSize: batchSize, depth: 2)
        #expect(prefetched.sourceName == "exposures.csv")
        let failure = try expectSameRowsAndError(&direct, &prefetched)
        #expect(failure == SourceFailure(line: 17))
    }

    @Test func theReadingThreadStopsWhenTheSourceIsReleased() throws {
        final class Counter: Sendable {
            let rows = Atomic<Int>(0)
        }
        let count = Counter()
        struct Counting: RecordSource {
            let sourceName = "big.csv"
            let count: @Sendable () -> Void
            var line = 1
            mutating func next() throws -> RowOutcome<Exposure>? {
                count()
                line += 1
                return .record(exposure("1.1", "OP\(line)", hp10: 1), line: line)
            }
        }
        do {
            var source = PrefetchedSource(Counting(count: { count.rows.add(1, ordering: .relaxed) }), batchSize: 10, depth: 2)
            _ = try source.next()
        }
        // At most the batches queued, the one handed out and the one being filled: not an endless file.
        var last = -1
        while last != count.rows.load(ordering: .relaxed) {
            last = count.rows.load(ordering: .relaxed)
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(last <= 50)
    }

    /// Records handed out are released: only the queued batches stay alive, however long the file.
    @Test func memoryStaysBoundedWhileTheReaderIsAhead() throws {
        final class Live: Sendable {
            let count = Atomic<Int>(0)
            let peak = Atomic<Int>(0)
        }
        final class Row: Sendable {
            let live: Live
            init(_ live: Live) {
                self.live = live
                let now = live.count.add(1, ordering: .relaxed).newValue
                live.peak.max(now, ordering: .relaxed)
            }
            deinit { live.count.subtract(1, ordering: .relaxed) }
        }
        struct Rows: RecordSource {
            let sourceName = "long.csv"
            let live: Live
            var line = 1
            mutating func next() throws -> RowOutcome<Row>? {
                guard line < 20_001 else { return nil }
                line += 1
                return .record(Row(live), line: line)
            }
        }
        let live = Live()
        var source = PrefetchedSource(Rows(live: live), batchSize: 100, depth: 4)
        var read = 0
        while try source.next() != nil {
            read += 1
            if read % 100 == 0 { Thread.sleep(forTimeInterval: 0.0005) } // the reader stays ahead
        }
        #expect(read == 20_000)
        // 4 queued batches, the one handed out and the one being filled.
        #expect(live.peak.load(ordering: .relaxed) <= 600)
    }

    @Test func aPendingHashIsRecordedLikeAKnownOne() throws {
        let known = try sampleStore()
        let pending = try DoseStore.inMemory()
        var p = PrefetchedSource(ArraySource("procedures.csv", records: sampleProcedures), batchSize: 2)
        var e = PrefetchedSource(ArraySource("exposures.csv", records: sampleExposures), batchSize: 2)
        let (ps, es) = try pending.importBatch { batch in
            (try batch.importProcedures(from: &p, pendingFileHash: PendingValue { "hp" }),
             try batch.importExposures(from: &e, pendingFileHash: PendingValue { "he" }))
        }
        #expect(ps.fileHash == "hp" && es.fileHash == "he" && es.imported == sampleExposures.count && !es.alreadyImported)
        var a = try dump(known), b = try dump(pending)
        for table in ["imports", "settings"] { // import times, each store's own lab key
            a[table] = nil
            b[table] = nil
        }
        #expect(a == b)
        #expect(try known.importLog().map(\.fileHash) == pending.importLog().map(\.fileHash))
        #expect(try known.importLog().map(\.rowsImported) == pending.importLog().map(\.rowsImported))
    }

    /// Whatever the rows would do, a file already imported is reported as with a known hash
    /// (nothing read) and leaves the store exactly as it was.
    @Test(arguments: [false, true])
    func aReimportFoundByThePendingHashLeavesTheStoreUnchanged(strict: Bool) throws {
        let store = try sampleStore()
        let rows: [Scripted<Exposure>] = [.record(exposure("1.9", "OP1", hp10: 1))]
            + manyExposures(20_000).map { .record($0) } + [.rejected(.negativeValue, "negative"), .failure]
        var first = ArraySource("late.csv", Array(rows.dropLast()))
        _ = try store.importExposures(from: &first, fileHash: "late")
        let before = try dump(store)

        var known = ArraySource("late.csv", rows)
        let expected = try store.importExposures(from: &known, fileHash: "late", strict: strict)
        var again = PrefetchedSource(ArraySource("late.csv", rows), batchSize: 1000)
        let summary = try store.importExposures(from: &again, pendingFileHash: try ready("late"), strict: strict)
        #expect(summary == expected)
        #expect(summary.alreadyImported && summary.read == 0 && summary.fileHash == "late")
        #expect(try dump(store) == before)

        // The hash arrives only at the end: the same report, the same store.
        let slow = PendingValue { Thread.sleep(forTimeInterval: 0.3); return "late" }
        var late = PrefetchedSource(ArraySource("late.csv", rows), batchSize: 1000)
        #expect(try store.importExposures(from: &late, pendingFileHash: slow, strict: strict) == expected)
        #expect(try dump(store) == before)
    }

    @Test func aStrictRejectionInALateBatchLeavesTheStoreUnchanged() throws {
        let store = try sampleStore()
        let before = try dump(store)
        let rows: [Scripted<Exposure>] = manyExposures(10_000).map { .record($0) } + [.rejected(.negativeValue, "negative")]
            + manyExposures(5).map { .record($0) }
        var source = PrefetchedSource(ArraySource("e.csv", rows), batchSize: 512)
        let error = #expect(throws: StoreError.self) {
            _ = try store.importExposures(from: &source, pendingFileHash: PendingValue { "new" }, strict: true)
        }
        guard case let .rejectedInStrictMode(rejection) = error else {
            Issue.record("not a strict-mode rejection: \(String(describing: error))")
            return
        }
        #expect(rejection.location.line == 10_002 && rejection.rule == RejectionRule.negativeValue)
        #expect(try dump(store) == before)
    }

    @Test func aParseErrorOnTheReadingThreadSurfacesWithFileAndLine() throws {
        let store = try sampleStore()
        let before = try dump(store)
        var csv = "study_uid,operator_id,dosimeter_id,hp10_usv\n"
        for i in 0..<9_000 { csv += "1.\(i % 5 + 1),OPX\(i),D\(i),1.5\n" }
        csv += "1.1,OPX,D\"X,2\n"
        let reader = CSVReader(bytes: Array(csv.utf8), name: "broken.csv")
        var expected: CSVError?
        do {
            var direct = try ExposureCSVSource(reader: CSVReader(bytes: Array(csv.utf8), name: "broken.csv"))
            while try direct.next() != nil {}
        } catch { expected = error }
        let unwrapped = try #require(expected)
        #expect(unwrapped.line == 9_002)

        var source = PrefetchedSource(try ExposureCSVSource(reader: reader), batchSize: 1000)
        let error = #expect(throws: CSVError.self) {
            _ = try store.importExposures(from: &source, pendingFileHash: PendingValue { "broken" })
        }
        #expect(error.map { "\($0)" } == "\(unwrapped)" && error?.line == 9_002)
        #expect(try dump(store) == before)
    }

    @Test func aFailedHashFailsTheImport() throws {
        let store = try sampleStore()
        let before = try dump(store)
        var source = PrefetchedSource(ArraySource("e.csv", records: manyExposures(100)))
        #expect(throws: HashFailure()) {
            _ = try store.importExposures(from: &source, pendingFileHash: PendingValue { throw HashFailure() })
        }
        #expect(try dump(store) == before)
    }

    @Test func theSameFileTwiceInOneBatchIsImportedOnce() throws {
        let store = try sampleStore()
        var a = PrefetchedSource(ArraySource("x.csv", records: manyExposures(300)))
        var b = PrefetchedSource(ArraySource("x.csv", records: manyExposures(300)))
        let (first, second) = try store.importBatch { batch in
            (try batch.importExposures(from: &a, pendingFileHash: PendingValue { "x" }),
             try batch.importExposures(from: &b, pendingFileHash: PendingValue { "x" }))
        }
        #expect(first.imported == 300 && !first.alreadyImported)
        #expect(second.alreadyImported && second.read == 0)
    }
}
