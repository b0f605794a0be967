import Foundation
import Testing

/// The yearly cycle on a small synthetic hospital: calibrate, save, activate, evaluate as of
/// a date, override, diff; the store refuses changes to saved versions.
@Suite(.serialized) struct ThresholdsCommandTests {
    /// 2 specialties × 4 operators, one procedure per operator per month of 2023 and 2024.
    static func dataset(in dir: URL) throws -> (String, String) {
        var p = "study_uid,started_at,room,specialty,procedure_type,kap_gycm2,ref_dosimeter_usv\n"
        var e = "study_uid,operator_id,dosimeter_id,role,hp10_usv\n"
        var n = 0
        for year in [2023, 2024] {
            for month in 1...12 {
                for (s, spec) in ["cardiology", "radiology"].enumerated() {
                    for op in 1...4 {
                        n += 1
                        let uid = "9.\(n)"
                        let kap = Double(20 + 10 * op + month)
                        let hp = Double(op * (s + 1) * 3) + Double(month) / 10 + (year == 2024 ? 5 : 0)
                        p += "\(uid),\(year)-\(month < 10 ? "0" : "")\(month)-15T09:00:00,R\(s),\(spec),type \(op % 2),\(kap),\(hp * 8)\n"
                        e += "\(uid),\(spec.prefix(1).uppercased())\(op),D\(s)\(op),first,\(hp)\n"
                    }
                }
            }
        }
        return (try CLIRunner.write(p, to: "p.csv", in: dir), try CLIRunner.write(e, to: "e.csv", in: dir))
    }

    @Test func yearlyCycle() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let (p, e) = try Self.dataset(in: dir)
        let db = dir.appendingPathComponent("s.sqlite").path
        let imp = try CLIRunner.run(["import", "all", "--procedures", p, "--exposures", e, "--db", db, "--json"])
        #expect(imp.status == 0, "\(imp.stderr)")

        // No version yet: alerts say how to make one.
        let none = try CLIRunner.run(["alerts", "--db", db])
        #expect(none.status != 0)
        #expect(none.stderr.contains("dosecal calibrate"))

        let c1 = try CLIRunner.run(["calibrate", "--db", db, "--from", "2023-01-01", "--to", "2023-12-31", "--save", "--note", "2023", "--json"])
        #expect(c1.status == 0, "\(c1.stderr)")
        let j1 = try c1.json()
        #expect(j1["version"] as? Int == 1)
        #expect(j1["quantile_type"] as? Int == 7)
        let specs = try #require(j1["specialties"] as? [[String: Any]])
        #expect(specs.map { $0["specialty"] as? String } == ["cardiology", "radiology"])
        let stats = try #require(specs[0]["stats"] as? [String: Any])
        let ups = try #require(stats["usv_per_procedure"] as? [String: Any])
        // Cardiology 2023: operator k has hp = 3k + month/10 → mean 3k + 0.65; type 7 Q3 of
        // 3.65, 6.65, 9.65, 12.65 = 9.65 + 0.25 × 3 = 10.4.
        #expect(approx(ups["q3"], 10.4, rel: 1e-12))
        let interval = try #require(ups["q3_interval"] as? [String: Any])
        #expect(interval["lower"] is NSNull)  // n = 4: no 95 % distribution-free interval
        let notif = try #require(specs[0]["notification"] as? [String: Any])
        let n2 = try #require(notif["usv_per_procedure"] as? [String: Any])
        #expect(n2["first"] as? Double == 25)
        #expect(n2["second"] as? Double == 50)
        let n1 = try #require(notif["cumulative_msv"] as? [String: Any])
        #expect(n1["first"] as? Double == 6)

        #expect(try CLIRunner.run(["thresholds", "activate", "1", "--effective", "2024-01-01", "--db", db]).status == 0)
        // Version 2: unrounded, effective mid-2024.
        let c2 = try CLIRunner.run(["calibrate", "--db", db, "--from", "2023-01-01", "--to", "2023-12-31", "--unrounded", "--save", "--activate", "2024-07-01", "--json"])
        #expect(c2.status == 0, "\(c2.stderr)")
        #expect(try c2.json()["version"] as? Int == 2)

        let h1 = try CLIRunner.run(["alerts", "--db", db, "--from", "2024-01-01", "--to", "2024-06-30", "--json"])
        let h2 = try CLIRunner.run(["alerts", "--db", db, "--from", "2024-07-01", "--to", "2024-12-31", "--json"])
        let h3 = try CLIRunner.run(["alerts", "--db", db, "--from", "2024-07-01", "--to", "2024-12-31", "--version", "1", "--json"])
        #expect(try h1.json()["version"] as? Int == 1)
        #expect(try h2.json()["version"] as? Int == 2)
        #expect(try h3.json()["version"] as? Int == 1)
        // With the unrounded Q3 (10.4 µSv), cardiologists 2 (≈ 11.65) is yellow, 4 (≈ 17.65) too; with 25 all green.
        let ops2 = try #require(try h2.json()["operators"] as? [[String: Any]])
        let c2op = try #require(ops2.first { $0["operator_id"] as? String == "C2" })
        #expect((c2op["alerts"] as? [String: Any])?["usv_per_procedure"] as? String == "yellow")
        let ops3 = try #require(try h3.json()["operators"] as? [[String: Any]])
        let c2op1 = try #require(ops3.first { $0["operator_id"] as? String == "C2" })
        #expect((c2op1["alerts"] as? [String: Any])?["usv_per_procedure"] as? String == "green")
        // Alert 1 for a half year: 3 / 10 mSv.
        let n = try #require((try h1.json()["notification"] as? [String: Any])?["cardiology"] as? [String: Any])
        #expect((n["cumulative_msv"] as? [String: Any])?["first"] as? Double == 3)

        let diff = try CLIRunner.run(["thresholds", "diff", "1", "2", "--db", db, "--json"])
        let values = try #require(try diff.json()["values"] as? [[String: Any]])
        #expect(values.count == 6)

        let ov = try CLIRunner.run(["thresholds", "override", "1", "--specialty", "radiology", "--indicator", "pde_kap", "--first", "0.8", "--note", "local", "--db", db, "--json"])
        #expect(ov.status == 0, "\(ov.stderr)")
        let ovj = try ov.json()
        #expect(ovj["version"] as? Int == 3)
        #expect(ovj["derived_from"] as? Int == 1)

        let list = try CLIRunner.run(["thresholds", "list", "--db", db, "--json"])
        let versions = try #require(try list.json()["versions"] as? [[String: Any]])
        #expect(versions.map { $0["version"] as? Int } == [1, 2, 3])
        #expect(versions[0]["effective"] as? [String] == ["2024-01-01"])
        #expect((versions[0]["content_hash"] as? String)?.hasPrefix("sha256-multiset-v1:") == true)
        #expect(versions[0]["content_hash"] as? String == versions[1]["content_hash"] as? String)

        // The store itself refuses to change a saved version.
        let sqlite = ["/usr/bin/sqlite3"].first { FileManager.default.isExecutableFile(atPath: $0) }
        if let sqlite {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: sqlite)
            process.arguments = [db, "UPDATE threshold_versions SET note = 'tampered' WHERE version = 1"]
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus != 0)
        }
        let show = try CLIRunner.run(["thresholds", "show", "1", "--db", db, "--json"])
        #expect(try show.json()["note"] as? String == "2023")
    }

    @Test func directFileAlertsCalibrateOnTheSameFiles() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let (p, e) = try Self.dataset(in: dir)
        let r = try CLIRunner.run(["alerts", "--procedures", p, "--exposures", e, "--from", "2024-01-01", "--to", "2024-12-31", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try r.json()
        #expect(j["version"] is NSNull)
        #expect((j["operators"] as? [[String: Any]])?.count == 8)
    }
}
