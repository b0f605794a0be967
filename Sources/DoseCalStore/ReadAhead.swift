import DoseCalDomain
import Foundation
import Synchronization

/// Rows gathered on a reading thread and handed over whole to the importing one (see
/// ``BatchChannel``; ``PrefetchedSource`` sends plain arrays of rows, which keeps its generic
/// code free of a wrapper type whose metadata would be looked up per row).
protocol ReadAheadBatch<Record>: Sendable {
    associatedtype Record: Sendable
    /// An empty batch with room for `capacity` rows.
    init(capacity: Int)
    /// Rows appended so far.
    var count: Int { get }
    /// Appends the source's next row.
    mutating func append(_ row: RowOutcome<Record>)
}

/// Starts a thread that reads `source` to its end (or its error) in batches of `batchSize`
/// rows into `channel`, followed by `.end` or `.failure`; it stops early when the consumer
/// closes the channel.
/// - Parameter measure: how far the source has read (e.g. bytes), sent with each batch.
func startReadingAhead<S: RecordSource & SendableMetatype, Batch: ReadAheadBatch>(
    _ source: sending S, into channel: BatchChannel<Batch>, batchSize: Int,
    position measure: (@Sendable (borrowing S) -> Int)?
) where Batch.Record == S.Record {
    let owned = OwnedSource(source)
    let thread = Thread {
        owned.source.withLock { source in
            var rows = Batch(capacity: batchSize)
            do {
                while let row = try source.next() {
                    rows.append(row)
                    if rows.count == batchSize {
                        guard channel.send(.rows(rows, position: measure?(source) ?? 0)) else { return }
                        rows = Batch(capacity: batchSize)
                    }
                }
                if rows.count > 0 { guard channel.send(.rows(rows, position: measure?(source) ?? 0)) else { return } }
                _ = channel.send(.end)
            } catch {
                if rows.count > 0 { guard channel.send(.rows(rows, position: measure?(source) ?? 0)) else { return } }
                _ = channel.send(.failure(error))
            }
        }
    }
    thread.start()
}

/// A source owned by its reading thread (moved in with `sending`, locked there for the whole
/// read; nobody else takes the lock).
private final class OwnedSource<S>: Sendable {
    let source: Mutex<S>
    init(_ source: sending S) { self.source = Mutex(source) }
}

/// Closes a channel when the last copy of the source reading from it is released: the reading
/// thread then stops at its next batch.
final class ChannelConsumer<Batch: Sendable>: Sendable {
    let channel: BatchChannel<Batch>
    init(_ channel: BatchChannel<Batch>) { self.channel = channel }
    deinit { channel.close() }
}
