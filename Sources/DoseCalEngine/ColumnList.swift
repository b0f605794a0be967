/// A set of column positions held inline (no array buffer): copied into each row's check
/// without touching a reference count that both scanning threads would share.
///
/// Positions below 64 are bits of one word, visited lowest first by clearing the lowest set bit
/// (no jump table a position, which the row loops paid for on every field they checked); the
/// rare positions from 64 on (a header that wide) follow, up to eight of them, in the order
/// given. The positions are a set: callers must not depend on the order.
struct ColumnList: Sequence {
    private let near: UInt64
    private var far: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
    private let farCount: Int

    /// The distinct positions of `columns` (non-negative; of those from 64 on, the first eight).
    init(_ columns: [Int]) {
        var near: UInt64 = 0
        var far: [Int] = []
        for c in columns {
            precondition(c >= 0, "a column position is not negative")
            if c < 64 {
                near |= 1 << UInt64(c)
            } else if !far.contains(c) {
                far.append(c)
            }
        }
        self.near = near
        farCount = Swift.min(far.count, 8)
        withUnsafeMutableBytes(of: &self.far) { raw in
            for (k, c) in far.prefix(8).enumerated() { raw.storeBytes(of: c, toByteOffset: k * MemoryLayout<Int>.stride, as: Int.self) }
        }
    }

    /// How many positions the list holds.
    var count: Int { near.nonzeroBitCount + farCount }

    private func far(_ k: Int) -> Int {
        withUnsafeBytes(of: far) { $0.load(fromByteOffset: k * MemoryLayout<Int>.stride, as: Int.self) }
    }

    struct Iterator: IteratorProtocol {
        let list: ColumnList
        var bits: UInt64
        var farPosition = 0

        @inline(__always)
        mutating func next() -> Int? {
            if bits != 0 {
                let position = bits.trailingZeroBitCount
                bits &= bits &- 1
                return position
            }
            guard farPosition < list.farCount else { return nil }
            defer { farPosition += 1 }
            return list.far(farPosition)
        }
    }

    @inline(__always)
    func makeIterator() -> Iterator { Iterator(list: self, bits: near) }
}
