import Testing
@testable import DoseCalCSV

@Suite("CSVColumnReader")
struct CSVColumnReaderTests {
    func values(_ text: String, _ column: String, chunkSize: Int = CSVReader.defaultChunkSize) throws(CSVError) -> [Double] {
        var reader = try CSVColumnReader(reader: CSVReader(bytes: Array(text.utf8), name: "v.csv", chunkSize: chunkSize), column: column)
        var out: [Double] = []
        while let v = try reader.next() { out.append(v) }
        return out
    }

    @Test("reads a column, skipping empty cells", arguments: chunkSizes)
    func readsColumn(chunkSize: Int) throws {
        let text = "id,x,y\n1,1.5,a\n2,,b\n3, 2e3 ,c\n4,\"-0.25\",\"d,e\"\n5,  ,f\n"
        #expect(try values(text, "x", chunkSize: chunkSize) == [1.5, 2000, -0.25])
        #expect(try values(text, "id", chunkSize: chunkSize) == [1, 2, 3, 4, 5])
    }

    @Test func nonNumberNamesLineAndValue() {
        let error = #expect(throws: CSVError.self) { try values("x,note\n1,a\n2,\"multi\nline\"\nabc,b\n", "x") }
        #expect(error?.kind == .notANumber)
        #expect(error?.line == 5)
        #expect(error?.value == "abc")
        #expect(error?.description == "v.csv:5: column x: \"abc\" is not a finite decimal number")
    }

    @Test func nonFiniteIsNotANumber() {
        let error = #expect(throws: CSVError.self) { try values("x\n1e999\n", "x") }
        #expect(error?.kind == .notANumber)
    }

    @Test func missingColumn() {
        let error = #expect(throws: CSVError.self) { try values("a,b\n1,2\n", "kap") }
        #expect(error?.description == "v.csv: missing required column: kap")
    }

    @Test func raggedRow() {
        let error = #expect(throws: CSVError.self) { try values("a,b\n1,2\n3\n", "b") }
        #expect(error?.kind == .fieldCount)
        #expect(error?.line == 3)
    }

    @Test func fromAFile() throws {
        let path = try writeTemporaryFile("kap_gycm2,other\n10,x\n20.5,y\n", named: "p.csv")
        #expect(try CSVColumnReader.values(ofColumn: "kap_gycm2", path: path) == [10, 20.5])
    }
}
