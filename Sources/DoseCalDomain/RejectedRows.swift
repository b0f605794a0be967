/// Rejected rows as a report keeps them: every one counted, in all and per rule, and the first
/// ``limit`` kept whole (where, which rule, the sentence), so that a run over a bad
/// 10-million-row file does not hold 10 million sentences.
///
/// Rows are added in file order; the listed ones are the first ones.
///
/// - Complexity: O(1) memory per listed row; O(rules) for the others.
public struct RejectedRows: Sendable, Hashable {
    /// How many rejected rows a report keeps whole unless told otherwise.
    public static let defaultLimit = 10_000

    /// How many rejected rows ``listed`` keeps.
    public let limit: Int
    /// The first ``limit`` rejected rows, in the order they were added.
    public private(set) var listed: [RowRejection] = []
    /// Rows rejected, all of them.
    public private(set) var count = 0
    /// Rows rejected per rule, all of them.
    public private(set) var byRule: [RejectionRule: Int] = [:]

    /// - Parameter limit: how many rejected rows to keep whole (at least 0).
    public init(limit: Int = RejectedRows.defaultLimit) {
        self.limit = max(0, limit)
    }

    /// No row was rejected.
    public var isEmpty: Bool { count == 0 }

    /// Later rows are only counted: ``listed`` holds ``limit`` rows.
    public var isFull: Bool { listed.count >= limit }

    /// Counts a rejected row, keeping it whole while fewer than ``limit`` are kept.
    /// - Complexity: amortized O(1).
    public mutating func append(_ rejection: RowRejection) {
        count += 1
        byRule[rejection.rule, default: 0] += 1
        if !isFull { listed.append(rejection) }
    }

    /// Counts `n` rejected rows of `rule` that come after the listed ones (their sentences
    /// were never needed). Call it only once the list is full, so that the listed rows stay
    /// the first ones.
    public mutating func count(_ rule: RejectionRule, times n: Int = 1) {
        precondition(isFull, "rows counted without being listed must come after the listed ones")
        guard n > 0 else { return }
        count += n
        byRule[rule, default: 0] += n
    }

    /// Adds `other`'s rows after this list's: its listed rows as while room remains, the
    /// rest counted.
    /// - Complexity: O(`other.listed.count` + rules).
    public mutating func append(contentsOf other: RejectedRows) {
        var unlisted = other.byRule
        for r in other.listed {
            append(r)
            unlisted[r.rule]! -= 1
        }
        for (rule, n) in unlisted where n > 0 { count(rule, times: n) }
    }

    /// Replaces the listed row at `index` by `rejection`, which has the same rule (a sentence
    /// completed once more of the file was known).
    public mutating func replaceListed(at index: Int, with rejection: RowRejection) {
        precondition(listed[index].rule == rejection.rule, "a listed rejection keeps its rule")
        listed[index] = rejection
    }

    /// Changes every listed row, its rule kept (e.g. to shift its line).
    public mutating func mapListed(_ transform: (RowRejection) -> RowRejection) {
        for i in listed.indices { replaceListed(at: i, with: transform(listed[i])) }
    }
}
