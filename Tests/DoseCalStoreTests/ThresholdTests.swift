import DoseCalDomain
import GRDB
import Testing
@testable import DoseCalStore

@Suite("Threshold versions")
struct ThresholdTests {
    static func proposal(note: String = "2024 calibration") -> ThresholdSet {
        ThresholdSet(
            createdAt: "2024-10-01T08:00:00Z", author: "physicist", note: note, periodFrom: day("2024-01-01"),
            periodTo: day("2024-09-30"), quantileMethod: "type 7 (linear)", estimator: .ratioOfSums,
            rounding: ["usv_per_procedure": 25, "pde_kap": 0.5, "pct_reference": 5], limits: .standard,
            proceduresUsed: 3373, exposuresUsed: 5210, contentHash: "sha256-multiset-v1:abc",
            specialties: [
                SpecialtyThresholds(specialty: "cardiology", operators: 8, procedures: 1088,
                                    values: ["usv_per_procedure": NotificationValues(first: 25, second: 50),
                                             "pde_kap": NotificationValues(first: 0.5, second: 1)],
                                    q3: ["usv_per_procedure": 18.0, "pde_kap": 0.30000000000000004]),
                SpecialtyThresholds(specialty: "radiology", operators: 11, procedures: 2285,
                                    values: ["usv_per_procedure": NotificationValues(first: 25, second: 50)],
                                    q3: ["usv_per_procedure": 21.1]),
            ])
    }

    @Test func versionsAreNumberedAndRoundTrip() throws {
        let store = try DoseStore.inMemory()
        let v1 = try store.saveThresholdSet(Self.proposal())
        #expect(v1.version == 1)
        let derived = try v1.overriding(specialty: "radiology", indicator: .pdeKap, first: 0.75, second: nil,
                                        createdAt: "2024-10-02T08:00:00Z", author: "admin", note: "local override")
        let v2 = try store.saveThresholdSet(derived)
        #expect(v2.version == 2 && v2.derivedFrom == 1)
        #expect(try store.saveThresholdSet(Self.proposal(note: "again")).version == 3)

        #expect(try store.thresholdSet(version: 1) == v1)
        #expect(try store.thresholdSet(version: 2) == v2)
        #expect(try store.thresholdSets().map(\.version) == [1, 2, 3])
        #expect(throws: DomainError.unknownThresholdVersion(4)) { try store.thresholdSet(version: 4) }

        var orphan = Self.proposal()
        orphan.derivedFrom = 9
        #expect(throws: DomainError.unknownThresholdVersion(9)) { try store.saveThresholdSet(orphan) }

        let body = try store.queue.read { db in try String.fetchOne(db, sql: "SELECT body FROM threshold_versions WHERE version = 1") }
        #expect(body?.hasPrefix("{\"author\":\"physicist\",\"contentHash\"") == true, "sorted keys")
    }

    @Test func versionsAreImmutableInTheDatabase() throws {
        let store = try DoseStore.inMemory()
        _ = try store.saveThresholdSet(Self.proposal())
        _ = try store.activate(version: 1, effective: day("2024-10-01"))
        let before = try dump(store)
        for (sql, message) in [
            ("UPDATE threshold_versions SET note = 'x'", "threshold versions are immutable"),
            ("DELETE FROM threshold_versions", "threshold versions are immutable"),
            ("INSERT OR REPLACE INTO threshold_versions SELECT version, created_at, 'someone else', note, period_from, period_to, content_hash, derived_from, body FROM threshold_versions",
             "threshold versions are immutable"),
            ("UPDATE threshold_activations SET effective = '2020-01-01'", "threshold activations are append-only"),
            ("DELETE FROM threshold_activations", "threshold activations are append-only"),
            ("INSERT OR REPLACE INTO threshold_activations (sequence, version, effective, activated_at) VALUES (1, 1, '2020-01-01', 'now')",
             "threshold activations are append-only"),
        ] {
            let error = #expect(throws: DatabaseError.self, "\(sql)") {
                try store.queue.write { db in try db.execute(sql: sql) }
            }
            #expect(error?.message == message, "\(sql)")
        }
        #expect(try dump(store) == before)
    }

    @Test func theVersionInForceFollowsTheActivations() throws {
        let store = try DoseStore.inMemory()
        _ = try store.saveThresholdSet(Self.proposal())
        _ = try store.saveThresholdSet(Self.proposal(note: "second"))
        #expect(try store.versionInForce(on: day("2025-01-01")) == nil)

        let a1 = try store.activate(version: 1, effective: day("2024-01-01"), activatedAt: "2024-01-02T10:00:00Z")
        let a2 = try store.activate(version: 2, effective: day("2024-07-01"), activatedAt: "2024-06-20T10:00:00Z")
        #expect(a1 == ThresholdActivation(version: 1, effective: day("2024-01-01"), activatedAt: "2024-01-02T10:00:00Z", sequence: 1))
        #expect(a2.sequence == 2)
        #expect(try store.activations() == [a1, a2])

        #expect(try store.versionInForce(on: day("2023-12-31")) == nil)
        #expect(try store.versionInForce(on: day("2024-01-01")) == 1)
        #expect(try store.versionInForce(on: day("2024-06-30")) == 1)
        #expect(try store.versionInForce(on: day("2024-07-01")) == 2)
        #expect(try store.versionInForce(on: day("2025-03-01")) == 2)

        // Re-activating version 1 on the same effective date: the later activation wins.
        _ = try store.activate(version: 1, effective: day("2024-07-01"))
        #expect(try store.versionInForce(on: day("2024-08-01")) == 1)
        #expect(try store.activations().last?.activatedAt.hasSuffix("Z") == true)

        #expect(throws: DomainError.unknownThresholdVersion(7)) { try store.activate(version: 7, effective: day("2024-01-01")) }
        #expect(try store.counts().activations == 3)
    }
}
