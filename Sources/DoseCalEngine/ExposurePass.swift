import DoseCalCSV
import DoseCalDomain

/// Column positions of an exposures file, from its header.
struct ExposureColumns {
    let count: Int
    let uid, operatorID, dosimeter, hp10: Int
    let role: Int?
    let optionalNumbers: [Int]

    init(header: [String]) {
        func index(_ name: String) -> Int? { header.firstIndex(of: name) }
        count = header.count
        uid = index("study_uid")!
        operatorID = index("operator_id")!
        dosimeter = index("dosimeter_id")!
        hp10 = index("hp10_usv")!
        role = index("role")
        optionalNumbers = ["hp10_fluoro_usv", "hp10_acq_usv"].compactMap(index)
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
}

/// Per-operator sums of one part: a ``DoseAccumulator`` per (operator, procedure type) and a
/// reading count per (operator, specialty), all indexed by interned ids, handed to the
/// `IndicatorBuilder` once at the end (``IndicatorBuilder/merge(operatorID:procedureType:sums:)``).
/// With `feedsBuilder` off (profiling only) the sums are still kept but never handed over.
struct Tally {
    let period: Period
    let feedsBuilder: Bool
    private(set) var accumulators: [[DoseAccumulator?]] = []
    private(set) var specialtyReadings: [[Int]] = []

    init(period: Period, feedsBuilder: Bool) {
        self.period = period
        self.feedsBuilder = feedsBuilder
    }

    @inline(__always)
    mutating func add(operator op: Int, type: Int, specialty: Int, hp10: Double, kap: Double, ref: Double) {
        while accumulators.count <= op { accumulators.append([]); specialtyReadings.append([]) }
        while accumulators[op].count <= type { accumulators[op].append(nil) }
        while specialtyReadings[op].count <= specialty { specialtyReadings[op].append(0) }
        if accumulators[op][type] == nil { accumulators[op][type] = DoseAccumulator() }
        accumulators[op][type]!.add(hp10MicroSv: hp10, kapGyCm2: kap.isNaN ? nil : kap, refMicroSv: ref.isNaN ? nil : ref)
        specialtyReadings[op][specialty] += 1
    }

    /// Hands the sums to `builder`, naming operators, types and specialties.
    func feed(_ builder: inout IndicatorBuilder, operators: [String], types: [String], specialties: [String]) {
        guard feedsBuilder else { return }
        for (op, perType) in accumulators.enumerated() {
            for (type, sums) in perType.enumerated() {
                if let sums { builder.merge(operatorID: operators[op], procedureType: types[type], sums: sums) }
            }
            for (s, n) in specialtyReadings[op].enumerated() where n > 0 {
                builder.countReadings(operatorID: operators[op], specialty: specialties[s], readings: n)
            }
        }
    }
}

/// Pass 2 over one byte range of exposures.csv: every row checked as `ExposureCSVSource` and
/// the direct-file join check it, duplicates of (`study_uid`, `operator_id`) found per
/// procedure (two operator ids inline, more in a set), readings of the period tallied.
final class ExposurePart: @unchecked Sendable {
    let path: String
    let begin: Int
    let stop: Int
    let columns: ExposureColumns
    let replay: RowReplay
    let index: ProcedureIndex
    let days: ClosedRange<Int32>
    let typeNames: [String]
    let specialtyNames: [String]
    let proceduresName: String

    private(set) var operators = ByteInterner()
    /// Per procedure row: up to two operator ids + 1 seen with it (low and high 32 bits).
    private(set) var seen: [UInt64]
    /// Further (row << 24 | operator) pairs.
    private(set) var moreSeen = Set<UInt64>()
    private(set) var unknownSeen = Set<UnknownPair>()
    private(set) var rejections: [RowRejection] = []
    private(set) var duplicates: [PendingDuplicate] = []
    private(set) var tally: Tally
    private(set) var endOffset = 0
    private(set) var lineFeeds = 0
    private(set) var failed = false

    init(path: String, begin: Int, stop: Int, columns: ExposureColumns, replay: RowReplay, index: ProcedureIndex,
         period: Period, typeNames: [String], specialtyNames: [String], proceduresName: String, feedsBuilder: Bool) {
        self.path = path
        self.begin = begin
        self.stop = stop
        self.columns = columns
        self.replay = replay
        self.index = index
        days = Int32(period.from.dayNumber)...Int32(period.to.dayNumber)
        self.typeNames = typeNames
        self.specialtyNames = specialtyNames
        self.proceduresName = proceduresName
        seen = [UInt64](repeating: 0, count: index.count)
        tally = Tally(period: period, feedsBuilder: feedsBuilder)
    }

    private struct Fallback: Error {}

    func run() {
        guard let scanned = RecordScanner.scan(path: path, from: begin, stopAt: stop, row) else {
            failed = true
            return
        }
        (endOffset, lineFeeds) = scanned
    }

    /// Whether this part saw the pair (procedure row, operator name).
    func contains(row: Int, operatorName: String) -> Bool {
        var name = operatorName
        guard let op = name.withUTF8({ operators.lookup(UnsafeRawBufferPointer($0)) }) else { return false }
        let s = seen[row]
        let tag = UInt64(op + 1)
        return s & 0xFFFF_FFFF == tag || s >> 32 == tag || moreSeen.contains(UInt64(row) << 24 | UInt64(op))
    }

    /// Every (procedure row, operator name) pair of this part.
    func forEachPair(_ body: (Int, String) -> Void) {
        let names = operators.strings
        for (row, s) in seen.enumerated() where s != 0 {
            if s & 0xFFFF_FFFF != 0 { body(row, names[Int(s & 0xFFFF_FFFF) - 1]) }
            if s >> 32 != 0 { body(row, names[Int(s >> 32) - 1]) }
        }
        for p in moreSeen { body(Int(p >> 24), names[Int(p & 0xFF_FFFF)]) }
    }

    /// The row found last: exposures usually come in the procedures' order, so the same row or
    /// the next one is checked before the table (sequential reads instead of cache misses).
    private var lastFound = 0

    @inline(__always)
    private func find(_ digest: KeyDigest) -> ProcedureIndex.Lookup {
        var candidate = lastFound
        while candidate <= lastFound + 1 && candidate < index.count {
            let row = index.row(candidate)
            if row.key == digest.key && row.check == digest.check && row.claimer {
                lastFound = candidate
                return .found(candidate)
            }
            candidate += 1
        }
        let result = index.find(digest)
        if case let .found(r) = result { lastFound = r }
        return result
    }

    private func row(_ s: RecordScanner) throws {
        let c = columns
        let line = s.relativeLine
        guard s.fieldCount == c.count else { return try reject(s, line) }
        let uid = s.bytes(of: c.uid), op = s.bytes(of: c.operatorID)
        guard isGoodText(uid), isGoodText(op) else { return try reject(s, line) }
        let digest = keyDigest(uid)
        let opID = operators.id(of: op)
        guard opID < 1 << 24 else { throw Fallback() }

        // Claim the pair, as the record source does right after reading both keys.
        var procedure: Int?
        let isNew: Bool
        switch find(digest) {
        case .collision:
            throw Fallback()
        case let .found(r):
            procedure = r
            let tag = UInt64(opID + 1)
            let s = seen[r]
            if s & 0xFFFF_FFFF == tag || s >> 32 == tag {
                isNew = false
            } else if s & 0xFFFF_FFFF == 0 {
                seen[r] = tag
                isNew = true
            } else if s >> 32 == 0 {
                seen[r] = s | tag << 32
                isNew = true
            } else {
                isNew = moreSeen.insert(UInt64(r) << 24 | UInt64(opID)).inserted
            }
        case .absent:
            isNew = unknownSeen.insert(UnknownPair(uid: digest, operatorID: opID)).inserted
        }
        guard isNew else {
            duplicates.append(PendingDuplicate(rejection: rejections.count, uid: digest, operatorID: Array(op), line: line))
            rejections.append(RowRejection(location: SourceLocation(file: replay.name, line: line), rule: .duplicateInImport, reason: ""))
            return
        }

        var hp10 = 0.0
        fast: do {
            guard isGoodText(s.bytes(of: c.dosimeter)) else { break fast }
            if let r = c.role, !isGoodRole(s.bytes(of: r)) { break fast }
            guard case let .value(v) = numberField(s.bytes(of: c.hp10)) else { break fast }
            for i in c.optionalNumbers {
                if case .bad = numberField(s.bytes(of: i)) { break fast }
            }
            hp10 = v
            return accept(uid: uid, procedure: procedure, operator: opID, hp10: hp10, line: line)
        }
        let outcome: RowOutcome<Exposure>?
        do { outcome = try replay.exposure(s.rawRecord, line: line) } catch { throw Fallback() }
        switch outcome {
        case let .record(e, _)?: accept(uid: uid, procedure: procedure, operator: opID, hp10: e.hp10MicroSv, line: line)
        case let .rejected(r)?: rejections.append(r)
        case nil: throw Fallback()
        }
    }

    @inline(__always)
    private func accept(uid: UnsafeRawBufferPointer, procedure: Int?, operator op: Int, hp10: Double, line: Int) {
        guard let procedure, case let p = index.row(procedure), p.valid else {
            let text = String(decoding: uid, as: UTF8.self)
            rejections.append(RowRejection(
                location: SourceLocation(file: replay.name, line: line, column: "study_uid", value: text),
                rule: .unknownStudy, reason: "study_uid \(text) is not in \(proceduresName)"))
            return
        }
        guard days.contains(p.day) else { return }
        tally.add(operator: op, type: Int(p.procedureType), specialty: Int(p.specialty), hp10: hp10, kap: p.kap, ref: p.ref)
    }

    private func reject(_ s: RecordScanner, _ line: Int) throws {
        let outcome: RowOutcome<Exposure>?
        do { outcome = try replay.exposure(s.rawRecord, line: line) } catch { throw Fallback() }
        guard case let .rejected(r)? = outcome else { throw Fallback() }
        rejections.append(r)
    }

    /// Shifts the part's lines by `base` line feeds.
    func finish(lineBase base: Int) {
        for i in rejections.indices { rejections[i] = shifted(rejections[i], base) }
        for i in duplicates.indices { duplicates[i].line += base }
    }

    func setRejection(_ i: Int, _ r: RowRejection) { rejections[i] = r }
}
