import Foundation
import Testing

/// `dosecal stats … --column NAME` reads one column of a CSV.
@Suite struct StatsColumnTests {
    @Test func quantilesOfACSVColumn() throws {
        let dir = try CLIRunner.temporaryDirectory()
        // numpy.quantile([1, 2, 4, 8, 16], [0.25, 0.5, 0.75]) = [2, 4, 8]; the empty cell is skipped.
        let path = try CLIRunner.write("name,x\n\"a, b\",1\nc,2\nd,\ne,4\nf,8\ng,16\n", to: "v.csv", in: dir)
        let r = try CLIRunner.run(["stats", "quantile", "--column", "x", "--p", "0.25,0.5,0.75", path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let q = try #require(try r.json()["quantiles"] as? [[String: Any]])
        #expect(q.map { $0["value"] as? Double } == [2, 4, 8])
        #expect(try r.json()["n"] as? Int == 5)
    }

    @Test func aNonNumberNamesTheLine() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let path = try CLIRunner.write("x\n1\nabc\n", to: "v.csv", in: dir)
        let r = try CLIRunner.run(["stats", "describe", "--column", "x", path])
        #expect(r.status != 0)
        #expect(r.stderr.contains("3"))
        #expect(r.stderr.contains("abc"))
    }
}
