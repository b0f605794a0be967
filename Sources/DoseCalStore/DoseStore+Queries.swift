import DoseCalDomain
import GRDB

/// One operator's reading joined with its procedure: what ``DoseStore/forEachReading(in:_:)``
/// streams. Units as in ``DoseCalDomain/Procedure`` and ``DoseCalDomain/Exposure``.
public struct StoredReading: Sendable, Hashable {
    public var studyUID: String
    public var date: CivilDate
    public var room: String
    public var specialty: String
    public var procedureType: String
    /// Gy·cm²; `nil` when unknown.
    public var kapGyCm2: Double?
    /// Hp(10) of the C-arm reference dosimeter, µSv.
    public var refDosimeterMicroSv: Double?
    public var operatorID: String
    public var dosimeterID: String
    public var role: OperatorRole?
    /// Hp(10) over the apron, µSv.
    public var hp10MicroSv: Double
    public var hp10FluoroMicroSv: Double?
    public var hp10AcqMicroSv: Double?

    public init(studyUID: String, date: CivilDate, room: String, specialty: String, procedureType: String,
                kapGyCm2: Double?, refDosimeterMicroSv: Double?, operatorID: String, dosimeterID: String,
                role: OperatorRole?, hp10MicroSv: Double, hp10FluoroMicroSv: Double?, hp10AcqMicroSv: Double?) {
        self.studyUID = studyUID
        self.date = date
        self.room = room
        self.specialty = specialty
        self.procedureType = procedureType
        self.kapGyCm2 = kapGyCm2
        self.refDosimeterMicroSv = refDosimeterMicroSv
        self.operatorID = operatorID
        self.dosimeterID = dosimeterID
        self.role = role
        self.hp10MicroSv = hp10MicroSv
        self.hp10FluoroMicroSv = hp10FluoroMicroSv
        self.hp10AcqMicroSv = hp10AcqMicroSv
    }
}

/// One row of the `imports` log.
public struct ImportRecord: Sendable, Hashable {
    public var id: Int
    /// `procedures`, `exposures`, `operators` or `memory`.
    public var kind: String
    public var source: String
    public var fileHash: String?
    /// ISO 8601 UTC.
    public var importedAt: String
    public var rowsRead: Int
    public var rowsImported: Int
    public var rowsUnchanged: Int
    public var rowsRejected: Int
}

extension DoseStore {
    // MARK: Roster

    /// The roster: operator → specialty.
    public func roster() throws -> [String: String] {
        try read { db in
            var roster: [String: String] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT operator_id, specialty FROM operators")
            while let row = try rows.next() {
                roster[try row.decode(String.self, atIndex: 0)] = try row.decode(String.self, atIndex: 1)
            }
            return roster
        }
    }

    /// The roster entries, by operator id.
    public func operators() throws -> [OperatorInfo] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT operator_id, specialty, name, subspecialty FROM operators ORDER BY operator_id")
                .map { row in
                    OperatorInfo(operatorID: try row.decode(atIndex: 0), specialty: try row.decode(atIndex: 1),
                                 name: try row.decode(atIndex: 2), subspecialty: try row.decode(atIndex: 3))
                }
        }
    }

    // MARK: Readings

    /// Streams every exposure whose procedure falls in `period` (both days included, on the
    /// date part of `started_at`), joined with its procedure, ordered by day, study and operator.
    ///
    /// Feed it to ``DoseCalDomain/IndicatorBuilder/add(operatorID:hp10MicroSv:specialty:procedureType:kapGyCm2:refMicroSv:)``
    /// (or use ``indicatorBuilder(for:roster:)``). `body` runs inside the store's read access:
    /// it must not call the store again.
    /// - Complexity: O(k log N) for k readings in the period (index range scan on `day`, then
    ///   each procedure's exposures as a range of the exposures key); memory O(1).
    public func forEachReading(in period: Period, _ body: (StoredReading) throws -> Void) throws {
        try read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT p.study_uid, p.day, p.room, p.specialty, p.procedure_type, p.kap_gycm2, p.ref_dosimeter_usv,
                       e.operator_id, e.dosimeter_id, e.role, e.hp10_usv, e.hp10_fluoro_usv, e.hp10_acq_usv
                FROM procedures p JOIN exposures e ON e.procedure_id = p.id
                WHERE p.day BETWEEN ? AND ?
                ORDER BY p.day, p.study_uid, e.operator_id
                """, arguments: [period.from.dayNumber, period.to.dayNumber])
            while let row = try rows.next() {
                try body(StoredReading(
                    studyUID: try row.decode(atIndex: 0), date: CivilDate(dayNumber: try row.decode(atIndex: 1)),
                    room: try row.decode(atIndex: 2), specialty: try row.decode(atIndex: 3),
                    procedureType: try row.decode(atIndex: 4), kapGyCm2: try row.decode(atIndex: 5),
                    refDosimeterMicroSv: try row.decode(atIndex: 6), operatorID: try row.decode(atIndex: 7),
                    dosimeterID: try row.decode(atIndex: 8),
                    role: (try row.decode(String?.self, atIndex: 9)).flatMap(OperatorRole.init(rawValue:)),
                    hp10MicroSv: try row.decode(atIndex: 10), hp10FluoroMicroSv: try row.decode(atIndex: 11),
                    hp10AcqMicroSv: try row.decode(atIndex: 12)))
            }
        }
    }

    /// Procedures per specialty in `period` (SPEC §8: "the specialty's procedures").
    public func procedureCountsBySpecialty(in period: Period) throws -> [String: Int] {
        try read { db in
            var counts: [String: Int] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT specialty, COUNT(*) FROM procedures WHERE day BETWEEN ? AND ? GROUP BY specialty
                """, arguments: [period.from.dayNumber, period.to.dayNumber])
            while let row = try rows.next() {
                counts[try row.decode(String.self, atIndex: 0)] = try row.decode(Int.self, atIndex: 1)
            }
            return counts
        }
    }

    // MARK: Records

    /// Streams the procedures of `period` (of one specialty when given), by day then study.
    ///
    /// `body` runs inside the store's read access: it must not call the store again.
    /// - Complexity: O(k log N) for k procedures in the period; memory O(1).
    public func forEachProcedure(in period: Period, specialty: String? = nil, _ body: (Procedure) throws -> Void) throws {
        var arguments: StatementArguments = [period.from.dayNumber, period.to.dayNumber]
        var filter = ""
        if let specialty {
            filter = " AND specialty = ?"
            arguments += [specialty]
        }
        try forEachProcedure(where: "day BETWEEN ? AND ?\(filter)", arguments: arguments, body)
    }

    /// Streams the procedures matching an SQL condition on `procedures`, by day then study.
    private func forEachProcedure(where condition: String, arguments: StatementArguments, _ body: (Procedure) throws -> Void) throws {
        try read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT study_uid, started_at, day, room, specialty, procedure_type, kap_gycm2, kap_fluoro_gycm2,
                       kap_acq_gycm2, fluoro_time_s, ka_rp_mgy, ref_dosimeter_usv
                FROM procedures WHERE \(condition) ORDER BY day, study_uid
                """, arguments: arguments)
            while let row = try rows.next() {
                try body(Procedure(
                    studyUID: try row.decode(atIndex: 0), startedAt: try row.decode(atIndex: 1),
                    date: CivilDate(dayNumber: try row.decode(atIndex: 2)), room: try row.decode(atIndex: 3),
                    specialty: try row.decode(atIndex: 4), procedureType: try row.decode(atIndex: 5),
                    kapGyCm2: try row.decode(atIndex: 6), kapFluoroGyCm2: try row.decode(atIndex: 7),
                    kapAcqGyCm2: try row.decode(atIndex: 8), fluoroTimeS: try row.decode(atIndex: 9),
                    kaRPMilliGy: try row.decode(atIndex: 10), refDosimeterMicroSv: try row.decode(atIndex: 11)))
            }
        }
    }

    /// The procedures of `period` (of one specialty when given), by day then study.
    public func procedures(in period: Period, specialty: String? = nil) throws -> [Procedure] {
        var result: [Procedure] = []
        try forEachProcedure(in: period, specialty: specialty) { result.append($0) }
        return result
    }

    /// Streams the exposures whose procedures fall in `period` (of one specialty when given),
    /// by day, study and operator. `body` must not call the store again.
    public func forEachExposure(in period: Period, specialty: String? = nil, _ body: (Exposure) throws -> Void) throws {
        try read { db in
            var arguments: StatementArguments = [period.from.dayNumber, period.to.dayNumber]
            var filter = ""
            if let specialty {
                filter = " AND p.specialty = ?"
                arguments += [specialty]
            }
            let rows = try Row.fetchCursor(db, sql: """
                SELECT p.study_uid, e.operator_id, e.dosimeter_id, e.role, e.hp10_usv, e.hp10_fluoro_usv, e.hp10_acq_usv
                FROM procedures p JOIN exposures e ON e.procedure_id = p.id
                WHERE p.day BETWEEN ? AND ?\(filter)
                ORDER BY p.day, p.study_uid, e.operator_id
                """, arguments: arguments)
            while let row = try rows.next() {
                try body(Exposure(
                    studyUID: try row.decode(atIndex: 0), operatorID: try row.decode(atIndex: 1),
                    dosimeterID: try row.decode(atIndex: 2),
                    role: (try row.decode(String?.self, atIndex: 3)).flatMap(OperatorRole.init(rawValue:)),
                    hp10MicroSv: try row.decode(atIndex: 4), hp10FluoroMicroSv: try row.decode(atIndex: 5),
                    hp10AcqMicroSv: try row.decode(atIndex: 6)))
            }
        }
    }

    /// The exposures whose procedures fall in `period` (of one specialty when given).
    public func exposures(in period: Period, specialty: String? = nil) throws -> [Exposure] {
        var result: [Exposure] = []
        try forEachExposure(in: period, specialty: specialty) { result.append($0) }
        return result
    }

    /// The order-independent content hash (``DoseCalDomain/RecordHasher``) of the procedures of
    /// `period` (of one specialty when given) and their exposures: the provenance a threshold
    /// version records (SPEC §5). The same records give the same hash whatever order they were
    /// imported in.
    /// - Returns: the hash, and how many procedures and exposures it covers.
    public func contentHash(in period: Period, specialty: String? = nil) throws -> (hash: String, procedures: Int, exposures: Int) {
        var hasher = RecordHasher()
        var procedures = 0, exposures = 0
        try forEachProcedure(in: period, specialty: specialty) {
            hasher.add($0)
            procedures += 1
        }
        try forEachExposure(in: period, specialty: specialty) {
            hasher.add($0)
            exposures += 1
        }
        return (hasher.finalize(), procedures, exposures)
    }

    /// Procedures of `period` with no occupational reading at all (SPEC §7: a hub or dosimeter
    /// was disconnected), by day then study.
    public func proceduresWithoutExposures(in period: Period) throws -> [Procedure] {
        var result: [Procedure] = []
        try forEachProcedure(
            where: "day BETWEEN ? AND ? AND NOT EXISTS (SELECT 1 FROM exposures e WHERE e.procedure_id = procedures.id)",
            arguments: [period.from.dayNumber, period.to.dayNumber]) { result.append($0) }
        return result
    }

    // MARK: Data quality

    /// Every stored dosimeter memory reading, by dosimeter then period.
    public func memoryReadings() throws -> [DosimeterMemoryReading] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT dosimeter_id, read_at, cumulative_usv, period_from, period_to FROM memory_readings
                ORDER BY dosimeter_id, period_from, period_to
                """).map { row in
                let fromText: String = try row.decode(atIndex: 3), toText: String = try row.decode(atIndex: 4)
                guard let from = CivilDate(iso: fromText), let to = CivilDate(iso: toText) else {
                    throw StoreError.database(message: "memory_readings holds a period that is not YYYY-MM-DD (\(fromText)..\(toText))",
                                              code: 0, sql: nil, arguments: nil)
                }
                return DosimeterMemoryReading(dosimeterID: try row.decode(atIndex: 0), readAt: try row.decode(atIndex: 1),
                                              cumulativeMicroSv: try row.decode(atIndex: 2), period: try Period(from: from, to: to))
            }
        }
    }

    /// Σ Hp(10), µSv, of a dosimeter's exposures whose procedures fall in `period`: the stored
    /// side of the SPEC §7 reconciliation with the dosimeter's memory reading. Summed with
    /// Neumaier compensation, in day and study order; 0 when there is none.
    /// - Complexity: O(k) for the k readings of the period (there is no index by dosimeter:
    ///   it would slow every bulk import; use ``storedSums(in:)`` for many dosimeters).
    public func storedSum(dosimeterID: String, period: Period) throws -> Double {
        try read { db in
            var sum = CompensatedSum()
            let values = try Double.fetchCursor(db, sql: """
                SELECT e.hp10_usv FROM exposures e JOIN procedures p ON p.id = e.procedure_id
                WHERE e.dosimeter_id = ? AND p.day BETWEEN ? AND ?
                ORDER BY p.day, p.study_uid
                """, arguments: [dosimeterID, period.from.dayNumber, period.to.dayNumber])
            while let v = try values.next() { sum.add(v) }
            return sum.value
        }
    }

    /// Σ Hp(10), µSv, per dosimeter over the exposures whose procedures fall in `period`: every
    /// dosimeter's ``storedSum(dosimeterID:period:)`` in one pass.
    /// - Complexity: O(k) for k readings in the period; memory O(dosimeters).
    public func storedSums(in period: Period) throws -> [String: Double] {
        var sums: [String: CompensatedSum] = [:]
        try forEachReading(in: period) { sums[$0.dosimeterID, default: CompensatedSum()].add($0.hp10MicroSv) }
        return sums.mapValues(\.value)
    }

    // MARK: Imports

    /// The log of imports, oldest first.
    public func importLog() throws -> [ImportRecord] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, kind, source, file_hash, imported_at, rows_read, rows_imported, rows_unchanged, rows_rejected
                FROM imports ORDER BY id
                """).map { row in
                ImportRecord(id: try row.decode(atIndex: 0), kind: try row.decode(atIndex: 1), source: try row.decode(atIndex: 2),
                             fileHash: try row.decode(atIndex: 3), importedAt: try row.decode(atIndex: 4),
                             rowsRead: try row.decode(atIndex: 5), rowsImported: try row.decode(atIndex: 6),
                             rowsUnchanged: try row.decode(atIndex: 7), rowsRejected: try row.decode(atIndex: 8))
            }
        }
    }
}
