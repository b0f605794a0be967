import Foundation
import Testing

/// `quality`, `compare`, `eyelens`, `model`, `ratios` and `export` on the shipped 2024 dataset,
/// each checked against values computed here from the CSV files or by hand.
@Suite(.serialized) struct AnalysisCommandsTests {
    static let data = CLIRunner.repoRoot.appendingPathComponent("datasets/dosim2-2024")

    static func rows(_ name: String) throws -> [[String: String]] {
        let text = try String(contentsOf: data.appendingPathComponent(name), encoding: .utf8)
        var lines = text.split(separator: "\n").map(String.init)
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        // The columns used here never hold quoted commas.
        return lines.map { line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return Dictionary(uniqueKeysWithValues: zip(header, cells + Array(repeating: "", count: max(0, header.count - cells.count))))
        }
    }

    @Test func qualityReconcilesMemoryWithStoredSums() throws {
        let (_, db) = try Table1Tests.importDataset()
        let r = try CLIRunner.run(["quality", "--db", db, "--from", "2024-01-01", "--to", "2024-12-31", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let memory = try #require(try r.json()["memory"] as? [[String: Any]])
        #expect(memory.count == 21)
        var stored: [String: Double] = [:]
        for e in try Self.rows("exposures.csv") { stored[e["dosimeter_id"]!, default: 0] += Double(e["hp10_usv"]!)! }
        for m in try Self.rows("memory.csv") {
            let row = try #require(memory.first { $0["dosimeter_id"] as? String == m["dosimeter_id"] })
            let s = try #require(stored[m["dosimeter_id"]!])
            let mem = Double(m["cumulative_usv"]!)!
            #expect(approx(row["stored_usv"], s, rel: 1e-12))
            #expect(approx(row["loss_pct"], 100 * (mem - s) / mem, rel: 1e-9))
            #expect(row["flagged"] as? Bool == (abs(100 * (mem - s) / mem) > 5))
        }
        #expect(try r.json()["procedures_without_exposures"] as? Int == 0)
    }

    @Test func compareSpecialtiesMatchesADirectCount() throws {
        let d = Self.data.path
        let files = ["--procedures", "\(d)/procedures.csv", "--exposures", "\(d)/exposures.csv", "--operators", "\(d)/operators.csv",
                     "--from", "2024-01-01", "--to", "2024-09-30"]
        let ind = try CLIRunner.run(["indicators"] + files + ["--json"])
        let ops = try #require(try ind.json()["operators"] as? [[String: Any]])
        let a = ops.filter { $0["specialty"] as? String == "cardiology" }.compactMap { $0["pde_kap"] as? Double }
        let b = ops.filter { $0["specialty"] as? String == "radiology" }.compactMap { $0["pde_kap"] as? Double }
        // U of A: pairs with a > b, ties counting one half (scipy's statistic for x = a, y = b).
        var u = 0.0
        for x in a { for y in b { u += x > y ? 1 : (x == y ? 0.5 : 0) } }
        let r = try CLIRunner.run(["compare", "--by", "specialty", "--a", "cardiology", "--b", "radiology", "--indicator", "pde_kap"] + files + ["--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try r.json()
        #expect(j["n_a"] as? Int == 8)
        #expect(j["n_b"] as? Int == 11)
        #expect(approx(j["u"], u))
        #expect(j["p_method"] as? String == "exact")
        let ga = try #require(j["a"] as? [String: Any])
        #expect(Table1Tests.printed(try #require(ga["median"] as? Double), 2) == 0.24)
        #expect((j["literature"] as? [Any])?.isEmpty == false)
    }

    @Test func eyeLensProjection() throws {
        let (_, db) = try Table1Tests.importDataset()
        let r = try CLIRunner.run(["eyelens", "--db", db, "--from", "2024-01-01", "--to", "2024-12-31", "--operator", "RAD-E", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let op = try #require((try r.json()["operators"] as? [[String: Any]])?.first)
        let annual = try #require(op["annual_hp10_msv"] as? Double)
        #expect(Table1Tests.printed(annual, 1) == 8.4)
        #expect(approx(op["eye_mean_msv"], 0.75 * annual, rel: 1e-12))
        #expect(approx(op["eye_q3_msv"], 0.9 * annual, rel: 1e-12))
        // P(ratio > 20 / annual) for a log-normal through the quartiles 0.5, 0.6, 0.9.
        let sigma = (log(0.9) - log(0.5)) / (2 * 0.6744897501960817)
        let z = (log(20 / annual) - log(0.6)) / sigma
        #expect(approx(op["p_above_limit"], 0.5 * erfc(z / 2.0.squareRoot()), rel: 1e-9))
    }

    @Test func logLogModelAndRatios() throws {
        let (_, db) = try Table1Tests.importDataset()
        let m = try CLIRunner.run(["model", "--db", db, "--specialty", "radiology", "--json"])
        #expect(m.status == 0, "\(m.stderr)")
        let j = try m.json()
        let terms = try #require(j["coefficients"] as? [[String: Any]])
        #expect(j["rank"] as? Int == terms.count)
        #expect(j["rank_deficient"] as? Bool == false)
        let slope = try #require(terms.first { $0["term"] as? String == "ln_kap" }?["estimate"] as? Double)
        #expect(slope > 0 && slope < 2)
        let r2 = try #require(j["r_squared"] as? Double)
        #expect(r2 > 0 && r2 < 1)

        let r = try CLIRunner.run(["ratios", "--db", db, "--operator", "RAD-B", "--from", "2024-01-01", "--to", "2024-12-31", "--json"])
        let types = try #require(try r.json()["types"] as? [[String: Any]])
        let biliary = try #require(types.first { $0["procedure_type"] as? String == "biliary drainage" })
        let est = try #require(biliary["pde_kap"] as? [String: Any])
        let interval = try #require(est["interval"] as? [String: Any])
        let e = try #require(est["estimate"] as? Double), lo = try #require(interval["lower"] as? Double), hi = try #require(interval["upper"] as? Double)
        #expect(e >= 3 && e <= 4)
        #expect(lo < e && e < hi)
    }

    @Test func exportWritesAnXLSXAndCSVs() throws {
        let (dir, db) = try Table1Tests.importDataset()
        let x = dir.appendingPathComponent("year.xlsx").path
        #expect(try CLIRunner.run(["export", "--db", db, "--out", x]).status == 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: x))
        #expect(bytes.prefix(2) == Data("PK".utf8))
        let folder = dir.appendingPathComponent("csv").path
        #expect(try CLIRunner.run(["export", "--db", db, "--out", folder, "--format", "csv"]).status == 0)
        let exported = try String(contentsOfFile: folder + "/exposures.csv", encoding: .utf8)
        #expect(exported.split(whereSeparator: \.isNewline).count == 5040)  // header + 5039 rows, CRLF
    }
}
