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
    /// Identifiers and names are interned and sums kept per (operator, type) id, so a million
    /// readings make a few hundred Strings and dictionary look-ups.
    /// - Parameter roster: operator → specialty; the stored roster when `nil`.
    /// - Complexity: O(k) for k readings in the period, memory O(operators × types).
    public func indicatorBuilder(for period: Period, roster: [String: String]? = nil) throws -> IndicatorBuilder {
        var builder = IndicatorBuilder(period: period, roster: try roster ?? self.roster())
        try read { db in
            let statement = try db.makeStatement(sql: """
                SELECT e.operator_id, p.specialty, p.procedure_type, p.kap_gycm2, p.ref_dosimeter_usv, e.hp10_usv, p.id
                FROM procedures p LEFT JOIN exposures e ON e.procedure_id = p.id
                WHERE p.day BETWEEN ? AND ?
                """)
            // LEFT JOIN: a procedure without readings still comes once, so the specialties'
            // procedure counts (SPEC §8) come from the same scan.
            // No ORDER BY: the plan walks procedures_by_day, then each study's exposures in key
            // order, which is the order ORDER BY p.day, p.study_uid, e.operator_id would give
            // without its temporary B-tree.
            let handle = statement.sqliteStatement
            defer { sqlite3_reset(handle) }
            sqlite3_bind_int64(handle, 1, Int64(period.from.dayNumber))
            sqlite3_bind_int64(handle, 2, Int64(period.to.dayNumber))
            var operators = Interner(), specialties = Interner(), types = Interner()
            // Sums per (operator, type) and reading counts per (operator, specialty), by interned
            // id; handed to the builder once at the end.
            var sums: [[DoseAccumulator?]] = []
            var readings: [[Int]] = []
            var procedures: [Int] = []
            // A procedure's columns are the same on each of its readings (about two): they are
            // read and interned once per procedure, not once per reading.
            var lastProcedure: Int64 = .min
            var specialty = 0, type = 0
            var kap: Double? = nil, ref: Double? = nil
            while true {
                let code = sqlite3_step(handle)
                if code == SQLITE_DONE { break }
                guard code == SQLITE_ROW else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                }
                func id(_ i: CInt, _ interner: inout Interner) -> Int {
                    interner.id(UnsafeRawBufferPointer(start: sqlite3_column_text(handle, i), count: Int(sqlite3_column_bytes(handle, i))))
                }
                func real(_ i: CInt) -> Double? {
                    sqlite3_column_type(handle, i) == SQLITE_NULL ? nil : sqlite3_column_double(handle, i)
                }
                let procedureID = sqlite3_column_int64(handle, 6)
                if procedureID != lastProcedure {
                    lastProcedure = procedureID
                    specialty = id(1, &specialties)
                    type = id(2, &types)
                    kap = real(3)
                    ref = real(4)
                    while procedures.count <= specialty { procedures.append(0) }
                    procedures[specialty] += 1
                }
                guard sqlite3_column_type(handle, 0) != SQLITE_NULL else { continue }
                let op = id(0, &operators)
                while sums.count <= op { sums.append([]); readings.append([]) }
                while sums[op].count <= type { sums[op].append(nil) }
                while readings[op].count <= specialty { readings[op].append(0) }
                if sums[op][type] == nil { sums[op][type] = DoseAccumulator() }
                sums[op][type]!.add(hp10MicroSv: sqlite3_column_double(handle, 5), kapGyCm2: kap, refMicroSv: ref)
                readings[op][specialty] += 1
            }
            for (sp, n) in procedures.enumerated() where n > 0 {
                builder.countProcedures(specialty: specialties.strings[sp], count: n)
            }
            for (op, perType) in sums.enumerated() {
                for (type, s) in perType.enumerated() {
                    if let s { builder.merge(operatorID: operators.strings[op], procedureType: types.strings[type], sums: s) }
                }
                for (sp, n) in readings[op].enumerated() where n > 0 {
                    builder.countReadings(operatorID: operators.strings[op], specialty: specialties.strings[sp], readings: n)
                }
            }
        }
        return builder
    }
}

/// Gives repeated UTF-8 byte strings one id and one shared `String` each (open addressing on a
/// word-wise FNV-1a hash, bytes compared on a hit).
struct Interner {
    /// Open-addressing table of ids, -1 for an empty slot; at most half full.
    private var slots: [Int] = Array(repeating: -1, count: 64)
    /// Per id: its hash, and its bytes as a range of `storage`.
    private var hashes: [UInt64] = []
    private var ranges: [Range<Int>] = []
    private var storage: [UInt8] = []
    private(set) var strings: [String] = []

    /// The id of `raw` (its index in ``strings``), adding it on first sight.
    mutating func id(_ raw: UnsafeRawBufferPointer) -> Int {
        let hash = Interner.hash(raw)
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while slots[i] >= 0 {
            let k = slots[i]
            if hashes[k] == hash, ranges[k].count == raw.count,
               storage.withUnsafeBytes({ Interner.equal(UnsafeRawBufferPointer(rebasing: $0[ranges[k]]), raw) }) {
                return k
            }
            i = (i + 1) & mask
        }
        slots[i] = strings.count
        hashes.append(hash)
        ranges.append(storage.count..<storage.count + raw.count)
        storage.append(contentsOf: raw)
        strings.append(String(decoding: raw, as: UTF8.self))
        if strings.count * 2 > slots.count { grow() }
        return strings.count - 1
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (k, hash) in hashes.enumerated() {
            var i = Int(truncatingIfNeeded: hash) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = k
        }
    }

    /// Byte equality of two buffers of the same length, 8 bytes at a time.
    private static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset + 8 <= a.count {
            if a.loadUnaligned(fromByteOffset: offset, as: UInt64.self) != b.loadUnaligned(fromByteOffset: offset, as: UInt64.self) {
                return false
            }
            offset += 8
        }
        while offset < a.count {
            if a[offset] != b[offset] { return false }
            offset += 1
        }
        return true
    }

    /// FNV-1a over 8-byte words (then the tail bytes), multiplied once more at the end so that
    /// the low bits used as the slot depend on every byte.
    static func hash(_ raw: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var offset = 0
        while offset + 8 <= raw.count {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x0000_0100_0000_01b3
            offset += 8
        }
        while offset < raw.count {
            hash = (hash ^ UInt64(raw[offset])) &* 0x0000_0100_0000_01b3
            offset += 1
        }
        return (hash ^ (hash >> 29)) &* 0xbf58_476d_1ce4_e5b9
    }
}
