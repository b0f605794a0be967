import Foundation
import Testing

/// Issue 5 / SPEC §8: the shipped 2024 dataset, through the normal CLI pipeline (CSV import →
/// store → indicators → calibration), reproduces the published Table 1 and alert story.
///
/// The published values below are typed in from the paper (Sanchez, Vaño, Fernández Soto,
/// Table 1 and "Alert management and optimisation actions"), not read from the generator.
@Suite(.serialized) struct Table1Tests {
    static let datasetDir = CLIRunner.repoRoot.appendingPathComponent("datasets/dosim2-2024")

    /// (indicator, median, IQR, Q3, decimals of median, IQR, Q3) as printed in Table 1.
    typealias Published = (String, Double, Double, Double, Int, Int, Int)
    static let cardiology: [Published] = [
        ("procedures", 150, 44, 160, 0, 0, 0),
        ("cumulative_msv", 2.50, 1.0, 2.89, 2, 1, 2),
        ("usv_per_procedure", 15.3, 4.1, 18.0, 1, 1, 1),
        ("pct_reference", 10.9, 8.7, 14.4, 1, 1, 1),
        ("pde_kap", 0.24, 0.09, 0.30, 2, 2, 2),
    ]
    static let radiology: [Published] = [
        ("procedures", 211, 161, 277, 0, 0, 0),
        ("cumulative_msv", 3.28, 1.2, 3.70, 2, 1, 2),
        ("usv_per_procedure", 17.2, 10, 21.1, 1, 0, 1),
        ("pct_reference", 16.8, 11.2, 22.5, 1, 1, 1),
        ("pde_kap", 0.31, 0.25, 0.44, 2, 2, 2),
    ]

    /// Half away from zero, as a table prints.
    static func printed(_ x: Double, _ decimals: Int) -> Double {
        let scale = pow(10.0, Double(decimals))
        return (x * scale).rounded(.toNearestOrAwayFromZero) / scale
    }

    static func importDataset() throws -> (URL, String) {
        let dir = try CLIRunner.temporaryDirectory()
        let db = dir.appendingPathComponent("dosecal.sqlite").path
        let d = datasetDir.path
        let r = try CLIRunner.run(["import", "all", "--operators", "\(d)/operators.csv", "--procedures", "\(d)/procedures.csv",
                                   "--exposures", "\(d)/exposures.csv", "--memory", "\(d)/memory.csv", "--db", db, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let imports = try #require(try r.json()["imports"] as? [[String: Any]])
        for i in imports { #expect(i["rejected"] as? Int == 0, "\(i)") }
        return (dir, db)
    }

    @Test func janToSepReproducesTable1() throws {
        let (_, db) = try Self.importDataset()
        let r = try CLIRunner.run(["calibrate", "--db", db, "--from", "2024-01-01", "--to", "2024-09-30", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try r.json()
        #expect(j["quantile_type"] as? Int == 7)
        let specs = try #require(j["specialties"] as? [[String: Any]])
        #expect(specs.map { $0["specialty"] as? String } == ["cardiology", "radiology"])
        for (spec, operators, procedures, published) in [(specs[0], 8, 1088, Self.cardiology), (specs[1], 11, 2285, Self.radiology)] {
            #expect(spec["operators"] as? Int == operators)
            #expect(spec["procedures"] as? Int == procedures)
            let stats = try #require(spec["stats"] as? [String: Any])
            for (ind, median, iqr, q3, dm, di, dq) in published {
                let s = try #require(stats[ind] as? [String: Any], "\(ind)")
                let m = try #require(s["median"] as? Double), i = try #require(s["iqr"] as? Double), q = try #require(s["q3"] as? Double)
                #expect(Self.printed(m, dm) == median, "\(spec["specialty"]!) \(ind) median \(m)")
                #expect(Self.printed(i, di) == iqr, "\(spec["specialty"]!) \(ind) IQR \(i)")
                #expect(Self.printed(q, dq) == q3, "\(spec["specialty"]!) \(ind) Q3 \(q)")
            }
            let notif = try #require(spec["notification"] as? [String: Any])
            func values(_ k: String) -> (Double?, Double?) {
                let n = notif[k] as? [String: Any]
                return (n?["first"] as? Double, n?["second"] as? Double)
            }
            #expect(values("usv_per_procedure") == (25, 50))
            #expect(values("pde_kap") == (0.5, 1.0))
            #expect(values("cumulative_msv") == (4.5, 15))
        }
        let c = try #require(specs[0]["notification"] as? [String: Any]), rad = try #require(specs[1]["notification"] as? [String: Any])
        #expect((c["pct_reference"] as? [String: Any])?["first"] as? Double == 15)
        #expect((rad["pct_reference"] as? [String: Any])?["first"] as? Double == 25)

        // The direct-file mode gives the same document.
        let d = Self.datasetDir.path
        let f = try CLIRunner.run(["calibrate", "--procedures", "\(d)/procedures.csv", "--exposures", "\(d)/exposures.csv",
                                   "--operators", "\(d)/operators.csv", "--from", "2024-01-01", "--to", "2024-09-30", "--json"])
        #expect(f.status == 0, "\(f.stderr)")
        #expect(f.stdout == r.stdout)
    }

    @Test func fullYearAlertStory() throws {
        let (_, db) = try Self.importDataset()
        let cal = try CLIRunner.run(["calibrate", "--db", db, "--from", "2024-01-01", "--to", "2024-09-30", "--save", "--activate", "2024-01-01"])
        #expect(cal.status == 0, "\(cal.stderr)")
        let r = try CLIRunner.run(["alerts", "--db", db, "--from", "2024-01-01", "--to", "2024-12-31", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let ops = try #require(try r.json()["operators"] as? [[String: Any]])
        #expect(ops.count == 21)
        let yellow = ops.filter { $0["overall"] as? String == "yellow" }
        #expect(yellow.count == 6)
        #expect(ops.filter { $0["overall"] as? String == "red" }.isEmpty)
        for op in ops {
            for (_, colour) in (op["alerts"] as? [String: Any]) ?? [:] { #expect(colour as? String != "red") }
        }
        let high = yellow.filter { ($0["cumulative_msv"] as? Double ?? 0) > 6 }
        #expect(high.count == 2)
        #expect(Set(high.map { Self.printed($0["cumulative_msv"] as! Double, 1) }) == [8.2, 8.4])
        #expect(Set(high.map { Self.printed($0["pde_kap"] as! Double, 2) }) == [0.47, 0.50])
        let others = yellow.filter { ($0["cumulative_msv"] as? Double ?? 0) < 6 }
        #expect(others.count == 4)
        for o in others { #expect((o["alerts"] as? [String: Any])?["cumulative_msv"] as? String == "green") }

        // Biliary drainages: ~17 % of the PDE for ~2.5 % of the KAP, at 3–4 µSv/(Gy·cm²).
        for op in high {
            let id = try #require(op["operator_id"] as? String)
            let b = try CLIRunner.run(["breakdown", "--db", db, "--from", "2024-01-01", "--to", "2024-12-31", "--operator", id, "--json"])
            let types = try #require(((try b.json()["operators"] as? [[String: Any]])?.first?["by_type"]) as? [[String: Any]])
            let biliary = try #require(types.first { ($0["procedure_type"] as? String)?.lowercased().contains("biliary") == true })
            let pde = try #require(biliary["pct_pde"] as? Double), kap = try #require(biliary["pct_kap"] as? Double)
            let ratio = try #require(biliary["pde_kap"] as? Double)
            #expect(abs(pde - 17) < 1, "\(id) biliary %PDE \(pde)")
            #expect(abs(kap - 2.5) < 0.5, "\(id) biliary %KAP \(kap)")
            #expect(ratio >= 3 && ratio <= 4, "\(id) biliary PDE/KAP \(ratio)")
        }

        // The neuroradiologist of Figure 2: spinal infiltrations ~75 % PDE for ~10 % KAP;
        // diagnostic neuroradiology ~65 % KAP for < 10 % PDE.
        let b = try CLIRunner.run(["breakdown", "--db", db, "--from", "2024-01-01", "--to", "2024-12-31", "--specialty", "radiology", "--json"])
        let all = try #require(try b.json()["operators"] as? [[String: Any]])
        let neuro = all.filter { op in
            let types = op["by_type"] as? [[String: Any]] ?? []
            return types.contains { t in
                (t["procedure_type"] as? String)?.lowercased().contains("spinal") == true && abs((t["pct_pde"] as? Double ?? 0) - 75) < 3
                    && abs((t["pct_kap"] as? Double ?? 0) - 10) < 2
            }
        }
        #expect(neuro.count == 1)
        let types = try #require(neuro.first?["by_type"] as? [[String: Any]])
        let diag = try #require(types.first { ($0["procedure_type"] as? String)?.lowercased().contains("diagnostic") == true })
        #expect(abs((diag["pct_kap"] as? Double ?? 0) - 65) < 3)
        #expect((diag["pct_pde"] as? Double ?? 100) < 10)
    }

    /// The committed notebook is what the CLI writes from the shipped data (a golden file).
    @Test func committedNotebookIsUpToDate() throws {
        let (dir, db) = try Self.importDataset()
        let cal = try CLIRunner.run(["calibrate", "--db", db, "--from", "2024-01-01", "--to", "2024-09-30", "--save", "--activate", "2024-01-01"])
        #expect(cal.status == 0, "\(cal.stderr)")
        let out = dir.appendingPathComponent("nb/table1.md")
        let r = try CLIRunner.run(["report", "table1", "--db", db, "--from", "2024-01-01", "--to", "2024-12-31", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let committed = CLIRunner.repoRoot.appendingPathComponent("notebooks-md")
        #expect(try String(contentsOf: out, encoding: .utf8) == String(contentsOf: committed.appendingPathComponent("table1.md"), encoding: .utf8),
                "notebooks-md/table1.md is stale: run scripts/demo.sh and commit it")
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("nb/figures").path) {
            let made = try Data(contentsOf: dir.appendingPathComponent("nb/figures/\(name)"))
            let shipped = try Data(contentsOf: committed.appendingPathComponent("figures/\(name)"))
            #expect(made == shipped, "notebooks-md/figures/\(name) is stale")
        }
    }

    @Test func generatorReproducesTheShippedFilesByteForByte() throws {
        let out = try CLIRunner.temporaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.datasetDir.appendingPathComponent("generate.py").path, "--out", out.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        for name in ["procedures.csv", "exposures.csv", "operators.csv", "memory.csv"] {
            let shipped = try Data(contentsOf: Self.datasetDir.appendingPathComponent(name))
            let made = try Data(contentsOf: out.appendingPathComponent(name))
            #expect(shipped == made, "\(name) differs from the generator's output")
        }
    }
}
