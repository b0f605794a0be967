// Large zero-filled arrays of 32-bit words as anonymous mapped memory: the kernel supplies the
// zeros, and pages that are never written cost no memory.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import _EngineShims

/// `count` 32-bit words, all zero at first, in anonymous mapped memory (unmapped with the last
/// reference). Only the pages written are resident, so a table sized for every procedure costs
/// only what a pass touches. Shared by reference: writers must not overlap (the engine writes
/// one from one thread, or disjoint halves from two).
final class ZeroedWords: @unchecked Sendable {
    let base: UnsafeMutablePointer<UInt32>
    let count: Int
    private let mapped: Bool

    /// - Parameter hugePages: ask for transparent huge pages (fewer TLB misses on random probes).
    init(count: Int, hugePages: Bool = false) {
        self.count = count
        let bytes = max(count, 1) * MemoryLayout<UInt32>.stride
        let address = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        if let address, address != MAP_FAILED {
            if hugePages { _ = madvise(address, bytes, MADV_HUGEPAGE) }
            base = address.bindMemory(to: UInt32.self, capacity: count)
            mapped = true
        } else {
            base = .allocate(capacity: max(count, 1))
            base.initialize(repeating: 0, count: max(count, 1))
            mapped = false
        }
    }

    deinit {
        if mapped { munmap(base, max(count, 1) * MemoryLayout<UInt32>.stride) } else { base.deallocate() }
    }

    /// Hints the cache to load word `i` for writing (no effect on results).
    @inline(__always)
    func prefetchForWrite(_ i: Int) { if i >= 0 && i < count { dosecal_prefetch_for_write(base + i) } }

    @inline(__always)
    subscript(i: Int) -> UInt32 {
        get {
            precondition(i >= 0 && i < count)
            return base[i]
        }
        set {
            precondition(i >= 0 && i < count)
            base[i] = newValue
        }
    }
}
