import DoseCalDomain
import Foundation
import Synchronization

/// A ``DoseCalDomain/RecordSource`` read ahead on its own thread: the wrapped source (a CSV
/// reader, say) parses and decodes rows into batches while the caller, typically an import
/// inserting into SQLite, works on earlier ones.
///
/// At most `depth` batches of `batchSize` rows wait between the two threads, so memory is
/// bounded whatever the file's size: `(depth + 2) × batchSize` decoded rows at most (the queued
/// batches, the one being read out and the one being filled). Rows, rejections
/// and the wrapped source's error come out exactly as the source would hand them out, in the
/// same order: an error thrown by the source on its thread is thrown by ``next()`` after the
/// rows before it.
///
/// When the last copy of the prefetched source is released (an import that stopped early, for
/// instance), the reading thread stops at its next batch.
public struct PrefetchedSource<Record: Sendable>: RecordSource {
    /// The wrapped source's name.
    public let sourceName: String
    /// Where the rows handed out so far end in the input (bytes, as the `position` function
    /// given to `init` measures it), readable from any thread, for progress.
    public let position: ProgressCounter
    private let consumer: Consumer
    private var batch: [RowOutcome<Record>] = []
    private var index = 0
    private var ended = false

    /// Rows per batch by default: big enough that handing a batch over costs nothing per row,
    /// small enough that `depth` batches stay a few megabytes.
    public static var defaultBatchSize: Int { 4096 }

    /// Starts reading `source` on a new thread.
    /// - Parameters:
    ///   - source: the source, handed over to the reading thread (not used by the caller again).
    ///   - batchSize: rows per batch (≥ 1).
    ///   - depth: batches read ahead at most (≥ 1).
    ///   - position: measures, on the reading thread, how far the source has read (e.g. bytes),
    ///     after each batch; ``position`` reports it.
    public init<S: RecordSource<Record> & SendableMetatype>(
        _ source: sending S, batchSize: Int = PrefetchedSource.defaultBatchSize, depth: Int = 4,
        position measure: (@Sendable (borrowing S) -> Int)? = nil
    ) {
        precondition(batchSize >= 1 && depth >= 1)
        sourceName = source.sourceName
        let channel = BatchChannel<[RowOutcome<Record>]>(depth: depth)
        position = ProgressCounter()
        consumer = Consumer(channel)
        let owned = Owned(source)
        let thread = Thread {
            owned.source.withLock { source in
                var rows: [RowOutcome<Record>] = []
                rows.reserveCapacity(batchSize)
                do {
                    while let row = try source.next() {
                        rows.append(row)
                        if rows.count == batchSize {
                            guard channel.send(.rows(rows, position: measure?(source) ?? 0)) else { return }
                            rows.removeAll(keepingCapacity: true)
                        }
                    }
                    if !rows.isEmpty { guard channel.send(.rows(rows, position: measure?(source) ?? 0)) else { return } }
                    _ = channel.send(.end)
                } catch {
                    if !rows.isEmpty { guard channel.send(.rows(rows, position: measure?(source) ?? 0)) else { return } }
                    _ = channel.send(.failure(error))
                }
            }
        }
        thread.start()
    }

    /// The next row, in the wrapped source's order; `nil` at the end.
    /// - Throws: what the wrapped source threw, after the rows it returned before.
    public mutating func next() throws -> RowOutcome<Record>? {
        if index == batch.count {
            if ended { return nil }
            batch = [] // released before the next is taken: `depth + 2` batches alive at most
            index = 0
            switch consumer.channel.receive() {
            case let .rows(rows, position: bytes):
                batch = rows
                position.value = bytes
            case .end:
                ended = true
                return nil
            case let .failure(error):
                ended = true
                throw error
            }
        }
        defer { index += 1 }
        return batch[index]
    }

    /// The wrapped source, owned by the reading thread (moved in with `sending`, locked there for
    /// the whole read; nobody else takes the lock).
    private final class Owned<S>: Sendable {
        let source: Mutex<S>
        init(_ source: sending S) { self.source = Mutex(source) }
    }

    /// Closes the channel when the last copy of the source is released.
    private final class Consumer: Sendable {
        let channel: BatchChannel<[RowOutcome<Record>]>
        init(_ channel: BatchChannel<[RowOutcome<Record>]>) { self.channel = channel }
        deinit { channel.close() }
    }
}

/// A count or position written on one thread and read on others (progress).
public final class ProgressCounter: Sendable {
    private let atomic = Atomic<Int>(0)
    public init() {}
    /// The latest value stored.
    public var value: Int {
        get { atomic.load(ordering: .relaxed) }
        set { atomic.store(newValue, ordering: .relaxed) }
    }
}
