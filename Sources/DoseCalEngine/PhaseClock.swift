#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall-clock time per engine phase, written to standard error at the end of a run when the
/// environment variable `DOSECAL_ENGINE_TIMING` is set (profiling only; the result is not
/// affected).
struct PhaseClock {
    private let enabled = getenv("DOSECAL_ENGINE_TIMING") != nil
    private var last = PhaseClock.now()
    private var lines: [String] = []

    private static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// Ends the phase `name` (it began when the previous one ended).
    mutating func lap(_ name: String) {
        guard enabled else { return }
        let t = PhaseClock.now()
        lines.append("engine phase \(name): \(Int(((t - last) * 1000).rounded())) ms")
        last = t
    }

    /// Writes the phases to standard error.
    func report() {
        guard enabled else { return }
        let text = lines.joined(separator: "\n") + "\n"
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }
}
