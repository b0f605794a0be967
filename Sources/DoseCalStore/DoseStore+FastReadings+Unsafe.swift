// The period scan behind every store-mode indicator, breakdown and calibration, on SQLite's C
// API: GRDB's Row decoding costs more than SQLite's own work here, and a one-year calibration of
// a national store reads about a million readings.
#if canImport(GRDBSQLite)
import GRDBSQLite
#elseif canImport(SQLite3)
import SQLite3
#endif
import DoseCalDomain
import GRDB

extension DoseStore {
    /// An ``DoseCalDomain/IndicatorBuilder`` fed with every stored reading of `period`, and the
    /// specialties' procedure counts (SPEC §8), read with one indexed scan.
    ///
    /// Identifiers and names are interned, so a million readings make a few hundred Strings.
    /// - Parameter roster: operator → specialty; the stored roster when `nil`.
    /// - Complexity: O(k) for k readings in the period, memory O(operators × types).
    public func indicatorBuilder(for period: Period, roster: [String: String]? = nil) throws -> IndicatorBuilder {
        var builder = IndicatorBuilder(period: period, roster: try roster ?? self.roster())
        for (specialty, count) in try procedureCountsBySpecialty(in: period) {
            builder.countProcedures(specialty: specialty, count: count)
        }
        try read { db in
            let statement = try db.makeStatement(sql: """
                SELECT e.operator_id, p.specialty, p.procedure_type, p.kap_gycm2, p.ref_dosimeter_usv, e.hp10_usv
                FROM procedures p JOIN exposures e ON e.study_uid = p.study_uid
                WHERE p.day BETWEEN ? AND ?
                ORDER BY p.day, p.study_uid, e.operator_id
                """)
            let handle = statement.sqliteStatement
            defer { sqlite3_reset(handle) }
            sqlite3_bind_int64(handle, 1, Int64(period.from.dayNumber))
            sqlite3_bind_int64(handle, 2, Int64(period.to.dayNumber))
            var operators = Interner(), specialties = Interner(), types = Interner()
            while true {
                let code = sqlite3_step(handle)
                if code == SQLITE_DONE { break }
                guard code == SQLITE_ROW else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                }
                func text(_ i: CInt, _ interner: inout Interner) -> String {
                    interner.string(UnsafeRawBufferPointer(start: sqlite3_column_text(handle, i), count: Int(sqlite3_column_bytes(handle, i))))
                }
                func real(_ i: CInt) -> Double? {
                    sqlite3_column_type(handle, i) == SQLITE_NULL ? nil : sqlite3_column_double(handle, i)
                }
                builder.add(operatorID: text(0, &operators), hp10MicroSv: sqlite3_column_double(handle, 5),
                            specialty: text(1, &specialties), procedureType: text(2, &types),
                            kapGyCm2: real(3), refMicroSv: real(4))
            }
        }
        return builder
    }
}

/// Turns repeated UTF-8 byte strings into one shared `String` each (open addressing on an FNV-1a
/// hash, bytes compared on a hit).
struct Interner {
    private var slots: [Int] = Array(repeating: -1, count: 64)
    private var bytes: [[UInt8]] = []
    private var strings: [String] = []

    mutating func string(_ raw: UnsafeRawBufferPointer) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in raw { hash = (hash ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while slots[i] >= 0 {
            let k = slots[i]
            if bytes[k].count == raw.count, bytes[k].withUnsafeBytes({ $0.elementsEqual(raw) }) { return strings[k] }
            i = (i + 1) & mask
        }
        let copy = Array(raw.bindMemory(to: UInt8.self))
        slots[i] = strings.count
        bytes.append(copy)
        strings.append(String(decoding: copy, as: UTF8.self))
        if strings.count * 2 > slots.count { grow() }
        return strings[strings.count - 1]
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (k, b) in bytes.enumerated() {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for x in b { hash = (hash ^ UInt64(x)) &* 0x0000_0100_0000_01b3 }
            var i = Int(truncatingIfNeeded: hash) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = k
        }
    }
}
