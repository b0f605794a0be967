import DoseCalDomain
import Testing
@testable import DoseCalStore

@Suite struct DateRangeTests {
    struct Rows: RecordSource {
        var rows: [Procedure]
        var sourceName: String { "mem" }
        mutating func next() throws -> RowOutcome<Procedure>? {
            guard !rows.isEmpty else { return nil }
            return .record(rows.removeFirst(), line: 1)
        }
    }

    @Test func emptyStoreHasNoRangeThenFirstAndLastDay() throws {
        let store = try DoseStore.inMemory()
        #expect(try store.dateRange() == nil)
        let days = ["2024-03-05", "2023-12-31", "2024-11-02"]
        var src = Rows(rows: days.enumerated().map { i, d in
            Procedure(studyUID: "u\(i)", startedAt: d + "T10:00:00", date: CivilDate(iso: d)!, room: "R", specialty: "s", procedureType: "t", kapGyCm2: 1)
        })
        _ = try store.importProcedures(from: &src)
        let range = try #require(try store.dateRange())
        #expect(range.first.description == "2023-12-31")
        #expect(range.last.description == "2024-11-02")
    }
}
