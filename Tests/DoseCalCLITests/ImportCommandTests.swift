import Foundation
import Testing

/// `dosecal import` with the exposures parsed on one thread and hashed on another while SQLite
/// inserts: the same reports, messages and all-or-nothing outcomes as a one-thread import.
@Suite("import command")
struct ImportCommandTests {
    /// Two procedures; 20 000 exposures of them, then one of an unknown study (the last line, 20 002).
    static func dataset(in dir: URL) throws -> (procedures: String, exposures: String) {
        let p = "study_uid,started_at,room,specialty,procedure_type,kap_gycm2,ref_dosimeter_usv\n"
            + "1.1,2024-01-10T09:00:00,R1,cardiology,t,10,5\n1.2,2024-01-11T09:00:00,R1,cardiology,t,10,5\n"
        var e = "study_uid,operator_id,dosimeter_id,hp10_usv\n"
        for i in 1...20_000 { e += "1.\(i % 2 + 1),OP\(i),D\(i),1.5\n" }
        e += "1.9,OPZ,DZ,2\n"
        return (try CLIRunner.write(p, to: "p.csv", in: dir), try CLIRunner.write(e, to: "e.csv", in: dir))
    }

    static func imports(_ result: CLIRunner.Result) throws -> [[String: Any]] {
        try #require(try result.json()["imports"] as? [[String: Any]])
    }

    @Test func aReimportIsReportedAsBeforeEvenInStrictMode() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let (p, e) = try Self.dataset(in: dir)
        let db = dir.appendingPathComponent("s.sqlite").path
        let first = try CLIRunner.run(["import", "all", "--procedures", p, "--exposures", e, "--db", db, "--json"])
        #expect(first.status == 0, "\(first.stderr)")
        let summaries = try Self.imports(first)
        #expect(summaries.map { $0["imported"] as? Int } == [2, 20_000])
        #expect(summaries.map { ($0["file_hash"] as? String)?.count } == [64, 64])

        // The file's one rejected row would abort a strict import; a re-import is not read at all.
        let again = try CLIRunner.run(["import", "all", "--procedures", p, "--exposures", e, "--db", db, "--strict"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout == "\(p): already imported (same content); nothing to do.\n"
            + "\(e): already imported (same content); nothing to do.\nStore: \(db)\n")
        let json = try Self.imports(try CLIRunner.run(["import", "exposures", e, "--db", db, "--json"]))
        #expect(json.count == 1 && json[0]["already_imported"] as? Bool == true && json[0]["read"] as? Int == 0)
        #expect(json[0]["file_hash"] as? String == summaries[1]["file_hash"] as? String)
    }

    @Test func theSameFileTwiceInOneCommandIsImportedOnce() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let (p, e) = try Self.dataset(in: dir)
        let db = dir.appendingPathComponent("s.sqlite").path
        #expect(try CLIRunner.run(["import", "procedures", p, "--db", db]).status == 0)
        let both = try Self.imports(try CLIRunner.run(["import", "exposures", e, e, "--db", db, "--json"]))
        #expect(both.map { $0["imported"] as? Int } == [20_000, 0])
        #expect(both.map { $0["already_imported"] as? Bool } == [false, true])
    }

    @Test func aStrictRejectionOnTheLastLineStoresNothing() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let (p, e) = try Self.dataset(in: dir)
        let db = dir.appendingPathComponent("s.sqlite").path
        #expect(try CLIRunner.run(["import", "procedures", p, "--db", db]).status == 0)
        let strict = try CLIRunner.run(["import", "exposures", e, "--db", db, "--strict"])
        #expect(strict.status != 0)
        #expect(strict.stderr.contains("e.csv:20002, column 'study_uid', value \"1.9\""))
        #expect(strict.stderr.contains("nothing from this import was stored"))
        // Nothing stored, not even the file's hash: the same file imports in full.
        let after = try Self.imports(try CLIRunner.run(["import", "exposures", e, "--db", db, "--json"]))
        #expect(after.map { $0["imported"] as? Int } == [20_000] && after.map { $0["rejected"] as? Int } == [1])
    }

    @Test func aParseErrorOnALateLineNamesFileAndLineAndStoresNothing() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let (p, e) = try Self.dataset(in: dir)
        let text = try String(contentsOfFile: e, encoding: .utf8).split(separator: "\n").prefix(15_000).joined(separator: "\n")
        let bad = try CLIRunner.write(text + "\n1.1,OPQ,D\"Q,2\n", to: "bad.csv", in: dir)
        let db = dir.appendingPathComponent("s.sqlite").path
        #expect(try CLIRunner.run(["import", "procedures", p, "--db", db]).status == 0)
        let broken = try CLIRunner.run(["import", "exposures", bad, "--db", db])
        #expect(broken.status != 0)
        #expect(broken.stderr.contains("bad.csv:15001: column dosimeter_id has a quote inside an unquoted value"))
        let after = try Self.imports(try CLIRunner.run(["import", "exposures", e, "--db", db, "--json"]))
        #expect(after.map { $0["imported"] as? Int } == [20_000])
    }
}
