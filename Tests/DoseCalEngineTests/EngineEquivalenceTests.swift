import DoseCalCSV
import DoseCalDomain
import Foundation
import Testing
@testable import DoseCalEngine

/// SplitMix64, seeded: the same datasets on every run.
struct TestRNG: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A random dataset on disk: quoted fields with commas, quotes and line feeds, CRLF lines,
/// empty optional fields, and bad rows of every kind.
struct Dataset {
    let dir: URL
    var procedures: String { dir.appendingPathComponent("procedures.csv").path }
    var exposures: String { dir.appendingPathComponent("exposures.csv").path }
    var operators: String { dir.appendingPathComponent("operators.csv").path }

    init(seed: UInt64, procedures count: Int, bad: Bool = true, longQuotedAt: Int? = nil) throws {
        var rng = TestRNG(state: seed)
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("dosecal-engine-\(seed)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let types = ["coronary angiography", "PCI, \"complex\"", "biliary drainage", "spinal infiltration", "TIPS,\nrevision", " EVAR ",
                     "thrombectomy, \"stroke\""]
        let specialties = ["cardiology", "radiology", "vascular"]
        let ops = (0..<23).map { "OP\($0)" }
        func quoted(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        func end() -> String { Int.random(in: 0..<4, using: &rng) == 0 ? "\r\n" : "\n" }
        func num(_ x: Double) -> String { String(format: "%.2f", x) }
        var p = "study_uid,started_at,room,specialty,procedure_type,kap_gycm2,kap_fluoro_gycm2,kap_acq_gycm2,fluoro_time_s,ka_rp_mgy,ref_dosimeter_usv\n"
        var e = "study_uid,operator_id,dosimeter_id,role,hp10_usv,hp10_fluoro_usv,hp10_acq_usv\n"
        var o = "operator_id,specialty,name\n"
        for (i, op) in ops.enumerated() where i % 4 != 3 {
            o += "\(op),\(specialties[i % 3]),\(quoted("Name \(i), X"))\n"
        }
        if bad { o += "OP0,radiology,duplicate\n" }
        var uids: [String] = []
        for n in 0..<count {
            // Now and then a UID longer than the join queue's 128-byte slots.
            let uid = n % 13 == 0 ? "1.2.3.\(String(repeating: "4", count: 130)).\(n)" : "1.2.3.\(n)"
            uids.append(uid)
            let day = Int.random(in: 1...28, using: &rng), month = Int.random(in: 1...12, using: &rng)
            var started = String(format: "2023-%02d-%02dT%02d:%02d:00", month, day, Int.random(in: 7...19, using: &rng), Int.random(in: 0...59, using: &rng))
            if n % 17 == 0 { started = String(format: "2023-%02d-%02d", month, day) }
            if n % 19 == 0 { started = String(format: " 2023-%02d-%02d 10:15+01:00", month, day) }
            let kap = Double.random(in: 0...200, using: &rng)
            var fields = [uid, started, "Room \(n % 7)", specialties[n % 3], quoted(types[Int.random(in: 0..<types.count, using: &rng)]),
                          Int.random(in: 0..<20, using: &rng) == 0 ? "" : num(kap),
                          Int.random(in: 0..<3, using: &rng) == 0 ? "" : num(kap / 3), "", "\(Int.random(in: 0...900, using: &rng))",
                          Int.random(in: 0..<5, using: &rng) == 0 ? "" : num(kap * 7),
                          Int.random(in: 0..<8, using: &rng) == 0 ? "" : (Int.random(in: 0..<10, using: &rng) == 0 ? "0" : num(Double.random(in: 0...90, using: &rng)))]
            if let at = longQuotedAt, n == at { fields[4] = quoted(String(repeating: "long\n", count: 4000)) }
            if bad {
                switch n % 41 {
                case 1: fields[5] = "-3.5"
                case 2: fields[5] = "1,5"; fields[5] = quoted(fields[5])
                case 3: fields[1] = "2023-02-30"
                case 4: fields[1] = "1960-01-01"
                case 5: fields[0] = "  "
                case 6: fields.removeLast()
                case 7: fields[10] = "abc"
                case 8: fields[2] = ""
                case 9: fields[0] = "1.2.3.\(n - 1)"
                case 10: fields[8] = "1e999"
                case 11: fields[7] = "x1"  // kap_acq_gycm2: a bad optional number is a rejection too
                default: break
                }
            }
            let line = fields.joined(separator: ",")
            p += line + end()
            if bad && n % 53 == 0 { p += line + end() }  // identical duplicate
            if bad && n % 59 == 0 { p += "\n" }  // empty line
        }
        for (n, uid) in uids.enumerated() {
            let k = Int.random(in: 0...3, using: &rng)
            for j in 0..<k {
                let op = ops[(n * 7 + j * 5) % ops.count]
                let hp = Double.random(in: 0...60, using: &rng)
                var fields = [uid, op, "D-\(op)", ["first", "second", "other", "", "FIRST"][j % 5], num(hp),
                              Int.random(in: 0..<4, using: &rng) == 0 ? "" : num(hp / 2), ""]
                if bad {
                    switch (n + j) % 37 {
                    case 1: fields[4] = "-1"
                    case 2: fields[4] = ""
                    case 3: fields[3] = "chief"
                    case 4: fields[1] = ""
                    case 5: fields[0] = "9.9.9.\(n)"
                    case 6: fields[4] = "12,5"; fields[4] = quoted(fields[4])
                    case 7: fields.append("x")
                    case 8: fields[0] = "9.9.9.\(String(repeating: "7", count: 140)).\(n)"  // unknown, and long
                    case 9: fields[6] = "-0.5"  // hp10_acq_usv
                    default: break
                    }
                }
                let line = fields.joined(separator: ",")
                e += line + end()
                if bad && (n + j) % 43 == 0 { e += line + end() }
                if bad && (n + j) % 47 == 0 { fields[4] = "99"; e += fields.joined(separator: ",") + end() }
            }
        }
        try p.write(toFile: procedures, atomically: true, encoding: .utf8)
        try e.write(toFile: exposures, atomically: true, encoding: .utf8)
        try o.write(toFile: operators, atomically: true, encoding: .utf8)
    }

    /// Shuffles the exposure lines, the header staying first (records are single lines in
    /// these files).
    func shuffleExposures(seed: UInt64) throws {
        var rng = TestRNG(state: seed)
        try rewriteDataLines(exposures) { $0.shuffle(using: &rng) }
    }

    /// Copies every `every`-th data line of `path` to just after the line `distance` lines
    /// later: duplicates whose first row lies far back, in both halves of the file. Only lines
    /// without a quote are copied or followed by a copy, so no record spanning two lines (a
    /// quoted line break) is copied or split; and none crosses the middle fifth of the file, so
    /// that the engine's two halves keep their own pairs and are not redone on one thread.
    func copyLinesLater(_ path: String, every: Int, distance: Int) throws {
        try rewriteDataLines(path) { lines in
            var out = lines
            let middle = lines.count * 2 / 5..<lines.count * 3 / 5
            for i in stride(from: lines.count - 1 - distance, through: 0, by: -1)
            where i % every == 0 && !lines[i].contains("\"") && !lines[i + distance].contains("\"") && !middle.overlaps(i..<i + distance + 1) {
                out.insert(lines[i], at: i + distance + 1)
            }
            lines = out
        }
    }

    /// Rewrites the lines after the header of `path` (split at LF, the final line end kept).
    private func rewriteDataLines(_ path: String, _ change: (inout [String]) -> Void) throws {
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = lines.removeFirst()
        if lines.last == "" { lines.removeLast() }
        change(&lines)
        try ([header] + lines).joined(separator: "\n").appending("\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(at: dir) }
}

func close(_ a: Double?, _ b: Double?, _ rel: Double = 1e-12) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    return a == b || abs(a - b) <= rel * max(abs(a), abs(b))
}

/// The engine's result equals the reference join's: rejections exactly, sums to 1e-12.
func expectEquivalent(_ r: DirectFileEngine.Result, _ ref: DirectFileEngine.Result, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    #expect(r.rejected == ref.rejected, sourceLocation: sourceLocation)
    if r.rejections != ref.rejections {
        for (a, b) in zip(r.rejections, ref.rejections) where a != b {
            Issue.record("first difference:\n  engine    \(a)\n  reference \(b)", sourceLocation: sourceLocation)
            break
        }
    }
    #expect(r.dataFirst == ref.dataFirst && r.dataLast == ref.dataLast, sourceLocation: sourceLocation)
    #expect(r.builder.specialtyProcedures == ref.builder.specialtyProcedures, sourceLocation: sourceLocation)
    let a = r.builder.indicators(), b = ref.builder.indicators()
    #expect(a.map(\.operatorID) == b.map(\.operatorID), sourceLocation: sourceLocation)
    for (x, y) in zip(a, b) {
        #expect(x.specialty == y.specialty && x.procedures == y.procedures, sourceLocation: sourceLocation)
        #expect(x.sums.proceduresWithKap == y.sums.proceduresWithKap && x.sums.proceduresWithRef == y.sums.proceduresWithRef, sourceLocation: sourceLocation)
        for (u, v) in [(x.cumulativeMilliSv, y.cumulativeMilliSv), (x.microSvPerProcedure, y.microSvPerProcedure), (x.pdeKap, y.pdeKap),
                       (x.pdeKapMeanRatio, y.pdeKapMeanRatio), (x.pctReference, y.pctReference),
                       (x.pctReferenceMeanRatio, y.pctReferenceMeanRatio), (x.totalKapGyCm2, y.totalKapGyCm2)] as [(Double?, Double?)] {
            #expect(close(u, v), "\(x.operatorID): \(String(describing: u)) vs \(String(describing: v))", sourceLocation: sourceLocation)
        }
        let bx = r.builder.breakdown(of: x.operatorID)!, by = ref.builder.breakdown(of: y.operatorID)!
        #expect(bx.types.map(\.procedureType) == by.types.map(\.procedureType), sourceLocation: sourceLocation)
        for (s, t) in zip(bx.types, by.types) {
            #expect(s.procedures == t.procedures && close(s.pctPDE, t.pctPDE) && close(s.pctKAP, t.pctKAP) && close(s.pdeKap, t.pdeKap),
                    sourceLocation: sourceLocation)
        }
    }
}

@Suite("Streaming engine equals the record-source join")
struct EngineEquivalenceTests {
    @Test("random datasets with bad rows of every kind, one and two threads", arguments: [1, 2, 3, 4] as [UInt64])
    func randomDatasets(seed: UInt64) throws {
        let d = try Dataset(seed: seed, procedures: 1500)
        defer { d.remove() }
        let ref = try ReferenceJoin.run(procedures: d.procedures, exposures: d.exposures, operators: d.operators, from: nil, to: nil, strict: false)
        #expect(ref.rejections.count > 50)
        let rules = Set(ref.rejections.map(\.rule))
        #expect(rules.isSuperset(of: [.badValue, .emptyRequired, .duplicateInImport, .notANumber, .negativeValue, .malformedDate, .dateOutOfRange, .unknownStudy]))
        for threads in [1, 2] {
            let r = try DirectFileEngine.run(procedures: d.procedures, exposures: d.exposures, operators: d.operators,
                                             options: .init(threads: threads, minimumBytesPerThread: 1))
            #expect(!r.usedReferencePath)
            expectEquivalent(r, ref)
        }
    }

    @Test("only the first rejections are kept whole; every one is counted, by rule, as the reference counts them",
          arguments: [1, 2] as [UInt64])
    func listedRejections(seed: UInt64) throws {
        let d = try Dataset(seed: seed, procedures: 1500)
        defer { d.remove() }
        try d.copyLinesLater(d.procedures, every: 37, distance: 40)
        try d.copyLinesLater(d.exposures, every: 41, distance: 40)
        let all = try ReferenceJoin.run(procedures: d.procedures, exposures: d.exposures, operators: d.operators, from: nil, to: nil,
                                        strict: false, listedRejections: .max)
        let total = all.rejected.count, ofProcedures = all.rejections.prefix { !$0.location.file.hasSuffix("exposures.csv") }.count
        #expect(all.rejections.count == total && ofProcedures > 20 && total - ofProcedures > 20)
        // Limits that end the list in either file, at and around the procedures' last rejection.
        for limit in [0, 1, 7, ofProcedures / 2, ofProcedures - 1, ofProcedures, ofProcedures + 3, total - 1, total] {
            let ref = try ReferenceJoin.run(procedures: d.procedures, exposures: d.exposures, operators: d.operators, from: nil, to: nil,
                                            strict: false, listedRejections: limit)
            #expect(ref.rejections == Array(all.rejections.prefix(limit)))
            #expect(ref.rejected.count == total && ref.rejected.byRule == all.rejected.byRule)
            for (threads, block) in [(1, 1024), (2, 1024), (2, 16)] {
                let r = try DirectFileEngine.run(procedures: d.procedures, exposures: d.exposures, operators: d.operators,
                                                 options: .init(threads: threads, minimumBytesPerThread: 1, rescanBlockRecords: block,
                                                                listedRejections: limit))
                #expect(!r.usedReferencePath)
                #expect(r.rejected == ref.rejected, "limit \(limit), \(threads) threads, blocks of \(block)")
            }
        }
    }

    @Test("exposures in random order: the join runs behind the reading, with the same result", arguments: [6, 7] as [UInt64])
    func shuffledExposures(seed: UInt64) throws {
        let d = try Dataset(seed: seed, procedures: 3000)
        defer { d.remove() }
        try d.shuffleExposures(seed: seed)
        let ref = try ReferenceJoin.run(procedures: d.procedures, exposures: d.exposures, operators: d.operators, from: nil, to: nil, strict: false)
        #expect(ref.rejections.contains { $0.rule == .duplicateInImport && $0.location.file.hasSuffix("exposures.csv") })
        // Rescans for the duplicates' first rows from blocks of 1 024 records and of 16.
        for (threads, block) in [(1, 1024), (2, 1024), (1, 16), (2, 16)] {
            let r = try DirectFileEngine.run(procedures: d.procedures, exposures: d.exposures, operators: d.operators,
                                             options: .init(threads: threads, minimumBytesPerThread: 1, rescanBlockRecords: block))
            #expect(!r.usedReferencePath)
            expectEquivalent(r, ref)
        }
    }

    @Test("duplicates far after their first rows, in both halves: the rejections name the first lines, on two threads as on one",
          arguments: [(21, 150), (29, 400)] as [(Int, Int)])
    func distantDuplicates(every: Int, distance: Int) throws {
        let d = try Dataset(seed: UInt64(every), procedures: 3000, bad: false)
        defer { d.remove() }
        try d.copyLinesLater(d.procedures, every: every, distance: distance)
        // Rare enough (under one lookup in 16 off the in-order shortcut) that the exposures stay
        // in order for the join, so that the rescan blocks keep narrow row ranges.
        try d.copyLinesLater(d.exposures, every: 2 * every + 1, distance: distance)
        let ref = try ReferenceJoin.run(procedures: d.procedures, exposures: d.exposures, operators: d.operators, from: nil, to: nil, strict: false)
        let far = ref.rejections.filter { r in
            guard r.rule == .duplicateInImport, let line = r.location.line,
                  let first = r.reason.split(separator: "line ").dropFirst().first?.prefix(while: { $0.isNumber }), let n = Int(first) else { return false }
            return line - n > distance / 2
        }
        #expect(far.count > 40, "far duplicates in both files")
        #expect(Set(far.map(\.location.file)).count == 2)
        // Rescans from the blocks of 1 024 records and from blocks of 7, 13 and 64.
        for (threads, block) in [(1, 1024), (2, 1024), (1, 7), (2, 13), (2, 64)] {
            let r = try DirectFileEngine.run(procedures: d.procedures, exposures: d.exposures, operators: d.operators,
                                             options: .init(threads: threads, minimumBytesPerThread: 1, rescanBlockRecords: block))
            #expect(!r.usedReferencePath, "\(threads) threads, blocks of \(block)")
            expectEquivalent(r, ref)
        }
    }

    @Test("clean exposures in random order on two threads: both ranges meet in every procedure's pair word")
    func shuffledCleanExposures() throws {
        // No duplicate pairs at all, so the two ranges are never redone on one thread: their
        // shared pair words must keep each range's operators apart.
        let d = try Dataset(seed: 8, procedures: 3000, bad: false)
        defer { d.remove() }
        try d.shuffleExposures(seed: 8)
        let ref = try ReferenceJoin.run(procedures: d.procedures, exposures: d.exposures, operators: d.operators, from: nil, to: nil, strict: false)
        let r = try DirectFileEngine.run(procedures: d.procedures, exposures: d.exposures, operators: d.operators,
                                         options: .init(threads: 2, minimumBytesPerThread: 1))
        #expect(!r.usedReferencePath)
        expectEquivalent(r, ref)
    }

    @Test("per-operator sums only (indicators, calibration, alerts): the reference's indicators, no breakdown by type",
          arguments: [false, true])
    func perOperatorSums(shuffled: Bool) throws {
        let d = try Dataset(seed: 11, procedures: 2000)
        defer { d.remove() }
        if shuffled { try d.shuffleExposures(seed: 11) }
        let ref = try ReferenceJoin.run(procedures: d.procedures, exposures: d.exposures, operators: d.operators, from: nil, to: nil, strict: false)
        for threads in [1, 2] {
            let r = try DirectFileEngine.run(procedures: d.procedures, exposures: d.exposures, operators: d.operators,
                                             options: .init(threads: threads, minimumBytesPerThread: 1, typeBreakdown: false))
            #expect(!r.usedReferencePath && !r.builder.hasTypeBreakdown)
            #expect(r.rejected == ref.rejected)
            #expect(r.builder.specialtyProcedures == ref.builder.specialtyProcedures)
            let a = r.builder.indicators(), b = ref.builder.indicators()
            #expect(a.map(\.operatorID) == b.map(\.operatorID) && a.map(\.specialty) == b.map(\.specialty))
            for (x, y) in zip(a, b) {
                #expect(x.procedures == y.procedures && x.sums.proceduresWithKap == y.sums.proceduresWithKap)
                for (u, v) in [(x.cumulativeMilliSv, y.cumulativeMilliSv), (x.pdeKap, y.pdeKap), (x.pdeKapMeanRatio, y.pdeKapMeanRatio),
                               (x.pctReference, y.pctReference), (x.pctReferenceMeanRatio, y.pctReferenceMeanRatio)] as [(Double?, Double?)] {
                    #expect(close(u, v), "\(x.operatorID)")
                }
            }
        }
    }

    @Test("a period narrower than the data")
    func period() throws {
        let d = try Dataset(seed: 9, procedures: 800)
        defer { d.remove() }
        let from = CivilDate(year: 2023, month: 3, day: 1), to = CivilDate(year: 2023, month: 6, day: 30)
        let ref = try ReferenceJoin.run(procedures: d.procedures, exposures: d.exposures, operators: nil, from: from, to: to, strict: false)
        let r = try DirectFileEngine.run(procedures: d.procedures, exposures: d.exposures, from: from, to: to,
                                         options: .init(threads: 2, minimumBytesPerThread: 1))
        #expect(r.period == ref.period)
        expectEquivalent(r, ref)
    }

    @Test("clean data: two threads equal one thread")
    func twoThreadsEqualOne() throws {
        let d = try Dataset(seed: 5, procedures: 3000, bad: false)
        defer { d.remove() }
        let one = try DirectFileEngine.run(procedures: d.procedures, exposures: d.exposures, operators: d.operators,
                                           options: .init(threads: 1))
        let two = try DirectFileEngine.run(procedures: d.procedures, exposures: d.exposures, operators: d.operators,
                                           options: .init(threads: 2, minimumBytesPerThread: 1))
        #expect(one.rejections.isEmpty)
        expectEquivalent(two, one)
    }

    @Test("non-ASCII names in order and shuffled, one and two threads; a byte that is not UTF-8 gives the reader's error")
    func nonASCII() throws {
        /// Replaces text in a file; with `invalidAfter`, also puts a byte that is not UTF-8 after
        /// the `every`-th occurrence of `marker`.
        func rewrite(_ path: String, _ pairs: [(String, String)], invalidAfter marker: String? = nil, every: Int = 1) throws {
            var text = try String(contentsOfFile: path, encoding: .utf8)
            for (from, to) in pairs { text = text.replacingOccurrences(of: from, with: to) }
            var bytes = Array(text.utf8)
            if let marker {
                let m = Array(marker.utf8)
                var seen = 0, i = 0
                while i + m.count <= bytes.count {
                    if bytes[i..<i + m.count].elementsEqual(m) {
                        seen += 1
                        if seen % every == 0 { bytes.insert(0xFF, at: i + m.count) }
                    }
                    i += 1
                }
            }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        for shuffled in [false, true] {
            let d = try Dataset(seed: 15, procedures: 2000)
            defer { d.remove() }
            if shuffled { try d.shuffleExposures(seed: 15) }
            // Rooms, a procedure type and an operator (in every file) with accents, a dash, an emoji.
            try rewrite(d.procedures, [("Room 2", "Salle 2 — été"), ("Room 5", "Raum 5 🩻"), ("biliary drainage", "drainage biliaire (été)")])
            for path in [d.procedures, d.exposures, d.operators] { try rewrite(path, [("OP7,", "OPé7,")]) }
            let ref = try ReferenceJoin.run(procedures: d.procedures, exposures: d.exposures, operators: d.operators, from: nil, to: nil,
                                            strict: false)
            #expect(ref.builder.indicators().contains { $0.operatorID == "OPé7" })
            #expect(ref.builder.indicators().contains { x in
                ref.builder.breakdown(of: x.operatorID)?.types.contains { $0.procedureType == "drainage biliaire (été)" } ?? false
            })
            for threads in [1, 2] {
                let r = try DirectFileEngine.run(procedures: d.procedures, exposures: d.exposures, operators: d.operators,
                                                 options: .init(threads: threads, minimumBytesPerThread: 1))
                #expect(!r.usedReferencePath)
                expectEquivalent(r, ref)
            }
        }
        // A byte that is not UTF-8 in the rooms of rows the byte checks would otherwise accept
        // (no bad rows): the file is unreadable, with the reader's own error.
        let d = try Dataset(seed: 16, procedures: 2000, bad: false)
        defer { d.remove() }
        try rewrite(d.procedures, [("Room 2", "Salle 2 — été")], invalidAfter: "Salle 2", every: 1)
        var engineError: CSVError?, referenceError: CSVError?
        do { _ = try DirectFileEngine.run(procedures: d.procedures, exposures: d.exposures, operators: d.operators,
                                          options: .init(threads: 2, minimumBytesPerThread: 1)) } catch let e as CSVError { engineError = e }
        do { _ = try ReferenceJoin.run(procedures: d.procedures, exposures: d.exposures, operators: d.operators, from: nil, to: nil,
                                       strict: false) } catch let e as CSVError { referenceError = e }
        #expect(engineError != nil)
        #expect(engineError == referenceError)
    }

    @Test("a quoted field full of line feeds across the split point")
    func quotedNewlineAtSplit() throws {
        // The row in the middle holds 4000 quoted line feeds: the split lands inside it.
        let d = try Dataset(seed: 11, procedures: 200, bad: false, longQuotedAt: 100)
        defer { d.remove() }
        let ref = try ReferenceJoin.run(procedures: d.procedures, exposures: d.exposures, operators: d.operators, from: nil, to: nil, strict: false)
        let r = try DirectFileEngine.run(procedures: d.procedures, exposures: d.exposures, operators: d.operators,
                                         options: .init(threads: 2, minimumBytesPerThread: 1))
        #expect(!r.usedReferencePath)
        expectEquivalent(r, ref)
    }

    @Test("a malformed file gives the reader's own error")
    func malformed() throws {
        let d = try Dataset(seed: 13, procedures: 300, bad: false)
        defer { d.remove() }
        var text = try String(contentsOfFile: d.exposures, encoding: .utf8)
        text += "1.2.3.4,OP1,D,first,1\"2,,\n"
        try text.write(toFile: d.exposures, atomically: true, encoding: .utf8)
        var engineError: CSVError?
        do { _ = try DirectFileEngine.run(procedures: d.procedures, exposures: d.exposures) } catch let e as CSVError { engineError = e }
        var referenceError: CSVError?
        do { _ = try ReferenceJoin.run(procedures: d.procedures, exposures: d.exposures, operators: nil, from: nil, to: nil, strict: false) }
        catch let e as CSVError { referenceError = e }
        #expect(engineError != nil)
        #expect(engineError == referenceError)
    }

    @Test("strict: the first rejection is thrown")
    func strict() throws {
        let d = try Dataset(seed: 17, procedures: 200)
        defer { d.remove() }
        let ref = try ReferenceJoin.run(procedures: d.procedures, exposures: d.exposures, operators: d.operators, from: nil, to: nil, strict: false)
        #expect(throws: ref.rejections.first!) {
            try DirectFileEngine.run(procedures: d.procedures, exposures: d.exposures, operators: d.operators, strict: true)
        }
        // Even when no rejected row is to be listed.
        #expect(throws: ref.rejections.first!) {
            try DirectFileEngine.run(procedures: d.procedures, exposures: d.exposures, operators: d.operators, strict: true,
                                     options: .init(listedRejections: 0))
        }
    }

    @Test("no valid procedure")
    func noProcedure() throws {
        let d = try Dataset(seed: 19, procedures: 10, bad: false)
        defer { d.remove() }
        try "study_uid,started_at,room,specialty,procedure_type,kap_gycm2\nx,bad,r,s,t,1\n".write(toFile: d.procedures, atomically: true, encoding: .utf8)
        #expect(throws: EngineError.self) { try DirectFileEngine.run(procedures: d.procedures, exposures: d.exposures) }
    }

    @Test("key digests: equal bytes equal digests, near keys differ")
    func digests() {
        var seen = Set<UInt64>()
        for i in 0..<20000 {
            var s = "1.2.826.0.1.3680043.10.543.\(i)"
            let d = s.withUTF8 { keyDigest(UnsafeRawBufferPointer($0)) }
            #expect(seen.insert(d.key).inserted)
            let again = s.withUTF8 { keyDigest(UnsafeRawBufferPointer($0)) }
            #expect(d == again)
        }
    }

    @Test("key digests: every byte of every length counts, in both lanes")
    func digestsCoverEveryByte() {
        // Keys of 0 to 100 bytes (the word reads overlap differently at each length); changing
        // any one byte must change the key and the check, and a key must differ from the same
        // bytes one shorter (the length is mixed in: zero bytes are not padding).
        var rng = TestRNG(state: 77)
        for n in 0...100 {
            let bytes = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let d = bytes.withUnsafeBytes { keyDigest($0) }
            for i in 0..<n {
                var changed = bytes
                changed[i] ^= UInt8.random(in: 1...255, using: &rng)
                let e = changed.withUnsafeBytes { keyDigest($0) }
                #expect(e.key != d.key && e.check != d.check, "length \(n), byte \(i)")
            }
            var longer = bytes
            longer.append(0)
            let l = longer.withUnsafeBytes { keyDigest($0) }
            #expect(l.key != d.key && l.check != d.check, "length \(n) and one zero byte more")
        }
        // The check lane is spread too: 20 000 UIDs give (almost) 20 000 distinct checks.
        var checks = Set<UInt32>()
        for i in 0..<20000 {
            var s = "2.25.\(UInt64(i) &* 0x9E37_79B9_7F4A_7C15)"
            checks.insert(s.withUTF8 { keyDigest(UnsafeRawBufferPointer($0)).check })
        }
        #expect(checks.count >= 19_990)
    }
}
