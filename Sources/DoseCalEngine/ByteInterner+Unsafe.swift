// A cache hint for the interner's slots. Unsafe: takes the address of an element.

import _EngineShims

extension ByteInterner {
    /// Hints the cache to load the slot where a lookup of `bytes` starts (no effect on ids), a
    /// few dozen nanoseconds before ``id(of:hash:)`` looks it up, and returns the hash to look
    /// it up with. It counts when there are thousands of strings (a national registry's
    /// operator ids) and the table no longer stays in the first-level cache.
    @inline(__always)
    func prefetch(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let h = internHash(bytes)
        slots.withUnsafeBufferPointer { all in
            dosecal_prefetch_for_read(UnsafeRawPointer(all.baseAddress! + (Int(truncatingIfNeeded: h) & (all.count - 1))))
        }
        return h
    }
}
