/// Up to eight column positions held inline (no array buffer): copied into each row's check
/// without touching a reference count that both scanning threads would share.
struct ColumnList: Sequence {
    private var slots: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
    let count: Int

    /// The first eight of `columns`.
    init(_ columns: [Int]) {
        count = Swift.min(columns.count, 8)
        withUnsafeMutableBytes(of: &slots) { raw in
            for (k, c) in columns.prefix(8).enumerated() { raw.storeBytes(of: c, toByteOffset: k * MemoryLayout<Int>.stride, as: Int.self) }
        }
    }

    @inline(__always)
    subscript(k: Int) -> Int {
        switch k {
        case 0: slots.0
        case 1: slots.1
        case 2: slots.2
        case 3: slots.3
        case 4: slots.4
        case 5: slots.5
        case 6: slots.6
        default: slots.7
        }
    }

    struct Iterator: IteratorProtocol {
        let list: ColumnList
        var position = 0

        @inline(__always)
        mutating func next() -> Int? {
            guard position < list.count else { return nil }
            defer { position += 1 }
            return list[position]
        }
    }

    @inline(__always)
    func makeIterator() -> Iterator { Iterator(list: self) }
}
