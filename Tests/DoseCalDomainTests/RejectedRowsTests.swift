import Testing
@testable import DoseCalDomain

@Suite struct RejectedRowsTests {
    static func rejection(_ i: Int) -> RowRejection {
        let rules: [RejectionRule] = [.unknownStudy, .negativeValue, .duplicateInImport]
        return RowRejection(location: SourceLocation(file: "e.csv", line: i + 2), rule: rules[i % 3], reason: "r\(i)")
    }

    @Test("the first rows are listed, every row is counted", arguments: [0, 1, 5, 50])
    func listsTheFirst(limit: Int) {
        var rows = RejectedRows(limit: limit)
        for i in 0..<20 { rows.append(Self.rejection(i)) }
        #expect(rows.count == 20)
        #expect(rows.listed == (0..<min(limit, 20)).map(Self.rejection))
        #expect(rows.byRule == [.unknownStudy: 7, .negativeValue: 7, .duplicateInImport: 6])
        #expect(rows.isFull == (limit <= 20))
    }

    @Test("appending a list equals appending its rows one by one, wherever either list ends",
          arguments: [0, 1, 3, 8, 12, 30])
    func appendingAList(limit: Int) {
        for split in [0, 4, 9, 20] {
            var one = RejectedRows(limit: limit), first = RejectedRows(limit: limit), second = RejectedRows(limit: limit)
            for i in 0..<20 {
                one.append(Self.rejection(i))
                if i < split { first.append(Self.rejection(i)) } else { second.append(Self.rejection(i)) }
            }
            first.append(contentsOf: second)
            #expect(first == one, "limit \(limit), split \(split)")
        }
    }

    @Test func rowsCountedAfterAFullList() {
        var rows = RejectedRows(limit: 2)
        for i in 0..<3 { rows.append(Self.rejection(i)) }
        rows.count(.unknownStudy, times: 4)
        rows.count(.badValue, times: 0)
        #expect(rows.count == 7 && rows.listed.count == 2)
        #expect(rows.byRule == [.unknownStudy: 5, .negativeValue: 1, .duplicateInImport: 1])
    }

    @Test func aListedRowIsReworded() {
        var rows = RejectedRows(limit: 5)
        for i in 0..<3 { rows.append(Self.rejection(i)) }
        let worded = RowRejection(location: SourceLocation(file: "e.csv", line: 4, column: "study_uid"), rule: .duplicateInImport,
                                  reason: "duplicate of line 3")
        rows.replaceListed(at: 2, with: worded)
        rows.mapListed { r in
            var r = r
            r.location.line = r.location.line.map { $0 + 100 }
            return r
        }
        #expect(rows.listed.map(\.location.line) == [102, 103, 104])
        #expect(rows.listed[2].reason == "duplicate of line 3")
        #expect(rows.byRule == [.unknownStudy: 1, .negativeValue: 1, .duplicateInImport: 1])
    }
}
