import Testing
@testable import DoseCalDomain

@Suite struct ImportSummaryTests {
    @Test func countsEveryRejectionButKeepsABoundedList() {
        var s = ImportSummary(kind: "exposures", source: "e.csv")
        let n = ImportSummary.listedRejectionLimit + 2500
        for i in 0..<n {
            s.reject(RowRejection(location: SourceLocation(file: "e.csv", line: i + 2), rule: i % 2 == 0 ? .unknownStudy : .negativeValue, reason: "x"))
        }
        #expect(s.rejected == n)
        #expect(s.rejections.count == ImportSummary.listedRejectionLimit)
        #expect(s.rejections.first?.location.line == 2)
        #expect(s.rejectedByRule[.unknownStudy] == (n + 1) / 2)
        #expect(s.rejectedByRule[.negativeValue] == n / 2)
    }
}
