import DoseCalCSV
import DoseCalDomain

/// The direct-file join through the record sources, one row at a time, with `String` keys: the
/// definition the streaming engine reproduces, and its fallback when a file is malformed (so
/// the error is exactly the reader's) or two study UIDs collide on 64 bits.
///
/// - Complexity: O(rows); memory O(procedures) (whole `Procedure` values).
enum ReferenceJoin {
    static func run(procedures: String, exposures: String, operators: String?,
                    from: CivilDate?, to: CivilDate?, strict: Bool) throws -> DirectFileEngine.Result {
        var rejections: [RowRejection] = []
        func note(_ r: RowRejection) throws {
            if strict { throw r }
            rejections.append(r)
        }
        let roster = try readRoster(operators, rejected: note)
        var byUID: [String: Procedure] = [:]
        var first: CivilDate?, last: CivilDate?
        var psrc = try ProcedureCSVSource(path: procedures)
        while let o = try psrc.next() {
            switch o {
            case let .record(p, _):
                byUID[p.studyUID] = p
                first = min(first ?? p.date, p.date)
                last = max(last ?? p.date, p.date)
            case let .rejected(r): try note(r)
            }
        }
        guard let dataFirst = first, let dataLast = last else { throw EngineError.noValidProcedure(file: procedures) }
        let period = try Period(from: from ?? dataFirst, to: to ?? dataLast)
        var builder = IndicatorBuilder(period: period, roster: roster)
        for p in byUID.values { builder.countProcedure(p) }
        var esrc = try ExposureCSVSource(path: exposures)
        while let o = try esrc.next() {
            switch o {
            case let .record(e, line):
                guard let p = byUID[e.studyUID] else {
                    try note(RowRejection(location: SourceLocation(file: esrc.sourceName, line: line, column: "study_uid", value: e.studyUID),
                                          rule: .unknownStudy, reason: "study_uid \(e.studyUID) is not in \(psrc.sourceName)"))
                    continue
                }
                builder.add(e, of: p)
            case let .rejected(r): try note(r)
            }
        }
        return DirectFileEngine.Result(builder: builder, rejections: rejections, dataFirst: dataFirst, dataLast: dataLast,
                                       usedReferencePath: true)
    }
}

/// The roster's specialty by operator id (empty without a roster file); each rejected row
/// goes to `rejected`.
func readRoster(_ path: String?, rejected: (RowRejection) throws -> Void) throws -> [String: String] {
    var roster: [String: String] = [:]
    guard let path else { return roster }
    var src = try OperatorCSVSource(path: path)
    while let o = try src.next() {
        switch o {
        case let .record(op, _): roster[op.operatorID] = op.specialty
        case let .rejected(r): try rejected(r)
        }
    }
    return roster
}

/// Finds, after pass 2, what the wording of duplicate rejections needs: the first row of each
/// duplicated key and whether a later row is byte-identical to it. Runs only when a file has
/// duplicates, so the passes keep no line or content per key.
struct ContentRescan {
    struct Found {
        var line: Int
        var content: UInt64
        var uid: String
        var operatorID: String?
    }

    /// Records at `lines`, by line.
    static func lines(_ wanted: Set<Int>, path: String, dataStart: Int, lineBase: Int, uid: Int, operatorID: Int?) throws -> [Int: Found] {
        var out: [Int: Found] = [:]
        let s = try RecordScanner(path: path, offset: dataStart)
        while out.count < wanted.count, try s.next() {
            let line = lineBase + s.relativeLine
            guard wanted.contains(line), s.fieldCount > max(uid, operatorID ?? 0) else { continue }
            out[line] = Found(line: line, content: s.contentDigest(), uid: String(decoding: s.bytes(of: uid), as: UTF8.self),
                              operatorID: operatorID.map { String(decoding: s.bytes(of: $0), as: UTF8.self) })
        }
        return out
    }

    /// Procedure rows by ordinal (the records that claim a key, ``ProcedureColumns/claims(_:)``,
    /// numbered from 0 in file order), with their lines.
    static func rows(_ wanted: Set<Int>, path: String, dataStart: Int, lineBase: Int, columns: ProcedureColumns) throws -> [Int: Found] {
        var out: [Int: Found] = [:]
        let s = try RecordScanner(path: path, offset: dataStart)
        var ordinal = 0
        while out.count < wanted.count, try s.next() {
            guard columns.claims(s) else { continue }
            if wanted.contains(ordinal) {
                out[ordinal] = Found(line: lineBase + s.relativeLine, content: s.contentDigest(),
                                     uid: String(decoding: s.bytes(of: columns.uid), as: UTF8.self), operatorID: nil)
            }
            ordinal += 1
        }
        return out
    }

    struct Pair: Hashable {
        var uid: KeyDigest
        var operatorID: [UInt8]
    }

    /// The first row carrying each pair (right field count, both keys not blank), by pair.
    static func firstRows(of wanted: Set<Pair>, path: String, dataStart: Int, lineBase: Int, columns: ExposureColumns) throws -> [Pair: Found] {
        var out: [Pair: Found] = [:]
        let s = try RecordScanner(path: path, offset: dataStart)
        while out.count < wanted.count, try s.next() {
            guard s.fieldCount == columns.count else { continue }
            let uid = s.bytes(of: columns.uid), op = s.bytes(of: columns.operatorID)
            guard !isBlank(uid), !isBlank(op) else { continue }
            let pair = Pair(uid: keyDigest(uid), operatorID: Array(op))
            guard wanted.contains(pair), out[pair] == nil else { continue }
            out[pair] = Found(line: lineBase + s.relativeLine, content: s.contentDigest(),
                              uid: String(decoding: uid, as: UTF8.self), operatorID: String(decoding: op, as: UTF8.self))
        }
        return out
    }
}

/// The sentence of a `duplicate_in_import` rejection, as the record sources word it.
func duplicateRejection(file: String, line: Int, columns: String, phrase: String, value: String,
                        firstLine: Int, identical: Bool) -> RowRejection {
    let first = firstLine < Int(UInt32.max) ? "line \(firstLine)" : "an earlier line"
    let reason = identical
        ? "identical duplicate of \(first) (same \(phrase)); each appears once per file, the first is kept"
        : "duplicate \(phrase): \(first) has the same; each appears once per file, the first is kept and later ones are rejected"
    return RowRejection(location: SourceLocation(file: file, line: line, column: columns, value: value),
                        rule: .duplicateInImport, reason: reason)
}
