import Dispatch
import Foundation
import Synchronization

/// A value computed on its own thread while the caller goes on, such as the SHA-256 of a file
/// being imported (see ``ImportSession/importExposures(from:pendingFileHash:strict:progress:)``).
///
/// The thread starts in `init`; ``isReady`` asks without waiting, ``value()`` waits. Both may be
/// called from any thread, any number of times.
///
/// - Note: `Mutex` needs macOS 15 on Darwin.
public final class PendingValue<Value: Sendable>: Sendable {
    private let result = Mutex<Result<Value, any Error>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    /// Starts `body` on a new thread.
    /// - Parameter body: the computation; what it throws is thrown by ``value()``.
    public init(computing body: @escaping @Sendable () throws -> Value) {
        let thread = Thread { [self] in
            let outcome = Result { try body() }
            self.result.withLock { $0 = outcome }
            self.done.signal()
        }
        thread.start()
    }

    /// Whether the computation has finished (its value or its error is in).
    public var isReady: Bool { result.withLock { $0 != nil } }

    /// The value, waiting for the thread if it has not finished.
    /// - Throws: what the computation threw.
    public func value() throws -> Value {
        if let outcome = result.withLock({ $0 }) { return try outcome.get() }
        done.wait()
        done.signal() // a later call, on any thread, returns at once
        guard let outcome = result.withLock({ $0 }) else { preconditionFailure("signalled before the result was set") }
        return try outcome.get()
    }
}
