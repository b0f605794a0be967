import Foundation
import Testing

/// `dosecal rdsr dump` and `dosecal import rdsr` on the shared sample reports. The folder is
/// other projects' data and lives beside the repo (`../shared`); in CI it must be there (a
/// missing folder fails), elsewhere these tests are skipped without it.
private let rdsrCorpus = CLIRunner.repoRoot.deletingLastPathComponent().appendingPathComponent("shared/datasets/external/rdsr")
private let rdsrCorpusAvailable = FileManager.default.fileExists(atPath: rdsrCorpus.path)
private let runningInCI = ProcessInfo.processInfo.environment["CI"] == "true"

@Suite(.serialized, .enabled(if: rdsrCorpusAvailable || runningInCI, "the shared RDSR folder is not beside this clone"))
struct RDSRCommandTests {
    static let corpus = rdsrCorpus
    static let corpusAvailable = rdsrCorpusAvailable

    @Test func corpusIsPresentInCI() {
        #expect(Self.corpusAvailable, "CI=true but the shared RDSR folder is missing at \(Self.corpus.path)")
    }

    @Test func dumpGivesTheSpecKeysAndPerPlaneValues() throws {
        let r = try CLIRunner.run(["rdsr", "dump", Self.corpus.appendingPathComponent("philips_allura_clarity_u104.dcm").path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try r.json()
        for key in ["file", "sop_class_uid", "study_uid", "started_at", "manufacturer", "model", "station", "study_description",
                    "requested_procedure", "kap_total_gycm2", "kap_fluoro_gycm2", "kap_acq_gycm2", "fluoro_time_s", "acq_time_s", "events", "planes"] {
            #expect(j.keys.contains(key), "missing \(key)")
        }
        #expect(j["requested_procedure"] is NSNull)
        #expect(j["events"] as? Int == 25)
        // Values read independently with pydicom (Tests/DoseCalDICOMTests/Fixtures/rdsr_expected.py):
        // plane A DAP 7.8391324289e-06 Gy·m² = 0.078391324289 Gy·cm²; plane B all zero.
        #expect(approx(j["kap_total_gycm2"], 0.078391324289, rel: 1e-12))
        let planes = try #require(j["planes"] as? [[String: Any]])
        #expect(planes.map { $0["plane"] as? String } == ["A", "B"])
        #expect(approx(planes[1]["kap_total_gycm2"], 0))
    }

    @Test func enhancedSRIsRejectedWithWhatItIs() throws {
        let r = try CLIRunner.run(["rdsr", "dump", Self.corpus.appendingPathComponent("RF-ESR-Siemens-Varic.dcm").path])
        #expect(r.status != 0)
        #expect(r.stderr.contains("Enhanced SR"))
    }

    @Test func folderImportThenIndicators() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let db = dir.appendingPathComponent("r.sqlite").path
        let demo = CLIRunner.repoRoot.appendingPathComponent("datasets/rdsr-demo")
        let imp = try CLIRunner.run(["import", "rdsr", "--mapping", demo.appendingPathComponent("mapping.txt").path, Self.corpus.path, "--db", db, "--json"])
        #expect(imp.status == 0, "\(imp.stderr)")
        let s = try #require((try imp.json()["imports"] as? [[String: Any]])?.first)
        #expect(s["imported"] as? Int == 10)
        #expect(s["rejected"] as? Int == 0)
        #expect((s["skipped"] as? Int ?? 0) >= 1)
        let again = try CLIRunner.run(["import", "rdsr", "--mapping", demo.appendingPathComponent("mapping.txt").path, Self.corpus.path, "--db", db, "--json"])
        #expect((try again.json()["imports"] as? [[String: Any]])?.first?["unchanged"] as? Int == 10)
        #expect(try CLIRunner.run(["import", "exposures", demo.appendingPathComponent("exposures.csv").path, "--db", db]).status == 0)
        let ind = try CLIRunner.run(["indicators", "--db", db, "--json"])
        let ops = try #require(try ind.json()["operators"] as? [[String: Any]])
        #expect(ops.count == 4)
        let total = ops.compactMap { $0["procedures"] as? Int }.reduce(0, +)
        #expect(total == 15)
    }
}
