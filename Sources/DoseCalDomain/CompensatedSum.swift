/// A running sum with Neumaier's compensation, so that the result hardly depends on the order
/// in which terms arrive: the store path and the streaming file path, which add the same
/// readings in different orders, agree to the last bits in practice.
///
/// Reference: A. Neumaier (1974), "Rundungsfehleranalyse einiger Verfahren zur Summation
/// endlicher Summen", ZAMM 54.
public struct CompensatedSum: Sendable, Hashable {
    @usableFromInline internal var sum = 0.0
    @usableFromInline internal var compensation = 0.0

    @inlinable
    public init() {}

    @inlinable
    public var value: Double { sum + compensation }

    @inlinable
    public mutating func add(_ x: Double) {
        let t = sum + x
        if abs(sum) >= abs(x) {
            compensation += (sum - t) + x
        } else {
            compensation += (x - t) + sum
        }
        sum = t
    }

    public mutating func add(_ other: CompensatedSum) {
        add(other.sum)
        add(other.compensation)
    }

    public static func += (lhs: inout CompensatedSum, rhs: Double) { lhs.add(rhs) }
}
