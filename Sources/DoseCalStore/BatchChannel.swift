import Dispatch
import DoseCalDomain
import Synchronization

/// A bounded queue of row batches from one producer thread to one consumer (see
/// ``PrefetchedSource`` and ``PrefetchedExposures``): the producer waits while `depth` messages
/// are queued, the consumer while none is.
final class BatchChannel<Batch: Sendable>: Sendable {
    enum Message: Sendable {
        /// Rows in source order, and the producer's position after them.
        case rows(Batch, position: Int)
        case end
        case failure(any Error)
    }

    private struct State {
        var queue: [Message] = []
        var closed = false
    }

    private let state = Mutex(State())
    /// Free places in the queue.
    private let free: DispatchSemaphore
    /// Messages in the queue.
    private let filled = DispatchSemaphore(value: 0)

    /// - Parameter depth: messages queued at most (≥ 1).
    init(depth: Int) {
        // Created at 0 and raised: libdispatch traps when a semaphore is released below the
        // value it was created with, as this one is when the consumer goes first.
        free = DispatchSemaphore(value: 0)
        for _ in 0..<depth { free.signal() }
    }

    /// Queues `message`, waiting for a free place.
    /// - Returns: `false` when the consumer has gone (``close()``): the producer should stop.
    func send(_ message: sending Message) -> Bool {
        free.wait()
        let open = state.withLock { state -> Bool in
            guard !state.closed else { return false }
            state.queue.append(message)
            return true
        }
        if open { filled.signal() } else { free.signal() }
        return open
    }

    /// The next message, waiting for one.
    func receive() -> Message {
        filled.wait()
        // At most `depth` messages: removing the first moves a handful of references, and a
        // consumed batch is released at once (an index into a queue that never drains would
        // keep every batch of the file).
        let message = state.withLock { $0.queue.removeFirst() }
        free.signal()
        return message
    }

    /// The consumer has gone: queued messages are dropped and a waiting producer wakes up and stops.
    func close() {
        state.withLock { state in
            state.closed = true
            state.queue.removeAll()
        }
        free.signal()
    }
}
