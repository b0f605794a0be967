// Cache hints for the tally's sums. Unsafe: takes the address of an element.

import DoseCalDomain
import _EngineShims

extension Tally {
    /// Hints the cache to load the sums of (`op`, `type`) (about three cache lines), a few
    /// dozen nanoseconds before a reading is added to them (no effect on results); only for
    /// sums in the flat array.
    @inline(__always)
    func prefetch(operator op: Int, type: Int) {
        guard let i = flatIndex(operator: op, type: type) else { return }
        sums.withUnsafeBufferPointer { all in
            let at = UnsafeRawPointer(all.baseAddress! + i)
            var offset = 0
            while offset < MemoryLayout<DoseAccumulator>.stride {
                dosecal_prefetch_for_write(at + offset)
                offset += 64
            }
        }
    }
}
