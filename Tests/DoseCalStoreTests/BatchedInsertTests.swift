import DoseCalDomain
import Testing
@testable import DoseCalStore

/// Multi-row inserts (``BatchedInsert``) must give exactly what one statement per row gives:
/// the same summaries, the same errors at the same lines, the same stored rows.
@Suite("Imports: rows grouped into multi-row statements")
struct BatchedInsertTests {
    /// What one import into a fresh sample store did: its summary or its error, and the records after.
    struct Run: Equatable {
        var summary: ImportSummary?
        var error: String?
        var records: [String: [String]]
    }

    static func run(_ rows: [Scripted<Exposure>], rowsPerStatement: Int, strict: Bool = false) throws -> Run {
        try run(rows, file: "e.csv", rowsPerStatement: rowsPerStatement, tables: ["exposures", "procedures"]) { batch, source in
            try batch.importExposures(from: &source, fileHash: "e2", strict: strict)
        }
    }

    /// One import of `rows` (read as file `file`) into a fresh sample store, and the given tables after.
    static func run<R>(_ rows: [Scripted<R>], file: String, rowsPerStatement: Int, tables: Set<String>,
                       _ importRows: (ImportSession, inout ArraySource<R>) throws -> ImportSummary) throws -> Run {
        let store = try sampleStore()
        var source = ArraySource(file, rows)
        var run = Run(records: [:])
        do {
            run.summary = try store.importBatch(rowsPerStatement: rowsPerStatement) { try importRows($0, &source) }
        } catch {
            run.error = "\(error)"
        }
        run.records = try dump(store).filter { tables.contains($0.key) }
        return run
    }

    static let scripts: [(name: String, rows: [Scripted<Exposure>])] = [
        ("all new", (0..<9).map { .record(exposure("1.\($0 % 5 + 1)", "OPN\($0)", hp10: Double($0))) }),
        ("a conflict with a stored row mid-group", [
            .record(exposure("1.1", "OPN1", hp10: 1)), .record(exposure("1.2", "OPN1", hp10: 2)),
            .record(exposure("1.2", "OP2", hp10: 9)), .record(exposure("1.3", "OPN1", hp10: 3)),
            .record(exposure("1.4", "OPN1", hp10: 4)),
        ]),
        ("a repeated row and a conflicting repeat", [
            .record(exposure("1.1", "OPN1", hp10: 1)), .record(exposure("1.1", "OPN1", hp10: 1)),
            .record(exposure("1.2", "OPN1", hp10: 2)), .record(exposure("1.3", "OPN1", hp10: 3)),
            .record(exposure("1.2", "OPN1", hp10: 2.5)), .record(exposure("1.4", "OPN1", hp10: 4)),
        ]),
        ("repeats with the same values only", [
            .record(exposure("1.1", "OPN1", hp10: 1)), .record(exposure("1.1", "OPN1", hp10: 1)),
            .record(exposure("1.2", "OPN1", hp10: 2)), .record(exposure("1.2", "OPN1", hp10: 2)),
            .record(exposure("1.3", "OPN1", hp10: 3)), .record(exposure("1.1", "OPN1", hp10: 1)),
            .record(exposure("1.4", "OPN1", hp10: 4)), .record(exposure("1.5", "OPN1", hp10: 5)),
        ]),
        ("unknown studies", [
            .record(exposure("1.1", "OPN1", hp10: 1)), .record(exposure("9.9", "OPN1", hp10: 2)),
            .record(exposure("1.3", "OPN1", hp10: 3)), .record(exposure("1.4", "OPN1", hp10: 4)),
            .record(exposure("9.8", "OPN1", hp10: 5)), .record(exposure("1.5", "OPN1", hp10: 6)),
            .record(exposure("1.2", "OPN1", hp10: 7)), .record(exposure("1.1", "OPN2", hp10: 8)),
        ]),
        ("an overlapping re-import", sampleExposures.map { .record($0) } + [
            .record(exposure("1.1", "OPN1", hp10: 1)), .record(exposure("1.3", "OPN1", hp10: 3)),
            .record(exposure("1.4", "OPN1", hp10: 4)), .record(exposure("1.5", "OPN1", hp10: 5)),
        ]),
        ("source rejections between rows", [
            .record(exposure("1.1", "OPN1", hp10: 1)), .record(exposure("1.2", "OPN1", hp10: 2)),
            .rejected(.negativeValue, "hp10_usv is negative"), .record(exposure("1.3", "OPN1", hp10: 3)),
            .record(exposure("1.4", "OPN1", hp10: .nan)), .record(exposure("1.5", "OPN1", hp10: 5)),
            .record(exposure("9.9", "OPN1", hp10: 6)), .record(exposure("1.1", "OPN1", hp10: 1)),
        ]),
        ("a conflict queued before the source fails", [
            .record(exposure("1.1", "OPN1", hp10: 1)), .record(exposure("1.2", "OP2", hp10: 9)), .failure,
        ]),
        ("the source fails after clean rows", [
            .record(exposure("1.1", "OPN1", hp10: 1)), .record(exposure("1.2", "OPN1", hp10: 2)),
            .record(exposure("1.3", "OPN1", hp10: 3)), .failure,
        ]),
    ]

    @Test(arguments: scripts.indices, [2, 3, 4])
    func groupedStatementsMatchOneStatementPerRow(_ script: Int, rowsPerStatement: Int) throws {
        let rows = Self.scripts[script].rows
        for strict in [false, true] {
            let reference = try Self.run(rows, rowsPerStatement: 1, strict: strict)
            let grouped = try Self.run(rows, rowsPerStatement: rowsPerStatement, strict: strict)
            #expect(grouped == reference, "\(Self.scripts[script].name), strict \(strict)")
        }
    }

    /// Procedures take the general multi-row statement (`INSERT OR IGNORE … VALUES`): stored
    /// keys, repeats inside a group and between groups, source rejections and failures must
    /// come out as with one statement per row.
    @Test(arguments: [2, 3, 4])
    func groupedProceduresMatchOneStatementPerRow(rowsPerStatement: Int) throws {
        func run(_ rows: [Scripted<Procedure>], _ perStatement: Int, strict: Bool) throws -> Run {
            try Self.run(rows, file: "p.csv", rowsPerStatement: perStatement, tables: ["procedures"]) { batch, source in
                try batch.importProcedures(from: &source, fileHash: "p2", strict: strict)
            }
        }
        let stored = sampleProcedures[0]
        var changed = stored
        changed.room = "C9"
        let scripts: [[Scripted<Procedure>]] = [
            (0..<7).map { .record(procedure("7.\($0)", "2025-03-0\($0 + 1)")) },
            [.record(procedure("7.1", "2025-03-01")), .record(stored), .record(procedure("7.2", "2025-03-02")),
             .record(procedure("7.1", "2025-03-01")), .record(procedure("7.3", "2025-03-03")),
             .rejected(.negativeValue, "kap_gycm2 is negative"), .record(procedure("7.2", "2025-03-04")),
             .record(procedure("7.4", "2025-03-04"))],
            [.record(procedure("7.1", "2025-03-01")), .record(procedure("7.2", "2025-03-02")), .record(changed),
             .record(procedure("7.3", "2025-03-03"))],
            [.record(procedure("7.1", "2025-03-01")), .record(procedure("7.2", "2025-03-02")), .failure],
        ]
        for (k, rows) in scripts.enumerated() {
            for strict in [false, true] {
                let reference = try run(rows, 1, strict: strict)
                let grouped = try run(rows, rowsPerStatement, strict: strict)
                #expect(grouped == reference, "script \(k), strict \(strict)")
            }
        }
    }

    @Test func aConflictInAFullGroupLeavesTheStoreUnchanged() throws {
        let before = try dump(sampleStore()).filter { $0.key == "exposures" || $0.key == "procedures" }
        let rows = Self.scripts[1].rows
        let run = try Self.run(rows, rowsPerStatement: 4)
        #expect(run.summary == nil)
        #expect(run.error?.hasPrefix("e.csv:4: the exposures row with study_uid 1.2, operator_id OP2 is already stored") == true)
        #expect(run.records == before)
    }

    @Test func unknownStudiesInAFullGroupAreRejectedOneByOne() throws {
        let run = try Self.run(Self.scripts[4].rows, rowsPerStatement: 4)
        let summary = try #require(run.summary)
        #expect(summary.imported == 6 && summary.rejectedByRule == [.unknownStudy: 2])
        #expect(summary.rejections.map(\.location.line) == [3, 6])
        #expect(summary.rejections.map(\.location.value) == ["9.9", "9.8"])
    }

    @Test func repeatsInsideAGroupAreRejectedWithTheirLines() throws {
        let run = try Self.run(Self.scripts[3].rows, rowsPerStatement: 4)
        let summary = try #require(run.summary)
        #expect(summary.imported == 5 && summary.unchanged == 0)
        #expect(summary.rejectedByRule == [.duplicateInImport: 3])
        #expect(summary.rejections.map(\.location.line) == [3, 5, 7])
    }

    /// Exposures resolve their studies in a join (``ExposureKind/insertSQL(rows:)``): the rows of
    /// a group must still go in in file order, so the later of two rows with one key is the one
    /// compared with the stored row, and rowids follow the file.
    @Test func aGroupGoesInInFileOrder() throws {
        let rows: [Scripted<Exposure>] = [
            .record(exposure("1.3", "OPN1", hp10: 1)), .record(exposure("1.1", "OPN1", hp10: 2)),
            .record(exposure("1.3", "OPN1", hp10: 3)), .record(exposure("1.2", "OPN1", hp10: 4)),
        ]
        let run = try Self.run(rows, rowsPerStatement: 4)
        #expect(run.error?.hasPrefix("e.csv:4: ") == true, "\(run.error ?? "no error")")
        #expect(run.error?.contains("OPN1 appears earlier in the same import with different values (hp10_usv: stored 1.0, file 3.0") == true, "\(run.error ?? "no error")")

        let store = try sampleStore()
        var source = ArraySource("e.csv", Array(rows.prefix(2) + rows.suffix(1)))
        _ = try store.importBatch(rowsPerStatement: 3) { try $0.importExposures(from: &source) }
        let order = try store.queue.read { db in
            try String.fetchAll(db, sql: """
                SELECT p.study_uid FROM exposures e JOIN procedures p ON p.id = e.procedure_id
                WHERE e.operator_id = 'OPN1' ORDER BY e.rowid
                """)
        }
        #expect(order == ["1.3", "1.1", "1.2"])
    }
}
