#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DoseCalCSV
import DoseCalDomain

/// Why the direct-file engine could not produce a result (row problems are rejections, and
/// unreadable files are DoseCalCSV's `CSVError`).
public enum EngineError: Error, Sendable, CustomStringConvertible {
    /// The procedures file has no valid row, so there is no period and nothing to join.
    case noValidProcedure(file: String)

    public var description: String {
        switch self {
        case let .noValidProcedure(file): return "\(file) holds no valid procedure; nothing to compute."
        }
    }
}

/// The streaming engine of the direct-file mode (SPEC §10): procedures.csv, exposures.csv and
/// an optional roster in, an `IndicatorBuilder` for the period out, with the rejected rows.
///
/// Pass 1 reads procedures.csv and keeps, per row, only what the join needs (an 85-bit digest
/// of `study_uid`, the day, interned specialty and procedure type, KAP and reference reading:
/// 24 bytes, ``ProcedureRow``) in file order. The keys are then claimed in file order into an
/// open-addressing table whose two halves are filled on two threads (``ProcedureIndex``).
/// Pass 2 streams exposures.csv: numbers are parsed from bytes, operators interned, duplicate
/// (`study_uid`, `operator_id`) pairs found per procedure (two operator ids inline in a word
/// both ranges share, more in a set) and readings of the period added to per-operator,
/// per-procedure-type sums. Exposures that follow the procedures' order find their row next to
/// the last one; when they do not, records are read in batches of 1 024 and each batch is
/// joined in one loop that prefetches table slots and rows ahead. Each pass splits its file
/// into two byte ranges at a line end and runs them on two threads; the first range's scan
/// verifies that the split is a record boundary (a line end inside a quoted field is not), and
/// a range that started wrong is scanned again. Records are split from 64-byte classification
/// masks (``RecordScanner``). Memory grows with the procedures (about 24 bytes of row, 6 of
/// table and 4 of pair bookkeeping each), not with the exposures.
///
/// The result equals the reference join through the record sources (``ReferenceJoin``): the
/// same rows are rejected for the same rule with the same sentence and line (a row the byte
/// checks do not accept outright is replayed through the record source itself), and the sums
/// are the same `DoseAccumulator` arithmetic (Neumaier-compensated). Per-operator totals are
/// merged from per-type sums and the two ranges' sums are merged, so they may differ from the
/// reference's sequential sums in the last bits (≲ 1e-15 relative). A malformed file, or two
/// different study UIDs sharing a 64-bit key, makes the engine fall back to the reference
/// join, which reports the reader's exact error or joins on exact strings.
public enum DirectFileEngine {
    /// Tuning of the engine.
    public struct Options: Sendable {
        /// Threads per pass (1 or 2; the environment variable `DOSECAL_ENGINE_THREADS` overrides).
        public var threads: Int
        /// A pass is split only when each range gets at least this many bytes.
        public var minimumBytesPerThread: Int
        /// When `false` (profiling only; also the environment variable `DOSECAL_ENGINE_NO_BUILDER`),
        /// readings go to plain accumulators and the result's
        /// builder has no operators: measures the engine without `IndicatorBuilder.add`.
        public var feedsBuilder: Bool

        /// Records between two places a rescan for duplicates' first rows can start from (the
        /// passes note one every this many records; tests make it small).
        public var rescanBlockRecords: Int
        /// Rejected rows kept whole in the result (the first ones in file order); the others
        /// are only counted, so their sentences are never built where that costs a reread.
        public var listedRejections: Int
        /// Keep each operator's sums per procedure type, for a breakdown by type; without it
        /// the builder gets per-operator totals only (``IndicatorBuilder/hasTypeBreakdown`` is
        /// `false`), which is all indicators, calibration and alerts need.
        public var typeBreakdown: Bool

        public init(threads: Int = 2, minimumBytesPerThread: Int = 4 << 20, feedsBuilder: Bool = true, rescanBlockRecords: Int = 1024,
                    listedRejections: Int = RejectedRows.defaultLimit, typeBreakdown: Bool = true) {
            self.threads = threads
            self.minimumBytesPerThread = minimumBytesPerThread
            self.feedsBuilder = feedsBuilder
            self.rescanBlockRecords = max(1, rescanBlockRecords)
            self.listedRejections = max(0, listedRejections)
            self.typeBreakdown = typeBreakdown
        }
    }

    /// The outcome of a run.
    public struct Result: Sendable {
        /// The readings of the period, with the roster; specialty procedure counts included.
        public var builder: IndicatorBuilder
        /// Rejected rows in file order (operators, procedures, exposures): all counted, the
        /// first ``Options/listedRejections`` kept whole.
        public var rejected: RejectedRows
        /// The rejected rows kept whole, in file order.
        public var rejections: [RowRejection] { rejected.listed }
        /// The first and last day of the valid procedures.
        public var dataFirst: CivilDate
        public var dataLast: CivilDate
        /// The reference join was used (malformed file or digest collision).
        public var usedReferencePath: Bool

        public var period: Period { builder.period }
    }

    /// Joins the files for a period.
    ///
    /// - Parameters:
    ///   - procedures: procedures.csv (SPEC §2).
    ///   - exposures: exposures.csv.
    ///   - operators: the optional roster (`operator_id`, `specialty`).
    ///   - from: first day; defaults to the first day of the valid procedures.
    ///   - to: last day; defaults to the last day of the valid procedures.
    ///   - strict: throw the first rejection (a ``RowRejection``) instead of collecting it.
    ///   - options: threads and profiling switches.
    /// - Returns: the builder of the period and the rejections.
    /// - Throws: `CSVError` for an unreadable file, ``EngineError`` when no procedure is
    ///   valid, the domain's error when `from > to`, the first `RowRejection` when `strict`.
    /// - Complexity: O(file sizes) time; memory O(procedures) (about 40 bytes each) plus
    ///   O(operators × procedure types).
    public static func run(procedures: String, exposures: String, operators: String? = nil,
                           from: CivilDate? = nil, to: CivilDate? = nil, strict: Bool = false,
                           options: Options = Options()) throws -> Result {
        var options = options
        if getenv("DOSECAL_ENGINE_NO_BUILDER") != nil { options.feedsBuilder = false }
        if let t = getenv("DOSECAL_ENGINE_THREADS"), let n = Int(String(cString: t)) { options.threads = n }
        // `strict` throws the first rejected row: it must be listed.
        if strict { options.listedRejections = max(options.listedRejections, 1) }
        do {
            let result = try Run(options: options).run(procedures: procedures, exposures: exposures, operators: operators,
                                                       from: from, to: to)
            if strict, let first = result.rejections.first { throw first }
            return result
        } catch is NeedsReference {
            return try ReferenceJoin.run(procedures: procedures, exposures: exposures, operators: operators,
                                         from: from, to: to, strict: strict, listedRejections: options.listedRejections)
        } catch let error as CSVError where strict {
            // A rejection before the unreadable part comes first, as in a row-by-row read.
            _ = try ReferenceJoin.run(procedures: procedures, exposures: exposures, operators: operators,
                                      from: from, to: to, strict: true)
            throw error
        }
    }
}

/// The engine cannot decide alone: run the reference join.
struct NeedsReference: Error {}

/// A file's header as the record sources see it, and where its data starts.
private struct FileLayout {
    var header: [String]
    var dataStart: Int
    var lineBase: Int
    var size: Int

    init(path: String, header: [String]) throws {
        self.header = header
        let s = try RecordScanner(path: path, offset: 0)
        try s.skipByteOrderMark()
        guard try s.next() else { throw NeedsReference() }
        dataStart = s.offset
        lineBase = s.lineFeeds
        guard let size = fileSize(path: path) else { throw NeedsReference() }
        self.size = size
    }

    /// The offset just after a line end near the middle of the data, or `nil` to use one range.
    func splitPoint(path: String, threads: Int, minimum: Int) -> Int? {
        guard threads >= 2, size - dataStart >= 2 * minimum else { return nil }
        let middle = dataStart + (size - dataStart) / 2
        let window = readBytes(path: path, offset: middle, count: 1 << 16)
        guard let lf = window.firstIndex(of: UInt8(ascii: "\n")), middle + lf + 1 < size else { return nil }
        return middle + lf + 1
    }
}

private struct Run {
    let options: Options
    typealias Options = DirectFileEngine.Options

    func run(procedures: String, exposures: String, operators: String?, from: CivilDate?, to: CivilDate?) throws -> DirectFileEngine.Result {
        var clock = PhaseClock()
        defer { clock.report() }
        var rejected = RejectedRows(limit: options.listedRejections)
        let roster = try readRoster(operators) { rejected.append($0) }

        clock.lap("roster")

        // Pass 1: procedures.
        let psrc = try ProcedureCSVSource(path: procedures)
        let pLayout = try FileLayout(path: procedures, header: psrc.header)
        let pColumns = ProcedureColumns(header: psrc.header)
        let pSplit = pLayout.splitPoint(path: procedures, threads: options.threads, minimum: options.minimumBytesPerThread)
        func procedurePart(_ begin: Int, _ stop: Int) -> ProcedurePart {
            ProcedurePart(path: procedures, begin: begin, stop: stop, columns: pColumns, source: psrc,
                          blockRecords: options.rescanBlockRecords, listLimit: options.listedRejections - rejected.listed.count)
        }
        var pParts = [procedurePart(pLayout.dataStart, pSplit ?? .max)]
        if let pSplit { pParts.append(procedurePart(pSplit, .max)) }
        let runParts = pParts
        parallelFor(runParts.count) { runParts[$0].run() }
        if pParts.count == 2, !pParts[0].failed, pParts[0].endOffset != pParts[1].begin {
            pParts[1] = procedurePart(pParts[0].endOffset, .max)
            pParts[1].run()
        }
        guard pParts.allSatisfy({ !$0.failed }) else { throw NeedsReference() }

        clock.lap("procedures scan")
        var specialties = ByteInterner(), types = ByteInterner()
        var lineBase = pLayout.lineBase
        for part in pParts {
            let sMap = part.scan.specialties.strings.map { UInt8(clamping: specialties.id(of: $0)) }
            let tMap = part.scan.types.strings.map { UInt16(clamping: types.id(of: $0)) }
            part.scan.finish(lineBase: lineBase, specialtyMap: sMap, typeMap: tMap)
            lineBase += part.lineFeeds
        }
        guard specialties.count <= ProcedureRow.maximumSpecialty, types.count < Int(UInt16.max) else { throw NeedsReference() }
        clock.lap("procedure ids")

        // Claim keys in file order (two halves of the table on two threads).
        let rowCounts = pParts.map(\.scan.rows.count)
        let pRanges = rescanRanges(begins: pParts.map(\.begin), lineFeeds: pParts.map(\.lineFeeds), lineBase: pLayout.lineBase,
                                   ordinals: rowCounts, blocks: pParts.map(\.blocks))
        var index = ProcedureIndex(first: pParts[0].takeRows(), second: pParts.count > 1 ? pParts[1].takeRows() : ([], []))
        let scans = pParts.map(\.scan)
        pParts = []
        let claims = index.claimAll(threads: options.threads)
        guard !claims.collision else { throw NeedsReference() }
        let duplicateOf = Dictionary(uniqueKeysWithValues: claims.duplicates.map { ($0.row, $0.of) })

        // The procedures' rejections in file order: a row's unclaimed rejections come before
        // it; a claiming row's own rejection counts only if its claim succeeded. Each part kept
        // its first rejections whole, as many as the list holds; its later ones come after
        // them in file order (a duplicate takes the place of its row's own rejection, if any),
        // so they are only counted.
        var events: [(row: Int, rank: Int, part: Int, order: Int, rejection: RowRejection)] = []
        var pendingDuplicates: [(rejection: Int, first: Int, row: Int)] = []
        var rowBase = 0
        for (p, scan) in scans.enumerated() {
            for (k, u) in scan.unclaimedRejections.enumerated() {
                events.append((rowBase + u.before, 0, p, k, u.rejection))
            }
            for (local, r) in scan.claimedRejections where duplicateOf[rowBase + local] == nil {
                events.append((rowBase + local, 1, p, 0, r))
            }
            rowBase += rowCounts[p]
        }
        let placeholder = RowRejection(location: SourceLocation(file: psrc.sourceName), rule: .duplicateInImport, reason: "")
        for d in claims.duplicates { events.append((d.row, 1, 0, 0, placeholder)) }
        events.sort { ($0.row, $0.rank, $0.part, $0.order) < ($1.row, $1.rank, $1.part, $1.order) }
        for e in events {
            if e.rank == 1, let first = duplicateOf[e.row], e.rejection.rule == .duplicateInImport, e.rejection.reason.isEmpty,
               !rejected.isFull {
                pendingDuplicates.append((rejected.listed.count, first, e.row))
            }
            rejected.append(e.rejection)
        }
        rowBase = 0
        for (p, scan) in scans.enumerated() {
            for l in scan.laterClaimed where duplicateOf[rowBase + l.row] == nil { rejected.count(l.rule) }
            for (rule, n) in scan.laterUnclaimed { rejected.count(rule, times: n) }
            rowBase += rowCounts[p]
        }
        if !pendingDuplicates.isEmpty {
            let wanted = Set(pendingDuplicates.flatMap { [$0.first, $0.row] })
            let found = try ContentRescan.rows(wanted, path: procedures, ranges: pRanges, columns: pColumns)
            for d in pendingDuplicates {
                guard let dup = found[d.row], let first = found[d.first] else { throw NeedsReference() }
                rejected.replaceListed(at: d.rejection, with: duplicateRejection(
                    file: psrc.sourceName, line: dup.line, columns: "study_uid", phrase: "study_uid", value: dup.uid,
                    firstLine: first.line, identical: content16(first.content) == content16(dup.content)))
            }
        }
        let firstDay = claims.firstDay, lastDay = claims.lastDay
        guard firstDay <= lastDay else { throw EngineError.noValidProcedure(file: procedures) }
        let dataFirst = CivilDate(dayNumber: Int(firstDay)), dataLast = CivilDate(dayNumber: Int(lastDay))
        let period = try Period(from: from ?? dataFirst, to: to ?? dataLast)

        clock.lap("key claim and procedure rejections")

        // Pass 2: exposures.
        let esrc = try ExposureCSVSource(path: exposures)
        let eLayout = try FileLayout(path: exposures, header: esrc.header)
        let eColumns = ExposureColumns(header: esrc.header)
        let joinIndex = index
        // The list's room left after the operators' and procedures' rejections: no exposure
        // rejection past it is listed, nor its duplicate's first row looked for.
        let listRoom = options.listedRejections - rejected.listed.count
        // The ranges' (procedure, operator) pair words: one shared array (a range that is run
        // again gets a fresh one).
        func pairWords() -> ZeroedWords { ZeroedWords(count: joinIndex.count, hugePages: true) }
        func part(_ begin: Int, _ stop: Int, _ words: ZeroedWords, _ place: Int) -> ExposurePart {
            ExposurePart(path: exposures, begin: begin, stop: stop, columns: eColumns, source: esrc, index: joinIndex,
                         period: period, typeNames: types.strings, specialtyNames: specialties.strings,
                         proceduresName: psrc.sourceName, feedsBuilder: options.feedsBuilder, pairWords: words, partIndex: place,
                         blockRecords: options.rescanBlockRecords, listLimit: listRoom, typeBreakdown: options.typeBreakdown)
        }
        let eSplit = eLayout.splitPoint(path: exposures, threads: options.threads, minimum: options.minimumBytesPerThread)
        let shared = pairWords()
        var eParts = [part(eLayout.dataStart, eSplit ?? .max, shared, 0)]
        if let eSplit { eParts.append(part(eSplit, .max, shared, 1)) }
        let runExposures = eParts
        parallelFor(runExposures.count) { runExposures[$0].run() }
        if eParts.count == 2, !eParts[0].failed, eParts[0].endOffset != eParts[1].begin {
            eParts[1] = part(eParts[0].endOffset, .max, pairWords(), 1)
            eParts[1].run()
        }
        guard eParts.allSatisfy({ !$0.failed }) else { throw NeedsReference() }
        if eParts.count == 2 && eParts[0].sharesPairs(with: eParts[1]) {
            // A pair in both ranges: its second row is a duplicate the second range could not
            // see. Rare enough to redo the pass on one thread.
            eParts = [part(eLayout.dataStart, .max, pairWords(), 0)]
            eParts[0].run()
            guard !eParts[0].failed else { throw NeedsReference() }
        }
        clock.lap("exposures scan")
        lineBase = eLayout.lineBase
        for p in eParts {
            p.scan.finish(lineBase: lineBase)
            lineBase += p.lineFeeds
        }
        let duplicates = eParts.flatMap { p in p.scan.duplicates.map { (p, $0) } }
        if !duplicates.isEmpty {
            let eRanges = rescanRanges(begins: eParts.map(\.begin), lineFeeds: eParts.map(\.lineFeeds), lineBase: eLayout.lineBase,
                                       ordinals: eParts.map { _ in 0 }, blocks: eParts.map(\.blocks))
            let (firsts, dups) = try ContentRescan.exposures(
                duplicates: duplicates.map { (ContentRescan.Pair(uid: $0.1.uid, operatorID: $0.1.operatorID), $0.1.line, $0.1.row) },
                path: exposures, ranges: eRanges, columns: eColumns)
            for (p, d) in duplicates {
                guard let first = firsts[ContentRescan.Pair(uid: d.uid, operatorID: d.operatorID)], let dup = dups[d.line] else { throw NeedsReference() }
                p.scan.rejections.replaceListed(at: d.rejection, with: duplicateRejection(
                    file: esrc.sourceName, line: d.line, columns: "study_uid, operator_id", phrase: "(study_uid, operator_id)",
                    value: "\(dup.uid), \(dup.operatorID ?? "")", firstLine: first.line,
                    identical: content16(first.content) == content16(dup.content)))
            }
        }
        for p in eParts { rejected.append(contentsOf: p.scan.rejections) }

        clock.lap("exposure rejections")

        // The builder: specialty procedure counts, then every part's sums.
        var builder = IndicatorBuilder(period: period, roster: roster)
        let perSpecialty = claims.specialtyCounts(days: Int32(period.from.dayNumber)...Int32(period.to.dayNumber),
                                                  specialties: specialties.count)
        for (s, n) in perSpecialty.enumerated() where n > 0 {
            builder.merge(countOnly(specialty: specialties.strings[s], count: n, period: period))
        }
        for p in eParts {
            p.scan.tally.feed(&builder, operators: p.scan.operators.strings, types: p.typeNames, specialties: p.specialtyNames)
        }
        clock.lap("builder")
        return DirectFileEngine.Result(builder: builder, rejected: rejected, dataFirst: dataFirst, dataLast: dataLast,
                                       usedReferencePath: false)
    }

    /// The byte ranges a pass's parts read (each up to the next one's start), with the line
    /// and claiming-record ordinal each starts after (`ordinals`: each part's count) and the
    /// places in each where a rescan can start.
    private func rescanRanges(begins: [Int], lineFeeds: [Int], lineBase: Int, ordinals: [Int],
                              blocks: [[ContentRescan.Block]]) -> [ContentRescan.Range] {
        var ranges: [ContentRescan.Range] = []
        var line = lineBase, ordinal = 0
        for k in begins.indices {
            ranges.append(ContentRescan.Range(begin: begins[k], stop: k + 1 < begins.count ? begins[k + 1] : .max,
                                              lineBase: line, ordinalBase: ordinal, blocks: blocks[k]))
            line += lineFeeds[k]
            ordinal += ordinals[k]
        }
        return ranges
    }

    /// A builder holding only `count` procedures of `specialty` (no readings), built by
    /// doubling merges from one counted procedure: O(log count) merges instead of `count` calls.
    private func countOnly(specialty: String, count: Int, period: Period) -> IndicatorBuilder {
        var unit = IndicatorBuilder(period: period)
        unit.countProcedure(Procedure(studyUID: "", startedAt: "", date: period.from, room: "", specialty: specialty,
                                      procedureType: "", kapGyCm2: nil))
        var result = IndicatorBuilder(period: period)
        var power = unit
        var n = count
        while n > 0 {
            if n & 1 == 1 { result.merge(power) }
            n >>= 1
            if n > 0 { power.merge(power) }
        }
        return result
    }
}
