import Foundation
import Testing

/// End-to-end: the same small hospital through the store and through the direct-file mode.
@Suite(.serialized) struct IndicatorsCommandTests {
    static let procedures = """
        study_uid,started_at,room,specialty,procedure_type,kap_gycm2,ref_dosimeter_usv,extra_column
        1.1,2024-01-02T10:00:00,RAD-1,radiology,biliary drainage,10,100,x
        1.2,2024-01-03T10:00:00,RAD-1,radiology,"Embolisation, hepatic",100,400,y
        1.3,2024-01-31T11:00,RAD-2,radiology,"Spinal ""facet"" infiltration",,200,
        1.4,2024-02-01,CARD-1,cardiology,PCI,50,50,

        """
    static let exposures = """
        study_uid,operator_id,dosimeter_id,role,hp10_usv
        1.1,A,D1,first,30
        1.2,A,D1,first,20
        1.3,A,D1,first,10
        1.4,B,D2,first,99
        1.2,B,D2,second,4

        """

    func setUp() throws -> (URL, String, String) {
        let dir = try CLIRunner.temporaryDirectory()
        return (dir, try CLIRunner.write(Self.procedures, to: "p.csv", in: dir), try CLIRunner.write(Self.exposures, to: "e.csv", in: dir))
    }

    @Test func storeAndFilesAgreeWithHandComputedValues() throws {
        let (dir, p, e) = try setUp()
        let db = dir.appendingPathComponent("s.sqlite").path
        #expect(try CLIRunner.run(["import", "procedures", p, "--db", db]).status == 0)
        #expect(try CLIRunner.run(["import", "exposures", e, "--db", db]).status == 0)
        let period = ["--from", "2024-01-01", "--to", "2024-01-31", "--json"]
        let fromStore = try CLIRunner.run(["indicators", "--db", db] + period)
        let fromFiles = try CLIRunner.run(["indicators", "--procedures", p, "--exposures", e] + period)
        #expect(fromStore.status == 0, "\(fromStore.stderr)")
        #expect(fromStore.stdout == fromFiles.stdout)
        let json = try fromStore.json()
        #expect(json["ratio_estimator"] as? String == "ratio_of_sums")
        let ops = try #require(json["operators"] as? [[String: Any]])
        #expect(ops.map { $0["operator_id"] as? String } == ["A", "B"])
        let a = ops[0]
        #expect(a["procedures"] as? Int == 3)
        #expect(a["cumulative_msv"] as? Double == 0.06)
        #expect(a["usv_per_procedure"] as? Double == 20)
        #expect(approx(a["pde_kap"], 50.0 / 110))
        #expect(approx(a["pct_reference"], 100 * 60.0 / 700))
        #expect(a["procedures_without_kap"] as? Int == 1)
        #expect(a["total_kap_gycm2"] as? Double == 110)
        // B: only the January procedure 1.2 (4 µSv, KAP 100, ref 400); 1.4 is in February.
        #expect(ops[1]["procedures"] as? Int == 1)
        #expect(ops[1]["pde_kap"] as? Double == 0.04)
        #expect(ops[1]["specialty"] as? String == "radiology")
        let period2 = try #require(json["period"] as? [String: Any])
        #expect(period2["days"] as? Int == 31)
    }

    @Test func interventionistViewAnonymisesColleagues() throws {
        let (_, p, e) = try setUp()
        let r = try CLIRunner.run(["indicators", "--procedures", p, "--exposures", e, "--as", "A", "--from", "2024-01-01", "--to", "2024-01-31", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let ops = try #require(try r.json()["operators"] as? [[String: Any]])
        let names = ops.compactMap { $0["operator_id"] as? String }
        #expect(names.contains("A"))
        #expect(!names.contains("B"))
        #expect(names.contains { $0.hasPrefix("peer-") })
        let again = try CLIRunner.run(["indicators", "--procedures", p, "--exposures", e, "--as", "A", "--from", "2024-01-01", "--to", "2024-01-31", "--json"])
        #expect(again.stdout == r.stdout)
    }

    @Test func breakdownSortsWherePDEShareExceedsKAPShare() throws {
        let (_, p, e) = try setUp()
        let r = try CLIRunner.run(["breakdown", "--procedures", p, "--exposures", e, "--operator", "A", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let ops = try #require(try r.json()["operators"] as? [[String: Any]])
        let types = try #require(ops.first?["by_type"] as? [[String: Any]])
        #expect(types.map { $0["procedure_type"] as? String } == ["biliary drainage", "Spinal \"facet\" infiltration", "Embolisation, hepatic"])
        #expect(types[0]["pct_pde"] as? Double == 50)
        #expect(types[0]["pde_kap"] as? Double == 3)
    }

    @Test func errorsNameFileLineAndLeaveTheStoreUntouched() throws {
        let (dir, p, _) = try setUp()
        let db = dir.appendingPathComponent("s.sqlite").path
        #expect(try CLIRunner.run(["import", "procedures", p, "--db", db]).status == 0)
        let conflicting = try CLIRunner.write("study_uid,started_at,room,specialty,procedure_type,kap_gycm2\n1.5,2024-03-01,R,radiology,x,1\n1.1,2024-01-02T10:00:00,RAD-1,radiology,biliary drainage,11\n", to: "c.csv", in: dir)
        let before = try CLIRunner.run(["indicators", "--db", db, "--json"]).stdout
        let r = try CLIRunner.run(["import", "procedures", conflicting, "--db", db])
        #expect(r.status != 0)
        #expect(r.stderr.contains("c.csv"))
        #expect(r.stderr.contains("1.1"))
        #expect(try CLIRunner.run(["indicators", "--db", db, "--json"]).stdout == before)

        let bad = try CLIRunner.write("study_uid,started_at,room,specialty,procedure_type,kap_gycm2\n2.1,2024-13-01,R,radiology,x,1\n", to: "b.csv", in: dir)
        let strict = try CLIRunner.run(["import", "procedures", bad, "--db", db, "--strict"])
        #expect(strict.status != 0)
        #expect(strict.stderr.contains("b.csv:2"))
        let lenient = try CLIRunner.run(["import", "procedures", bad, "--db", db, "--json"])
        #expect(lenient.status == 0)
        let imports = try #require(try lenient.json()["imports"] as? [[String: Any]])
        #expect(imports.first?["rejected"] as? Int == 1)
        #expect(imports.first?["imported"] as? Int == 0)

        let noStore = try CLIRunner.run(["indicators", "--db", dir.appendingPathComponent("none.sqlite").path])
        #expect(noStore.status != 0)
        #expect(noStore.stderr.contains("no store"))
    }
}

/// Foundation's JSON parser on Linux may be off by an ulp; the values printed are exact
/// (shortest round-trip), so compare to 1e-14 relative.
func approx(_ value: Any?, _ expected: Double, rel: Double = 1e-14) -> Bool {
    guard let v = value as? Double ?? (value as? Int).map(Double.init) else { return false }
    return abs(v - expected) <= rel * max(1, abs(expected))
}
