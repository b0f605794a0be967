import DoseCalCSV
import DoseCalDomain

/// The direct-file join through the record sources, one row at a time, with `String` keys: the
/// definition the streaming engine reproduces, and its fallback when a file is malformed (so
/// the error is exactly the reader's) or two study UIDs collide on 64 bits.
///
/// - Complexity: O(rows); memory O(procedures) (whole `Procedure` values).
enum ReferenceJoin {
    static func run(procedures: String, exposures: String, operators: String?,
                    from: CivilDate?, to: CivilDate?, strict: Bool,
                    listedRejections: Int = RejectedRows.defaultLimit) throws -> DirectFileEngine.Result {
        var rejected = RejectedRows(limit: listedRejections)
        func note(_ r: RowRejection) throws {
            if strict { throw r }
            rejected.append(r)
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
        return DirectFileEngine.Result(builder: builder, rejected: rejected, dataFirst: dataFirst, dataLast: dataLast,
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
