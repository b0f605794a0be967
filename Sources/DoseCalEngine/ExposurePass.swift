import DoseCalCSV
import DoseCalDomain

/// Column positions of an exposures file, from its header.
struct ExposureColumns {
    let count: Int
    let uid, operatorID, dosimeter, hp10: Int
    let role: Int?
    let optionalNumbers: ColumnList

    init(header: [String]) {
        func index(_ name: String) -> Int? { header.firstIndex(of: name) }
        count = header.count
        uid = index("study_uid")!
        operatorID = index("operator_id")!
        dosimeter = index("dosimeter_id")!
        hp10 = index("hp10_usv")!
        role = index("role")
        optionalNumbers = ColumnList(["hp10_fluoro_usv", "hp10_acq_usv"].compactMap(index))
    }
}

/// A (`study_uid`, `operator_id`) pair whose study is not among the procedures.
struct UnknownPair: Hashable {
    var uid: KeyDigest
    var operatorID: Int
}

/// A duplicate pair found in pass 2, worded once the first row is known (``ContentRescan``).
struct PendingDuplicate {
    var rejection: Int
    var uid: KeyDigest
    var operatorID: [UInt8]
    var line: Int
    /// The pair's procedure row, -1 when its study is not a procedure.
    var row: Int
}

/// A record of pass 2 checked but not joined yet.
struct PendingExposure {
    enum Fields {
        /// Every field is good: the reading, µSv.
        case accepted(hp10: Double)
        /// The record source rejects a field (applies unless the pair is a duplicate).
        case rejected(RowRejection)
        /// Rejected before its keys were read: no join at all.
        case notJoined(RowRejection)
    }
    var fields: Fields
    var digest: KeyDigest
    var operatorID: Int
    var line: Int
}

/// The mutable state of pass 2 over one byte range, kept in a value so the hot loop works on
/// a local variable.
struct ExposureScan {
    let columns: ExposureColumns
    /// The file's record source: a row the fast checks do not accept outright is replayed
    /// through it (``ExposureCSVSource/outcome(ofRecord:line:)``), which decides.
    let source: ExposureCSVSource
    let index: ProcedureIndex
    let days: ClosedRange<Int32>
    let proceduresName: String

    var operators = ByteInterner()
    var seen: SeenPairs
    var unknownSeen = Set<UnknownPair>()
    /// The part's rejections in file order, the first `listLimit` whole.
    var rejections: RejectedRows
    /// The duplicates among the listed rejections, to be worded once their first rows are known.
    var duplicates: [PendingDuplicate] = []
    var tally: Tally
    /// The row found last and its key: exposures usually come in the procedures' order, so the
    /// same row or the next one is checked before the table (sequential reads instead of cache
    /// misses).
    private var lastFound = 0
    private var lastKey: UInt64 = 0

    struct Fallback: Error {}

    init(columns: ExposureColumns, source: ExposureCSVSource, index: ProcedureIndex, days: ClosedRange<Int32>,
         proceduresName: String, tally: Tally, seen: SeenPairs, listLimit: Int = RejectedRows.defaultLimit) {
        self.columns = columns
        self.rejections = RejectedRows(limit: listLimit)
        self.source = source
        self.index = index
        self.days = days
        self.proceduresName = proceduresName
        self.tally = tally
        self.seen = seen
    }

    /// Records read but not joined yet, oldest first (``batchSize`` of them at most).
    private let pending = PendingRing(capacity: batchSize)
    private var pendingCount: Int { pending.count }
    /// Whether records wait to be joined in batches: `false` while exposures follow the
    /// procedures' order (the same-or-next-row shortcut finds them), `true` once they do not.
    /// A batch is read first and then joined in one tight loop that prefetches table slots,
    /// rows and pair words some records ahead (``joinPending()``): a prefetch of a random
    /// address holds up the core until its page walk is done, and with only the join's work
    /// between them more prefetches are in flight at once than when each waits among a
    /// record's field checks.
    private var batching = false
    /// Records read before a batch is joined.
    static let batchSize = 1024
    /// Shortcut misses in the current window of lookups.
    private var window = 0
    private var misses = 0

    /// The row of `digest`'s study. `known` is the row the shortcut already found for this
    /// record (-1 when none). `hint` is the row a batch's prefetch expects (-1 when none):
    /// checked first, in place of the same-or-next-row shortcut, whose next row a batch has
    /// not prefetched; a lookup the shortcut would have missed still counts.
    @inline(__always)
    private mutating func find(_ digest: KeyDigest, hint: Int = -1, known: Int = -1) -> ProcedureIndex.Lookup {
        window += 1
        if window == 1024 {
            // Join in batches when more than one lookup in 16 missed the shortcut.
            batching = misses > 64
            window = 0
            misses = 0
        }
        if known >= 0 {
            lastFound = known
            lastKey = digest.key
            return .found(known)
        }
        if hint >= 0 {
            if index.row(hint).claimed(digest) {
                misses += hint == lastFound &+ (digest.key == lastKey ? 0 : 1) ? 0 : 1
                lastFound = hint
                lastKey = digest.key
                return .found(hint)
            }
        } else if let r = nextToLast(digest) ?? skippingAhead(digest) {
            lastFound = r
            lastKey = digest.key
            return .found(r)
        }
        misses += 1
        let result = index.find(digest)
        if case let .found(r) = result {
            lastFound = r
            lastKey = digest.key
        }
        return result
    }

    /// The shortcut of ``find(_:)``: the row found last when the key is its key, else the next
    /// row, when that row claimed the key (no lookup counted). The candidate is chosen without
    /// a branch: whether a study has one more reading is a coin toss that a branch predictor
    /// loses about every other row.
    @inline(__always)
    private func nextToLast(_ digest: KeyDigest) -> Int? {
        let candidate = lastFound &+ (digest.key == lastKey ? 0 : 1)
        guard candidate < index.count, index.row(candidate).claimed(digest) else { return nil }
        return candidate
    }

    /// When the shortcut missed: one of the three rows after the next one, when it claimed the
    /// key (procedures without readings between two with readings, in the procedures' order;
    /// the rows are next to those just read, and not a miss for the choice of batches).
    private func skippingAhead(_ digest: KeyDigest) -> Int? {
        let end = min(lastFound &+ 5, index.count)
        var candidate = lastFound &+ 2
        while candidate < end {
            if index.row(candidate).claimed(digest) { return candidate }
            candidate += 1
        }
        return nil
    }

    /// Stage 1 of a record: every check that does not need the procedures. The join (stage 2,
    /// ``join(_:digest:operator:line:uid:)``) runs at once, or with its batch (``joinPending()``).
    mutating func row(_ s: RecordScanner) throws {
        let c = columns
        let line = s.relativeLine
        guard s.fieldCount == c.count else { return try notJoined(s, line) }
        let uid = s.bytes(of: c.uid), op = s.bytes(of: c.operatorID)
        // With thousands of operators the interner's table leaves the first-level cache.
        let opHash = operators.prefetch(op)
        let ascii = s.recordIsASCII
        guard isGoodText(uid, ascii: ascii), isGoodText(op, ascii: ascii) else { return try notJoined(s, line) }
        let digest = keyDigest(uid)
        let opID = operators.id(of: op, hash: opHash)
        guard opID < 1 << 24 else { throw Fallback() }
        let shortcut = batching ? -1 : nextToLast(digest) ?? -1
        if shortcut >= 0 {
            // The sums this reading will most likely go to, loaded while its fields are checked.
            tally.prefetch(operator: opID, type: Int(index.row(shortcut).procedureType))
        }

        fast: do {
            guard isGoodText(s.bytes(of: c.dosimeter), ascii: ascii) else { break fast }
            if let r = c.role, !isGoodRole(s.bytes(of: r)) { break fast }
            guard case let .value(hp10) = joinNumber(s.bytes(of: c.hp10), padded: true) else { break fast }
            for i in c.optionalNumbers {
                guard isAcceptableNumber(s.bytes(of: i), padded: true) else { break fast }
            }
            if !batching && pendingCount == 0 {
                // The common case, joined at once without a `Fields` value.
                if case let .new(procedure) = claim(digest: digest, operator: opID, line: line, known: shortcut) {
                    accept(uid: uid, procedure: procedure, operator: opID, hp10: hp10, line: line)
                }
            } else {
                pending.pushAccepted(hp10: hp10, digest: digest, operatorID: opID, line: line, uid: uid)
                advance()
            }
            return
        }
        // Not accepted outright: the record source decides.
        let outcome: RowOutcome<Exposure>?
        do { outcome = try source.outcome(ofRecord: s.rawRecord, line: line) } catch { throw Fallback() }
        let fields: PendingExposure.Fields
        switch outcome {
        case let .record(e, _)?: fields = .accepted(hp10: e.hp10MicroSv)
        case let .rejected(r)?: fields = .rejected(r)
        case nil: throw Fallback()
        }
        if !batching && pendingCount == 0 {
            join(fields, digest: digest, operator: opID, line: line, uid: uid)
        } else {
            enqueue(PendingExposure(fields: fields, digest: digest, operatorID: opID, line: line), uid: uid)
        }
    }
    /// A record rejected before its keys are read (field count, blank or invalid key): no join.
    private mutating func notJoined(_ s: RecordScanner, _ line: Int) throws {
        let outcome: RowOutcome<Exposure>?
        do { outcome = try source.outcome(ofRecord: s.rawRecord, line: line) } catch { throw Fallback() }
        guard case let .rejected(r)? = outcome else { throw Fallback() }
        if pendingCount == 0 {
            rejections.append(r)
        } else {
            enqueue(PendingExposure(fields: .notJoined(r), digest: KeyDigest(key: 0, check: 0), operatorID: 0, line: line),
                    uid: UnsafeRawBufferPointer(start: nil, count: 0))
        }
    }

    /// Queues a record that is not accepted outright for the join (see ``advance()``).
    private mutating func enqueue(_ record: PendingExposure, uid: UnsafeRawBufferPointer) {
        pending.push(record, uid: uid)
        advance()
    }

    /// Joins the queued records once a batch is full, or at once when the exposures follow
    /// the procedures' order again.
    @inline(__always)
    private mutating func advance() {
        if pending.count >= Self.batchSize || !batching { joinPending() }
    }

    /// Joins every queued record, oldest first, in one loop: the record 16 ahead has its
    /// table slot prefetched, the one 8 ahead reads its slot and has its row and pair word
    /// prefetched (the row is the join's hint, ``find(_:hint:)``), the one 4 ahead reads its
    /// row and has its sums prefetched.
    private mutating func joinPending() {
        let ring = pending
        let count = ring.count
        for k in 0..<min(count, 16) { prefetchSlot(ring, k) }
        for _ in 0..<count {
            prefetchSlot(ring, 16)
            let middle = 8
            if middle < ring.count {
                let e = ring.entry(ofOldest: middle)
                if e.kind != .notJoined, let r = index.prefetchRow(of: e.digest.key) {
                    seen.prefetch(row: r)
                    ring.setRow(r, ofOldest: middle)
                }
            }
            let late = 4
            if late < ring.count {
                let e = ring.entry(ofOldest: late)
                if e.row >= 0 { tally.prefetch(operator: e.operatorID, type: Int(index.row(e.row).procedureType)) }
            }
            joinOldest(ring)
        }
    }

    /// Prefetches the table slot of the `k`-th oldest queued record, if there is one.
    @inline(__always)
    private func prefetchSlot(_ ring: PendingRing, _ k: Int) {
        guard k < ring.count else { return }
        let e = ring.entry(ofOldest: k)
        if e.kind != .notJoined { index.prefetchSlot(of: e.digest.key) }
    }

    /// Joins the oldest queued record.
    @inline(__always)
    private mutating func joinOldest(_ ring: PendingRing) {
        let (e, uid) = ring.popOldest()
        switch e.kind {
        case .accepted:
            if case let .new(procedure) = claim(digest: e.digest, operator: e.operatorID, line: e.line, hint: e.row) {
                accept(uid: uid, procedure: procedure, operator: e.operatorID, hp10: e.hp10, line: e.line)
            }
        case .rejected:
            join(.rejected(ring.takePoppedRejection()), digest: e.digest, operator: e.operatorID, line: e.line, uid: uid, hint: e.row)
        case .notJoined:
            join(.notJoined(ring.takePoppedRejection()), digest: e.digest, operator: e.operatorID, line: e.line, uid: uid)
        }
    }

    /// Joins every queued record (at the end of the part's range).
    mutating func flush() {
        joinPending()
    }

    /// Stage 2 of a record: claim the (study, operator) pair, as the record source does right
    /// after reading both keys; a repeated pair is a duplicate whatever its fields, a new one
    /// is rejected for its fields or added to the sums.
    private mutating func join(_ fields: PendingExposure.Fields, digest: KeyDigest, operator opID: Int, line: Int,
                               uid: UnsafeRawBufferPointer, hint: Int = -1) {
        if case let .notJoined(r) = fields {
            rejections.append(r)
            return
        }
        guard case let .new(procedure) = claim(digest: digest, operator: opID, line: line, hint: hint) else { return }
        switch fields {
        case let .accepted(hp10): accept(uid: uid, procedure: procedure, operator: opID, hp10: hp10, line: line)
        case let .rejected(r): rejections.append(r)
        case .notJoined: break
        }
    }

    /// What claiming a (study, operator) pair found.
    private enum Claim {
        /// The pair is new: its procedure row, or `nil` when the study is not a procedure.
        case new(procedure: Int?)
        /// A duplicate (its rejection is recorded) or a key collision (the part falls back).
        case settled
    }

    /// Claims the pair of a record of file line `line`; records a duplicate or a collision.
    @inline(__always)
    private mutating func claim(digest: KeyDigest, operator opID: Int, line: Int, hint: Int = -1, known: Int = -1) -> Claim {
        var procedure: Int?
        let isNew: Bool
        switch find(digest, hint: hint, known: known) {
        case .collision:
            collided = true
            return .settled
        case let .found(r):
            procedure = r
            isNew = seen.insert(row: r, operator: opID)
            noteRow(r, line: line)
        case .absent:
            isNew = unknownSeen.insert(UnknownPair(uid: digest, operatorID: opID)).inserted
        }
        guard isNew else {
            noteDuplicate(digest: digest, operator: opID, line: line, row: procedure ?? -1)
            return .settled
        }
        return .new(procedure: procedure)
    }

    @inline(never)
    private mutating func noteDuplicate(digest: KeyDigest, operator opID: Int, line: Int, row: Int) {
        guard !rejections.isFull else { return rejections.count(.duplicateInImport) }
        duplicates.append(PendingDuplicate(rejection: rejections.listed.count, uid: digest, operatorID: Array(operators.strings[opID].utf8),
                                           line: line, row: row))
        rejections.append(RowRejection(location: SourceLocation(file: source.sourceName, line: line), rule: .duplicateInImport, reason: ""))
    }

    /// Two study UIDs shared a 64-bit key: the part cannot decide (the engine falls back).
    private(set) var collided = false

    /// The procedure rows the records of each rescan block joined (lowest, highest; `Int.max`,
    /// `Int.min` when none): the blocks closed before the previous one, then the previous
    /// block's and the current one's, which start at relative lines `previousFirstLine` and
    /// `currentFirstLine`. A record is counted in the block it was read in, even when a batch
    /// joins it after the next block began (usually the previous block).
    private var blockRows: [(low: Int, high: Int)] = []
    private var blockFirstLines: [Int] = []
    private var previousFirstLine = Int.min, currentFirstLine = 0
    private var previousRows = (low: Int.max, high: Int.min), currentRows = (low: Int.max, high: Int.min)

    @inline(__always)
    private mutating func noteRow(_ r: Int, line: Int) {
        if line >= currentFirstLine {
            currentRows = (min(currentRows.low, r), max(currentRows.high, r))
        } else if line >= previousFirstLine {
            previousRows = (min(previousRows.low, r), max(previousRows.high, r))
        } else {
            noteRowOfOlderBlock(r, line: line)
        }
    }

    @inline(never)
    private mutating func noteRowOfOlderBlock(_ r: Int, line: Int) {
        let b = blockFirstLines.partitionedIndex { $0 > line } - 1
        blockRows[b] = (min(blockRows[b].low, r), max(blockRows[b].high, r))
    }

    /// Closes the current rescan block; the next one starts with the record on relative line
    /// `line`. The rows of every block, in order, once the last is closed: ``allBlockRows``.
    mutating func closeBlock(nextStartsAt line: Int) {
        if previousFirstLine != Int.min {
            blockRows.append(previousRows)
            blockFirstLines.append(previousFirstLine)
        }
        (previousFirstLine, previousRows) = (currentFirstLine, currentRows)
        (currentFirstLine, currentRows) = (line, (Int.max, Int.min))
    }

    /// Every block's rows, in order (after the last ``closeBlock(nextStartsAt:)``).
    var allBlockRows: [(low: Int, high: Int)] { previousFirstLine == Int.min ? blockRows : blockRows + [previousRows] }

    @inline(__always)
    private mutating func accept(uid: UnsafeRawBufferPointer, procedure: Int?, operator op: Int, hp10: Double, line: Int) {
        guard let procedure, case let p = index.row(procedure), p.valid else {
            guard !rejections.isFull else { return rejections.count(.unknownStudy) }
            let text = String(decoding: uid, as: UTF8.self)
            rejections.append(RowRejection(
                location: SourceLocation(file: source.sourceName, line: line, column: "study_uid", value: text),
                rule: .unknownStudy, reason: "study_uid \(text) is not in \(proceduresName)"))
            return
        }
        guard days.contains(p.day) else { return }
        tally.add(operator: op, type: Int(p.procedureType), specialty: Int(p.specialty), hp10: hp10,
                  kap: index.kap(p, at: procedure), ref: index.ref(p, at: procedure))
    }

    /// Shifts the part's lines by `base` line feeds.
    mutating func finish(lineBase base: Int) {
        rejections.mapListed { shifted($0, base) }
        for i in duplicates.indices { duplicates[i].line += base }
    }
}

/// Pass 2 over one byte range of exposures.csv: every row checked as `ExposureCSVSource` and
/// the direct-file join check it, duplicates of (`study_uid`, `operator_id`) found per
/// procedure, readings of the period tallied.
final class ExposurePart: @unchecked Sendable {
    let path: String
    let begin: Int
    let stop: Int
    let typeNames: [String]
    let specialtyNames: [String]
    /// The scan's state; read once ``run()`` has returned.
    var scan: ExposureScan
    private(set) var endOffset = 0
    private(set) var lineFeeds = 0
    private(set) var failed = false
    /// Where a rescan for duplicates' rows can start (the range's start and every
    /// `blockRecords`-th record's), with the procedure rows each block's records joined.
    private(set) var blocks: [ContentRescan.Block] = []
    private let blockRecords: Int

    /// `pairWords`: the pass's pair words (one per procedure row), shared with the other range;
    /// `partIndex`: this range's place in the file (0 or 1); `blockRecords`: records between
    /// two of the rescan's ``blocks``.
    init(path: String, begin: Int, stop: Int, columns: ExposureColumns, source: ExposureCSVSource, index: ProcedureIndex,
         period: Period, typeNames: [String], specialtyNames: [String], proceduresName: String, feedsBuilder: Bool,
         pairWords: ZeroedWords, partIndex: Int, blockRecords: Int = 1024, listLimit: Int = RejectedRows.defaultLimit,
         typeBreakdown: Bool = true) {
        self.path = path
        self.begin = begin
        self.stop = stop
        self.blockRecords = blockRecords
        self.typeNames = typeNames
        self.specialtyNames = specialtyNames
        scan = ExposureScan(columns: columns, source: source, index: index,
                            days: Int32(period.from.dayNumber)...Int32(period.to.dayNumber), proceduresName: proceduresName,
                            tally: Tally(typeCount: typeNames.count, specialtyCount: specialtyNames.count, feedsBuilder: feedsBuilder,
                                         typeBreakdown: typeBreakdown),
                            seen: SeenPairs(words: pairWords, part: partIndex), listLimit: listLimit)
    }

    func run() {
        var work = scan
        var blocks = [ContentRescan.Block(offset: begin, lineBase: 0)]
        let scanned = RecordScanner.scan(path: path, from: begin, stopAt: stop, markEvery: blockRecords, mark: { s in
            work.closeBlock(nextStartsAt: s.relativeLine)
            blocks.append(ContentRescan.Block(offset: s.recordOffset, lineBase: s.relativeLine - 1))
        }) { try work.row($0) }
        work.flush()
        work.closeBlock(nextStartsAt: .max)
        for (k, rows) in work.allBlockRows.enumerated() where k < blocks.count { (blocks[k].lowRow, blocks[k].highRow) = rows }
        scan = work
        self.blocks = blocks
        guard let scanned, !work.collided else {
            failed = true
            return
        }
        (endOffset, lineFeeds) = scanned
    }

    /// Whether a (procedure, operator) pair occurs in this part and in `later`: its second
    /// row is a duplicate the later part could not see.
    func sharesPairs(with later: ExposurePart) -> Bool {
        let mine = scan.operators
        let myIDs = later.scan.operators.strings.map { name -> Int? in
            var name = name
            return name.withUTF8 { mine.lookup(UnsafeRawBufferPointer($0)) }
        }
        // Only procedure rows both parts saw can hold a shared pair (exposures in the
        // procedures' order: a few rows around the split; out of order: all of them, read
        // in two halves on two threads).
        let low = max(scan.seen.lowest, later.scan.seen.lowest), high = min(scan.seen.highest, later.scan.seen.highest)
        if low <= high, scan.seen.sharesPair(with: later.scan.seen, rows: low..<high + 1, mine: myIDs,
                                             parts: high - low >= 1 << 16 ? 2 : 1) { return true }
        let myNames = mine.strings, theirNames = later.scan.operators.strings
        let unknown = Set(scan.unknownSeen.map { UnknownName(uid: $0.uid, name: myNames[$0.operatorID]) })
        return later.scan.unknownSeen.contains { unknown.contains(UnknownName(uid: $0.uid, name: theirNames[$0.operatorID])) }
    }

    private struct UnknownName: Hashable {
        var uid: KeyDigest
        var name: String
    }
}
