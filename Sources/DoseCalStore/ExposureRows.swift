import DoseCalDomain

/// Exposures stored compactly: the text fields of every row in one byte buffer, the numbers
/// in one array, no `String` per field.
///
/// The reading thread of an import (``PrefetchedExposures``) builds these from the source's
/// records; the SQLite thread binds the text straight from the buffer and builds an
/// ``DoseCalDomain/Exposure`` again only for a row that needs one (a stored key to compare, an
/// unknown study). A batch of rows is then a handful of arrays, allocated and retained once
/// per batch instead of once per field: on the thread that frees it, no `String` to release
/// and no heap block from another thread's arena per row.
///
/// Only records whose numbers are all finite are stored (a NaN marks an absent optional reading).
struct ExposureRows: PendingRows, Sendable {
    /// The UTF-8 bytes of `study_uid`, `operator_id`, `dosimeter_id` of row 0, then row 1, …
    private(set) var bytes: [UInt8] = []
    /// Where each text field ends in ``bytes`` (bytes from its start), three per row; a field
    /// starts where the one before it ends.
    private var textEnds: [Int] = []
    /// Hp(10), Hp(10) fluoroscopy, Hp(10) acquisition (µSv), three per row; NaN for an absent reading.
    private var doses: [Double] = []
    /// Each row's role: 0 for none, else 1 + its place in `first, second, other`.
    private var roles: [UInt8] = []
    /// Each row's file line.
    private var lines: [Int] = []

    init() {}

    /// Room for `capacity` rows of about 64 bytes of text each.
    init(capacity: Int) {
        bytes.reserveCapacity(capacity * 64)
        textEnds.reserveCapacity(capacity * 3)
        doses.reserveCapacity(capacity * 3)
        roles.reserveCapacity(capacity)
        lines.reserveCapacity(capacity)
    }

    var count: Int { lines.count }

    /// Appends a record.
    /// - Precondition: its numbers are all finite (``ExposureKind/isFinite(_:)``).
    mutating func append(_ e: Exposure, line: Int) {
        precondition(ExposureKind.isFinite(e), "compact exposure rows hold finite numbers only")
        bytes.append(contentsOf: e.studyUID.utf8)
        textEnds.append(bytes.count)
        bytes.append(contentsOf: e.operatorID.utf8)
        textEnds.append(bytes.count)
        bytes.append(contentsOf: e.dosimeterID.utf8)
        textEnds.append(bytes.count)
        doses.append(e.hp10MicroSv)
        doses.append(e.hp10FluoroMicroSv ?? .nan)
        doses.append(e.hp10AcqMicroSv ?? .nan)
        roles.append(Self.code(e.role))
        lines.append(line)
    }

    /// Appends row `row` of `other`: a copy of its bytes and numbers.
    mutating func append(_ other: ExposureRows, row: Int) {
        let start = other.textStart(row)
        let shift = bytes.count - start
        bytes.append(contentsOf: other.bytes[start..<other.textEnds[3 * row + 2]])
        for field in 0..<3 { textEnds.append(other.textEnds[3 * row + field] + shift) }
        for field in 0..<3 { doses.append(other.doses[3 * row + field]) }
        roles.append(other.roles[row])
        lines.append(other.lines[row])
    }

    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        textEnds.removeAll(keepingCapacity: true)
        doses.removeAll(keepingCapacity: true)
        roles.removeAll(keepingCapacity: true)
        lines.removeAll(keepingCapacity: true)
    }

    func record(_ row: Int) -> Exposure {
        let start = textStart(row)
        let ends = (textEnds[3 * row], textEnds[3 * row + 1], textEnds[3 * row + 2])
        func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        func optional(_ x: Double) -> Double? { x.isNaN ? nil : x }
        return Exposure(
            studyUID: text(start..<ends.0), operatorID: text(ends.0..<ends.1), dosimeterID: text(ends.1..<ends.2),
            role: Self.role(roles[row]), hp10MicroSv: doses[3 * row],
            hp10FluoroMicroSv: optional(doses[3 * row + 1]), hp10AcqMicroSv: optional(doses[3 * row + 2]))
    }

    func line(_ row: Int) -> Int { lines[row] }

    /// Where row `row`'s first text field starts in ``bytes``.
    func textStart(_ row: Int) -> Int { row == 0 ? 0 : textEnds[3 * row - 1] }

    /// Row `row`'s text field `field` (0 `study_uid`, 1 `operator_id`, 2 `dosimeter_id`): where
    /// it lies in the byte buffer.
    func textRange(_ row: Int, _ field: Int) -> Range<Int> {
        let index = 3 * row + field
        return (index == 0 ? 0 : textEnds[index - 1])..<textEnds[index]
    }

    /// Row `row`'s dose `field` (0 Hp(10), 1 fluoroscopy, 2 acquisition), `nil` when absent.
    func dose(_ row: Int, _ field: Int) -> Double? {
        let x = doses[3 * row + field]
        return x.isNaN ? nil : x
    }

    /// Row `row`'s role as stored (`first`, `second`, `other`) or `nil`.
    func roleName(_ row: Int) -> String? { Self.role(roles[row])?.rawValue }

    private static func code(_ role: OperatorRole?) -> UInt8 {
        switch role {
        case nil: 0
        case .first: 1
        case .second: 2
        case .other: 3
        }
    }

    private static func role(_ code: UInt8) -> OperatorRole? {
        switch code {
        case 1: .first
        case 2: .second
        case 3: .other
        default: nil
        }
    }
}
