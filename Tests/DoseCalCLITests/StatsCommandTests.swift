import ArgumentParser
import Foundation
import Testing
@testable import DoseCalCLI

@Suite("dosecal stats")
struct StatsCommandTests {
    // MARK: input

    @Test("numbers: comments, blank lines, spaces and CRLF are accepted")
    func parseNumbers() throws {
        let text = "# dose per procedure\n 12.5 \n\n\t7\r\n# another comment\n-3e2\n.5\n"
        #expect(try StatsInput.parseNumbers(text, source: "x.txt") == [12.5, 7, -300, 0.5])
    }

    @Test("a bad line is reported with the file, the line number and the text", arguments: [
        ("1\n2\nabc\n", "Line 3 of data.txt: \"abc\" is not a number."),
        ("1\n\n  1,5\n", "Line 3 of data.txt: \"1,5\" is not a number."),
        ("# c\n1\ninf\n", "Line 3 of data.txt: \"inf\" is not a finite number."),
        ("nan\n", "Line 1 of data.txt: \"nan\" is not a finite number."),
        ("0x10\n", "Line 1 of data.txt: \"0x10\" is not a decimal number."),
        ("# only a comment\n\n", "No numbers in data.txt (blank lines and # comments are skipped)."),
        ("", "No numbers in data.txt (blank lines and # comments are skipped)."),
    ])
    func badInput(text: String, message: String) {
        #expect(throws: StatsInputError(message)) { try StatsInput.parseNumbers(text, source: "data.txt") }
    }

    @Test("--p lists are checked")
    func probabilities() throws {
        #expect(try StatsInput.parseProbabilities("0,0.25, 0.5 ,1") == [0, 0.25, 0.5, 1])
        #expect(throws: StatsInputError("--p: 1.5 is outside the range 0 to 1.")) { try StatsInput.parseProbabilities("0.5,1.5") }
        #expect(throws: StatsInputError("--p: -0.1 is outside the range 0 to 1.")) { try StatsInput.parseProbabilities("-0.1") }
        #expect(throws: StatsInputError("--p: \"x\" is not a number; give probabilities like 0.25,0.5,0.75.")) {
            try StatsInput.parseProbabilities("0.5,x")
        }
        #expect(throws: StatsInputError("--p: \"\" is not a number; give probabilities like 0.25,0.5,0.75.")) {
            try StatsInput.parseProbabilities("0.5,")
        }
    }

    @Test("a missing file is one clear sentence")
    func missingFile() {
        #expect(throws: StatsInputError("Cannot read /nonexistent/doses.txt: no such file or it is not readable.")) {
            try StatsInput.read("/nonexistent/doses.txt")
        }
    }

    // MARK: arguments

    @Test("argument errors are validation errors with clear messages", arguments: [
        (["quantile", "--p", "0.5,2"], "outside the range 0 to 1"),
        (["quantile", "--p", "half"], "is not a number"),
        (["quantile", "--type", "10"], "--type must be 1 to 9 (Hyndman & Fan) or hd (Harrell-Davis), not \"10\"."),
        (["describe", "--level", "95"], "--level must lie strictly between 0 and 1"),
        (["describe", "--bootstrap", "0"], "--bootstrap needs a positive number of resamples"),
        (["describe", "--seed=-1"], "--seed must be zero or a positive whole number"),
        (["compare", "-", "-"], "Only one of the two groups can be read from standard input."),
    ])
    func argumentErrors(arguments: [String], message: String) {
        do {
            _ = try StatsCommand.parseAsRoot(arguments)
            Issue.record("\(arguments) was accepted")
        } catch {
            #expect(StatsCommand.message(for: error).contains(message), "\(StatsCommand.message(for: error))")
            #expect(StatsCommand.exitCode(for: error) != .success)
        }
    }

    @Test("defaults: type 7, level 0.95, fixed seed, standard input")
    func defaults() throws {
        let quantile = try #require(try StatsCommand.parseAsRoot(["quantile"]) as? StatsQuantileCommand)
        #expect(quantile.type == "7" && quantile.file == nil && quantile.probabilities == "0.1,0.25,0.5,0.75,0.9")
        let describe = try #require(try StatsCommand.parseAsRoot(["describe", "--type", "hd", "f.txt", "--json"]) as? StatsDescribeCommand)
        #expect(describe.level == 0.95 && describe.seed == 20_240_930 && describe.bootstrap == nil)
        #expect(describe.output.json && describe.file == "f.txt")
    }

    @Test("running on a file with a bad line fails with the line number")
    func runFailsOnBadLine() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stats-bad-\(UUID().uuidString).txt")
        try "4\n5\nfive\n".write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        var command = try StatsCommand.parseAsRoot(["describe", url.path])
        #expect(throws: StatsInputError("Line 3 of \(url.path): \"five\" is not a number.")) { try command.run() }
    }

    @Test("end to end: JSON on stdout from standard input; errors on stderr with a non-zero exit")
    func endToEnd() throws {
        let ok = try CLIRunner.run(["stats", "quantile", "--p", "0.5,0.75", "--json"], stdin: "# doses\n3\n1\n2\n4\n")
        #expect(ok.status == 0, "\(ok.stderr)")
        let json = try ok.json()
        #expect(json["n"] as? Int == 4 && json["type"] as? Int == 7)
        #expect((json["quantiles"] as? [[String: Double]])?.map { $0["value"]! } == [2.5, 3.25])
        let bad = try CLIRunner.run(["stats", "describe"], stdin: "1\n2\n2,5\n")
        #expect(bad.status != 0 && bad.stdout.isEmpty)
        #expect(bad.stderr.contains("Line 3 of standard input: \"2,5\" is not a number."))
        let empty = try CLIRunner.run(["stats", "describe", "--json"], stdin: "\n# none\n")
        #expect(empty.status != 0 && empty.stderr.contains("No numbers in standard input"))
    }

    // MARK: reports

    static func object(_ report: StatsReport) throws -> [String: Any] {
        let parsed = try JSONSerialization.jsonObject(with: Data(report.jsonText.utf8))
        return try #require(parsed as? [String: Any])
    }

    static let radiology: [Double] = [30, 10, 20, 50, 40, 60, 70, 110, 80, 100, 90]
    static let cardiology: [Double] = [12, 15, 9, 22, 18, 16, 14, 30]

    @Test("quantile JSON: n, type, quantiles with p and value")
    func quantileJSON() throws {
        let report = try StatsReports.quantiles(Self.radiology, source: "r.txt", ps: [0, 0.25, 0.75, 1], method: .linear)
        let json = try Self.object(report)
        #expect(json["n"] as? Int == 11)
        #expect(json["type"] as? Int == 7)
        let quantiles = try #require(json["quantiles"] as? [[String: Double]])
        #expect(quantiles.map { $0["p"]! } == [0, 0.25, 0.75, 1])
        #expect(quantiles.map { $0["value"]! } == [10, 35, 85, 110])
        #expect(report.table.contains("type 7 (linear)") && report.table.contains("85"))
        let hd = try Self.object(StatsReports.quantiles(Self.radiology, source: "r.txt", ps: [0.5], method: .harrellDavis))
        #expect(hd["type"] as? String == "hd")
        let type6 = try Self.object(StatsReports.quantiles(Self.radiology, source: "r.txt", ps: [0.75], method: .hyndmanFan(6)))
        #expect((type6["quantiles"] as? [[String: Double]])?.first?["value"] == 90)
    }

    @Test("describe JSON: summary keys and the order-statistic Q3 interval (n = 11 → ranks 5, 11)")
    func describeJSON() throws {
        let report = try StatsReports.describe(Self.radiology, source: "r.txt", method: .linear, level: 0.95, bootstrap: nil, seed: 1)
        let json = try Self.object(report)
        for key in ["n", "mean", "sd", "min", "max", "q1", "median", "q3", "iqr", "type", "geometric_mean", "geometric_sd", "q3_interval"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        #expect(json["q3_bootstrap"] == nil)
        #expect(json["mean"] as? Double == 60 && json["q3"] as? Double == 85 && json["iqr"] as? Double == 50)
        let interval = try #require(json["q3_interval"] as? [String: Any])
        #expect(interval["method"] as? String == "order statistics (binomial, distribution-free)")
        #expect(interval["lower"] as? Double == 50 && interval["upper"] as? Double == 110)
        #expect(interval["lower_rank"] as? Int == 5 && interval["upper_rank"] as? Int == 11)
        #expect(abs((interval["coverage"] as? Double ?? 0) - 0.9502036571502686) < 1e-12)
        #expect(interval["note"] is NSNull)
        #expect(report.table.contains("5-11") && report.table.contains("0.9502"))
    }

    @Test("describe with n = 8: no order-statistic interval, a null pair and a reason")
    func describeNoInterval() throws {
        let json = try Self.object(StatsReports.describe(Self.cardiology, source: "c.txt", method: .linear, level: 0.95, bootstrap: nil, seed: 1))
        let interval = try #require(json["q3_interval"] as? [String: Any])
        #expect(interval["lower"] is NSNull && interval["upper"] is NSNull && interval["coverage"] is NSNull)
        #expect((interval["note"] as? String)?.contains("n = 8") == true)
    }

    @Test("describe --bootstrap: percentile and BCa with resamples and seed, reproducible")
    func describeBootstrap() throws {
        let first = try StatsReports.describe(Self.cardiology, source: "c.txt", method: .linear, level: 0.9, bootstrap: 300, seed: 20_240_930)
        let again = try StatsReports.describe(Self.cardiology, source: "c.txt", method: .linear, level: 0.9, bootstrap: 300, seed: 20_240_930)
        #expect(first.jsonText == again.jsonText)
        let json = try Self.object(first)
        let bootstrap = try #require(json["q3_bootstrap"] as? [String: [String: Any]])
        for (name, method) in [("percentile", "bootstrap percentile"), ("bca", "bootstrap BCa")] {
            let interval = try #require(bootstrap[name])
            #expect(interval["method"] as? String == method)
            #expect(interval["resamples"] as? Int == 300 && interval["seed"] as? Int == 20_240_930)
            #expect(interval["level"] as? Double == 0.9)
            let lower = try #require(interval["lower"] as? Double), upper = try #require(interval["upper"] as? Double)
            #expect(9 <= lower && lower <= upper && upper <= 30)
        }
        #expect(first.table.contains("seed 20240930"))
    }

    @Test("compare JSON: U, p-value and method, Hodges-Lehmann shift B - A with interval, medians and IQRs")
    func compareJSON() throws {
        let report = try StatsReports.compare(
            [19, 22, 16, 29, 24], [20, 11, 17, 12], sourceA: "males", sourceB: "females",
            method: .linear, level: 0.95, bootstrap: nil, seed: 1)
        let json = try Self.object(report)
        #expect(json["n_a"] as? Int == 5 && json["n_b"] as? Int == 4)
        #expect(json["u"] as? Double == 17)
        #expect(abs((json["p_value"] as? Double ?? 0) - 0.1111111111111111) < 1e-14)
        #expect(json["p_method"] as? String == "exact")
        // The 20 differences b - a sorted: ..., -8, -7, -7, -5, ...; the 10th and 11th are -7.
        #expect(json["hodges_lehmann"] as? Double == -7)
        let hl = try #require(json["hl_interval"] as? [String: Any])
        #expect(hl["level"] as? Double == 0.95)
        #expect(hl["lower"] is Double && hl["upper"] is Double)
        #expect(json["median_a"] as? Double == 22 && json["median_b"] as? Double == 14.5)
        #expect(json["iqr_a"] as? Double == 5 && json["iqr_b"] as? Double == 6)
        #expect(json["q3_difference_bootstrap"] == nil)
        #expect(report.table.contains("Mann-Whitney U") && report.table.contains("0.1111"))
    }

    @Test("compare --bootstrap adds the Q3 difference interval")
    func compareBootstrap() throws {
        let json = try Self.object(StatsReports.compare(
            Self.cardiology, Self.radiology, sourceA: "c", sourceB: "r", method: .linear, level: 0.95,
            bootstrap: 200, seed: 5))
        #expect(json["q3_difference"] as? Double == 66)
        let interval = try #require(json["q3_difference_bootstrap"] as? [String: Any])
        #expect(interval["method"] as? String == "bootstrap percentile" && interval["seed"] as? Int == 5)
        #expect(json["p_method"] as? String == "exact permutation (ties)")
    }

    @Test("table numbers: six significant digits, no trailing zeros, dash for missing")
    func formatting() {
        #expect(StatsFormat.number(85) == "85")
        #expect(StatsFormat.number(0.30000000000000004) == "0.3")
        #expect(StatsFormat.number(33.16624790355) == "33.1662")
        #expect(StatsFormat.number(-0.000123456789) == "-0.000123457")
        #expect(StatsFormat.number(nil) == "—" && StatsFormat.number(.nan) == "—")
        #expect(StatsFormat.percent(0.95) == "95 %" && StatsFormat.percent(0.959117) == "95.9 %")
        #expect(StatsFormat.probability(0.00001234) == "1.23e-05")
    }
}
