import DoseCalCSV
import DoseCalDomain

/// What the join keeps of one procedures row that claimed its `study_uid` (valid or not).
struct ProcedureRow {
    var key: UInt64
    var check: UInt32
    /// The row's line (relative to its part until the parts are merged).
    var line: UInt32
    var day: Int32
    var specialty: UInt16
    var procedureType: UInt16
    /// Usable for the join: the row passed every check (set at merge time for duplicates).
    var valid: Bool
    /// The row claimed its key (cleared at merge time for a later row with the same key).
    var claimer = true
    /// Total KAP, Gy·cm²; NaN when unknown.
    var kap: Double
    /// Reference dosimeter Hp(10), µSv; NaN when unknown.
    var ref: Double
}

/// Column positions of a procedures file, from its header.
struct ProcedureColumns {
    let count: Int
    let uid, started, room, specialty, procedureType, kap: Int
    let optionalNumbers: [Int]
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
        optionalNumbers = ["kap_fluoro_gycm2", "kap_acq_gycm2", "fluoro_time_s", "ka_rp_mgy", "ref_dosimeter_usv"].compactMap(index)
        ref = index("ref_dosimeter_usv")
    }
}

/// Pass 1 over one byte range of procedures.csv: every row checked as `ProcedureCSVSource`
/// checks it; the rows that carry a `study_uid` kept in compact form for the join. Keys are
/// claimed later, in file order, when the parts are merged (``ProcedureIndex``).
final class ProcedurePart: @unchecked Sendable {
    let path: String
    let begin: Int
    let stop: Int
    let columns: ProcedureColumns
    let replay: RowReplay

    private(set) var rows: [ProcedureRow] = []
    /// Rejections of rows that claim a key, by row index (emitted only if the claim succeeds).
    private(set) var claimedRejections: [Int: RowRejection] = [:]
    /// Rejections of rows that claim no key, with the number of rows before them.
    private(set) var unclaimedRejections: [(before: Int, rejection: RowRejection)] = []
    private(set) var specialties = ByteInterner()
    private(set) var types = ByteInterner()
    /// Where the scan stopped (the next part must start there) and the line feeds it consumed.
    private(set) var endOffset = 0
    private(set) var lineFeeds = 0
    /// The part cannot be decided here (malformed CSV, invalid UTF-8, too many distinct values):
    /// the engine falls back to the reference reader.
    private(set) var failed = false

    init(path: String, begin: Int, stop: Int, columns: ProcedureColumns, replay: RowReplay) {
        self.path = path
        self.begin = begin
        self.stop = stop
        self.columns = columns
        self.replay = replay
    }

    func run() {
        guard let scanned = RecordScanner.scan(path: path, from: begin, stopAt: stop, row) else {
            failed = true
            return
        }
        (endOffset, lineFeeds) = scanned
    }

    private struct Fallback: Error {}

    private func row(_ s: RecordScanner) throws {
        let c = columns
        let line = s.relativeLine
        guard s.fieldCount == c.count else { return try replayRow(s, line: line, claims: false) }
        let uid = s.bytes(of: c.uid)
        if isBlank(uid) { return try replayRow(s, line: line, claims: false) }
        let digest = keyDigest(uid)
        var row = ProcedureRow(key: digest.key, check: digest.check, line: UInt32(clamping: line), day: 0,
                               specialty: 0, procedureType: 0, valid: false, kap: .nan, ref: .nan)
        fast: do {
            guard isGoodText(uid), let day = fastTimestampDay(s.bytes(of: c.started)),
                  isGoodText(s.bytes(of: c.room)) else { break fast }
            let spec = s.bytes(of: c.specialty), type = s.bytes(of: c.procedureType)
            guard isGoodText(spec), isGoodText(type) else { break fast }
            switch numberField(s.bytes(of: c.kap)) {
            case .bad: break fast
            case let .value(v): row.kap = v
            case .absent: break
            }
            for i in c.optionalNumbers {
                switch numberField(s.bytes(of: i)) {
                case .bad: break fast
                case let .value(v): if i == c.ref { row.ref = v }
                case .absent: break
                }
            }
            row.day = Int32(day)
            row.specialty = try small(specialties.id(of: spec))
            row.procedureType = try small(types.id(of: type))
            row.valid = true
            rows.append(row)
            return
        }
        // Not accepted outright: the record source decides.
        let outcome: RowOutcome<Procedure>?
        do { outcome = try replay.procedure(s.rawRecord, line: line) } catch { throw Fallback() }
        switch outcome {
        case let .record(p, _)?:
            row.day = Int32(p.date.dayNumber)
            row.specialty = try small(specialties.id(of: p.specialty))
            row.procedureType = try small(types.id(of: p.procedureType))
            row.kap = p.kapGyCm2 ?? .nan
            row.ref = p.refDosimeterMicroSv ?? .nan
            row.valid = true
        case let .rejected(r)?:
            claimedRejections[rows.count] = r
        case nil:
            throw Fallback()
        }
        rows.append(row)
    }

    private func replayRow(_ s: RecordScanner, line: Int, claims: Bool) throws {
        let outcome: RowOutcome<Procedure>?
        do { outcome = try replay.procedure(s.rawRecord, line: line) } catch { throw Fallback() }
        guard case let .rejected(r)? = outcome else { throw Fallback() }
        unclaimedRejections.append((rows.count, r))
    }

    private func small(_ id: Int) throws -> UInt16 {
        guard id < Int(UInt16.max) else { throw Fallback() }
        return UInt16(id)
    }

    /// Shifts the part's lines by `base` line feeds and maps its interned ids to global ones.
    func finish(lineBase base: Int, specialtyMap: [UInt16], typeMap: [UInt16]) {
        for i in rows.indices {
            rows[i].line = UInt32(clamping: Int(rows[i].line) + base)
            guard rows[i].valid else { continue }
            rows[i].specialty = specialtyMap[Int(rows[i].specialty)]
            rows[i].procedureType = typeMap[Int(rows[i].procedureType)]
        }
        for (k, r) in claimedRejections { claimedRejections[k] = shifted(r, base) }
        for k in unclaimedRejections.indices { unclaimedRejections[k].rejection = shifted(unclaimedRejections[k].rejection, base) }
    }

    /// Releases the rows once merged.
    func releaseRows() -> [ProcedureRow] {
        defer { rows = [] }
        return rows
    }
}

func shifted(_ r: RowRejection, _ base: Int) -> RowRejection {
    var r = r
    if let line = r.location.line { r.location.line = line + base }
    return r
}

/// The procedures of the file, keyed by `study_uid` digest: the join side of pass 2.
///
/// Rows stay in the (at most two) arrays the parts produced, in file order, addressed by a
/// global index; a table of indices (open addressing, linear probing, at most half full) finds
/// a row by digest. Rows whose key was already claimed stay in the arrays, marked invalid, and
/// are not in the table.
///
/// - Complexity: O(1) expected per lookup; memory about 48 bytes per procedure row plus 4–8
///   bytes of table.
struct ProcedureIndex: Sendable {
    private var first: [ProcedureRow]
    private var second: [ProcedureRow]
    private let split: Int
    private var table: [UInt32]
    private let mask: Int

    init(first: [ProcedureRow], second: [ProcedureRow]) {
        self.first = first
        self.second = second
        split = first.count
        var size = 1024
        while size < (first.count + second.count) * 2 { size *= 2 }
        table = [UInt32](repeating: 0, count: size)
        mask = size - 1
    }

    var count: Int { first.count + second.count }

    @inline(__always)
    func row(_ i: Int) -> ProcedureRow { i < split ? first[i] : second[i - split] }

    enum Claim {
        case claimed
        case duplicate(of: Int)
        case collision
    }

    /// Claims row `index`'s key, in file order: done, the index of the earlier row with the
    /// same key (the row is then marked invalid), or a collision (same 64-bit key, different
    /// check: two different UIDs).
    mutating func claim(_ index: Int) -> Claim {
        let row = self.row(index)
        var i = Int(truncatingIfNeeded: row.key) & mask
        while true {
            let slot = table[i]
            if slot == 0 { break }
            let other = self.row(Int(slot) - 1)
            if other.key == row.key {
                guard other.check == row.check else { return .collision }
                if index < split { first[index].valid = false; first[index].claimer = false } else {
                    second[index - split].valid = false
                    second[index - split].claimer = false
                }
                return .duplicate(of: Int(slot) - 1)
            }
            i = (i + 1) & mask
        }
        table[i] = UInt32(index + 1)
        return .claimed
    }

    /// Whether row `index` claimed its key (a row with the key of an earlier row did not).
    @inline(__always)
    func isClaimer(_ index: Int) -> Bool { row(index).claimer }

    enum Lookup {
        case found(Int)
        case absent
        case collision
    }

    @inline(__always)
    func find(_ digest: KeyDigest) -> Lookup {
        var i = Int(truncatingIfNeeded: digest.key) & mask
        while true {
            let slot = table[i]
            if slot == 0 { return .absent }
            let row = self.row(Int(slot) - 1)
            if row.key == digest.key { return row.check == digest.check ? .found(Int(slot) - 1) : .collision }
            i = (i + 1) & mask
        }
    }
}
