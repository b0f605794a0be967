import DoseCalCSV
import DoseCalDomain

/// What the join keeps of one procedures row that carries a `study_uid` (valid or not), in 24
/// bytes: the key's 64-bit digest, a packed word (21 bits of the digest's check, the
/// claimer and valid flags, the day, the interned specialty and procedure type), and KAP and
/// the reference reading as ``ValueCode``s.
///
/// The packed word, from the low bits: procedure type (16 bits), specialty (8), day number
/// (17: days since 1970-01-01, which covers `CivilDate.acceptedYears`), valid (1), claimer (1),
/// check (21).
struct ProcedureRow {
    var key: UInt64
    private var packed: UInt64
    /// Total KAP, Gy·cm², coded (``ValueCode``).
    var kapCode: UInt32
    /// Reference dosimeter Hp(10), µSv, coded.
    var refCode: UInt32

    static let checkMask: UInt32 = (1 << 21) - 1
    /// The largest day number and specialty id a row can hold.
    static let maximumDay = (1 << 17) - 1
    static let maximumSpecialty = Int(UInt8.max)

    /// A row for `digest`: a claimer, not yet valid, KAP and reference unknown.
    init(digest: KeyDigest) {
        key = digest.key
        packed = UInt64(digest.check & Self.checkMask) << 43 | 1 << 42
        kapCode = ValueCode.unknown
        refCode = ValueCode.unknown
    }

    @inline(__always)
    private func bits(_ shift: UInt64, _ width: UInt64) -> UInt64 { (packed >> shift) & ((1 << width) - 1) }

    @inline(__always)
    private mutating func setBits(_ shift: UInt64, _ width: UInt64, _ value: UInt64) {
        let mask: UInt64 = ((1 << width) - 1) << shift
        packed = (packed & ~mask) | ((value << shift) & mask)
    }

    var procedureType: UInt16 {
        get { UInt16(bits(0, 16)) }
        set { setBits(0, 16, UInt64(newValue)) }
    }

    var specialty: UInt8 {
        get { UInt8(bits(16, 8)) }
        set { setBits(16, 8, UInt64(newValue)) }
    }

    /// Days since 1970-01-01 (0 ... ``maximumDay``).
    var day: Int32 {
        get { Int32(bits(24, 17)) }
        set { setBits(24, 17, UInt64(newValue)) }
    }

    /// Usable for the join: the row passed every check (cleared at merge time for duplicates).
    var valid: Bool {
        get { bits(41, 1) == 1 }
        set { setBits(41, 1, newValue ? 1 : 0) }
    }

    /// The row claimed its key (cleared at merge time for a later row with the same key).
    var claimer: Bool {
        get { bits(42, 1) == 1 }
        set { setBits(42, 1, newValue ? 1 : 0) }
    }

    /// The 21 bits of the digest's check that the row keeps.
    var check: UInt32 { UInt32(truncatingIfNeeded: packed >> 43) }

    /// Whether the row's key is `digest` (64-bit key and 21 bits of check).
    @inline(__always)
    func matches(_ digest: KeyDigest) -> Bool { key == digest.key && check == digest.check & Self.checkMask }

    /// Whether the row claimed the key of `digest` (``matches(_:)`` and ``claimer``), as one
    /// comparison of words.
    @inline(__always)
    func claimed(_ digest: KeyDigest) -> Bool {
        let expected = UInt64(digest.check & Self.checkMask) << 43 | 1 << 42
        return (key ^ digest.key) | ((packed ^ expected) & (~UInt64(0) << 42)) == 0
    }
}

/// Column positions of a procedures file, from its header.
struct ProcedureColumns {
    let count: Int
    let uid, started, room, specialty, procedureType, kap: Int
    let optionalNumbers: ColumnList
    let ref: Int?

    init(header: [String]) {
        func index(_ name: String) -> Int? { header.firstIndex(of: name) }
        count = header.count
        uid = index("study_uid")!
        started = index("started_at")!
        room = index("room")!
        specialty = index("specialty")!
        procedureType = index("procedure_type")!
        kap = index("kap_gycm2")!
        ref = index("ref_dosimeter_usv")
        // The reference reading is checked with its value (it is kept); the others only checked.
        optionalNumbers = ColumnList(["kap_fluoro_gycm2", "kap_acq_gycm2", "fluoro_time_s", "ka_rp_mgy"].compactMap(index))
    }

    /// Whether a record claims a key: the header's field count and a `study_uid` that is not
    /// blank. Such records are the rows of the join, numbered in file order (their ordinal).
    func claims(_ s: RecordScanner) -> Bool { s.fieldCount == count && !isBlank(s.bytes(of: uid)) }
}

/// The mutable state of pass 1 over one byte range, kept in a value so the hot loop works on
/// a local variable.
struct ProcedureScan {
    let columns: ProcedureColumns
    /// The file's record source: a row the fast checks do not accept outright is replayed
    /// through it (``ProcedureCSVSource/outcome(ofRecord:line:)``), which decides.
    let source: ProcedureCSVSource
    /// How many rejections the part keeps whole (claimed and unclaimed together, in row
    /// order). The later ones come after the first `listLimit` of the file, where a report
    /// only counts them: they keep their rule (``laterClaimed``, ``laterUnclaimed``).
    let listLimit: Int

    var rows: [ProcedureRow] = []
    /// The KAP and reference values that have no compact code, by the index in their code.
    var wide: [Double] = []
    /// Rejections of rows that claim a key, by row index (emitted only if the claim succeeds).
    var claimedRejections: [Int: RowRejection] = [:]
    /// Rejections of rows that claim no key, with the number of rows before them.
    var unclaimedRejections: [(before: Int, rejection: RowRejection)] = []
    /// The rules of the claiming rows' rejections past ``listLimit``, by row index.
    var laterClaimed: [(row: Int, rule: RejectionRule)] = []
    /// The rules of the other rejections past ``listLimit``, counted.
    var laterUnclaimed: [RejectionRule: Int] = [:]
    private var listIsFull: Bool { claimedRejections.count + unclaimedRejections.count >= listLimit }
    var specialties = ByteInterner()
    var types = ByteInterner()
    /// Specialties and procedure types written with doubled quotes, by their bytes as written.
    var escapedSpecialties = EscapedNames()
    var escapedTypes = EscapedNames()

    struct Fallback: Error {}

    mutating func row(_ s: RecordScanner) throws {
        let c = columns
        let line = s.relativeLine
        guard s.fieldCount == c.count else { return try replayRow(s, line: line) }
        let uid = s.bytes(of: c.uid)
        if isBlank(uid) { return try replayRow(s, line: line) }
        var row = ProcedureRow(digest: keyDigest(uid))
        fast: do {
            let ascii = s.recordIsASCII
            guard isGoodText(uid, ascii: ascii), let day = fastTimestampDay(s.bytes(of: c.started), padded: true), day >= 0,
                  day <= ProcedureRow.maximumDay, isGoodText(s.bytes(of: c.room), ascii: ascii) else { break fast }
            let spec = s.writtenBytes(of: c.specialty), type = s.writtenBytes(of: c.procedureType)
            guard isGoodText(spec.bytes, ascii: ascii), isGoodText(type.bytes, ascii: ascii) else { break fast }
            guard let kap = try valueCode(s.bytes(of: c.kap)) else { break fast }
            row.kapCode = kap
            for i in c.optionalNumbers {
                guard isAcceptableNumber(s.bytes(of: i), padded: true) else { break fast }
            }
            if let r = c.ref {
                guard let ref = try valueCode(s.bytes(of: r)) else { break fast }
                row.refCode = ref
            }
            row.day = Int32(day)
            row.specialty = try Self.specialtyID(spec.escaped ? escapedSpecialties.id(ofField: c.specialty, in: s, into: &specialties)
                                                              : specialties.id(of: spec.bytes))
            row.procedureType = try Self.typeID(type.escaped ? escapedTypes.id(ofField: c.procedureType, in: s, into: &types)
                                                             : types.id(of: type.bytes))
            row.valid = true
            rows.append(row)
            return
        }
        // Not accepted outright: the record source decides.
        let outcome: RowOutcome<Procedure>?
        do { outcome = try source.outcome(ofRecord: s.rawRecord, line: line) } catch { throw Fallback() }
        switch outcome {
        case let .record(p, _)?:
            guard p.date.dayNumber >= 0, p.date.dayNumber <= ProcedureRow.maximumDay else { throw Fallback() }
            row.day = Int32(p.date.dayNumber)
            row.specialty = try Self.specialtyID(specialties.id(of: p.specialty))
            row.procedureType = try Self.typeID(types.id(of: p.procedureType))
            if let kap = p.kapGyCm2 { row.kapCode = try wideCode(kap) }
            if let ref = p.refDosimeterMicroSv { row.refCode = try wideCode(ref) }
            row.valid = true
        case let .rejected(r)?:
            if listIsFull { laterClaimed.append((rows.count, r.rule)) } else { claimedRejections[rows.count] = r }
        case nil:
            throw Fallback()
        }
        rows.append(row)
    }

    /// The code of a KAP or reference field (a field of the record scanner, with its slack),
    /// or `nil` when the record source would reject it.
    @inline(__always)
    private mutating func valueCode(_ bytes: UnsafeRawBufferPointer) throws -> UInt32? {
        if let code = ValueCode.compact(bytes, padded: true) { return code }
        switch numberField(bytes) {
        case .bad: return nil
        case .absent: return ValueCode.unknown
        case let .value(v): return try wideCode(v)
        }
    }

    private mutating func wideCode(_ value: Double) throws -> UInt32 {
        guard wide.count < ValueCode.wideLimit else { throw Fallback() }
        wide.append(value)
        return ValueCode.wideFlag | UInt32(wide.count - 1)
    }

    private mutating func replayRow(_ s: RecordScanner, line: Int) throws {
        let outcome: RowOutcome<Procedure>?
        do { outcome = try source.outcome(ofRecord: s.rawRecord, line: line) } catch { throw Fallback() }
        guard case let .rejected(r)? = outcome else { throw Fallback() }
        if listIsFull { laterUnclaimed[r.rule, default: 0] += 1 } else { unclaimedRejections.append((rows.count, r)) }
    }

    private static func specialtyID(_ id: Int) throws -> UInt8 {
        guard id <= ProcedureRow.maximumSpecialty else { throw Fallback() }
        return UInt8(id)
    }

    private static func typeID(_ id: Int) throws -> UInt16 {
        guard id < Int(UInt16.max) else { throw Fallback() }
        return UInt16(id)
    }

    /// Shifts the part's lines by `base` line feeds and maps its interned ids to global ones.
    mutating func finish(lineBase base: Int, specialtyMap: [UInt8], typeMap: [UInt16]) {
        remapIDs(&rows, specialtyMap: specialtyMap, typeMap: typeMap)
        for (k, r) in claimedRejections { claimedRejections[k] = shifted(r, base) }
        for k in unclaimedRejections.indices { unclaimedRejections[k].rejection = shifted(unclaimedRejections[k].rejection, base) }
    }
}

/// The ids of the names a part read written with doubled quotes (`"PCI, multivessel ""complex"""`),
/// keyed by their bytes as written: the quotes of each distinct name are collapsed once, when
/// it is first seen, not on every row.
struct EscapedNames {
    private var written = ByteInterner()
    private var ids: [Int] = []

    /// The id in `names` of field `index` of the scanner's record.
    @inline(__always)
    mutating func id(ofField index: Int, in s: RecordScanner, into names: inout ByteInterner) -> Int {
        let k = written.id(of: s.writtenBytes(of: index).bytes)
        if k == ids.count { ids.append(names.id(of: s.bytes(of: index))) }
        return ids[k]
    }
}

/// Pass 1 over one byte range of procedures.csv: every row checked as `ProcedureCSVSource`
/// checks it; the rows that carry a `study_uid` kept in compact form for the join. Keys are
/// claimed later, in file order, when the parts are merged (``ProcedureIndex``).
final class ProcedurePart: @unchecked Sendable {
    let path: String
    let begin: Int
    let stop: Int
    /// The scan's state; read once ``run()`` has returned.
    var scan: ProcedureScan
    /// Where the scan stopped (the next part must start there) and the line feeds it consumed.
    private(set) var endOffset = 0
    private(set) var lineFeeds = 0
    /// Where a rescan for duplicates' rows can start: the range's start and every
    /// `blockRecords`-th record's.
    private(set) var blocks: [ContentRescan.Block] = []
    /// The part cannot be decided here (malformed CSV, invalid UTF-8, too many distinct values):
    /// the engine falls back to the reference reader.
    private(set) var failed = false

    private let blockRecords: Int

    /// `blockRecords`: records between two of the rescan's ``blocks``; `listLimit`: rejections
    /// kept whole (``ProcedureScan/listLimit``).
    init(path: String, begin: Int, stop: Int, columns: ProcedureColumns, source: ProcedureCSVSource, blockRecords: Int = 1024,
         listLimit: Int = RejectedRows.defaultLimit) {
        self.path = path
        self.begin = begin
        self.stop = stop
        self.blockRecords = blockRecords
        scan = ProcedureScan(columns: columns, source: source, listLimit: listLimit)
    }

    func run() {
        var work = scan
        // A row takes at least ~40 bytes of CSV: reserving address space avoids regrowth copies
        // (pages are touched only as rows arrive).
        if let size = fileSize(path: path) { work.rows.reserveCapacity(max(0, min(stop, size) - begin) / 40) }
        var blocks = [ContentRescan.Block(offset: begin, lineBase: 0, ordinal: 0)]
        let scanned = RecordScanner.scan(path: path, from: begin, stopAt: stop, markEvery: blockRecords, mark: { s in
            blocks.append(ContentRescan.Block(offset: s.recordOffset, lineBase: s.relativeLine - 1, ordinal: work.rows.count))
        }) { try work.row($0) }
        scan = work
        self.blocks = blocks
        guard let scanned else {
            failed = true
            return
        }
        (endOffset, lineFeeds) = scanned
    }

    /// Hands the rows and their wide values over (for the index) and drops the part's
    /// references to them.
    func takeRows() -> (rows: [ProcedureRow], wide: [Double]) {
        defer {
            scan.rows = []
            scan.wide = []
        }
        return (scan.rows, scan.wide)
    }
}

func shifted(_ r: RowRejection, _ base: Int) -> RowRejection {
    var r = r
    if let line = r.location.line { r.location.line = line + base }
    return r
}
