/// A dosimeter's memory read-out set against the sum the system stored for it (SPEC §7).
public struct MemoryReconciliation: Sendable, Hashable {
    public var dosimeterID: String
    public var period: Period
    /// What the dosimeter's own memory says, µSv.
    public var memoryMicroSv: Double
    /// Σ Hp(10) stored for the dosimeter over the period, µSv.
    public var storedMicroSv: Double
    /// memory − stored, µSv (positive: readings lost on the way to the system).
    public var lossMicroSv: Double { memoryMicroSv - storedMicroSv }
    /// Loss as % of the memory reading; `nil` when the memory reads 0.
    public var lossPct: Double? { memoryMicroSv > 0 ? 100 * lossMicroSv / memoryMicroSv : nil }
    /// Tolerance, % (default 5, the paper's largest measured loss).
    public var tolerancePct: Double

    public init(dosimeterID: String, period: Period, memoryMicroSv: Double, storedMicroSv: Double, tolerancePct: Double = 5) {
        self.dosimeterID = dosimeterID
        self.period = period
        self.memoryMicroSv = memoryMicroSv
        self.storedMicroSv = storedMicroSv
        self.tolerancePct = tolerancePct
    }

    /// The loss is beyond tolerance in either direction (more stored than measured is also suspect).
    public var flagged: Bool {
        guard let pct = lossPct else { return storedMicroSv > 0 }
        return abs(pct) > tolerancePct
    }
}

/// Days on which a room performed procedures but recorded no occupational reading at all
/// (a hub or dosimeter disconnected), grouped into runs of consecutive procedure days.
public struct RoomGap: Sendable, Hashable {
    public var room: String
    public var from: CivilDate
    public var to: CivilDate
    /// Procedures in the run with no exposure row.
    public var procedures: Int
}

/// An operator whose readings stop well before the end of the period.
public struct StoppedOperator: Sendable, Hashable {
    public var operatorID: String
    public var lastReading: CivilDate
    /// Days from the last reading to the end of the period.
    public var silentDays: Int
    /// Readings before they stopped.
    public var readings: Int
}

/// Data-quality checks on the records of a period (SPEC §7).
public enum DataQuality {
    /// Room gaps: for each room, the days with procedures none of which has any exposure,
    /// merged into runs over consecutive *procedure days* of that room (days without procedures
    /// do not break a run).
    /// - Parameter procedures: (room, date, has at least one exposure) per procedure in the period.
    public static func roomGaps(_ procedures: [(room: String, date: CivilDate, hasExposure: Bool)]) -> [RoomGap] {
        var byRoomDay: [String: [Int: (total: Int, withExposure: Int)]] = [:]
        for p in procedures {
            var e = byRoomDay[p.room, default: [:]][p.date.dayNumber] ?? (0, 0)
            e.total += 1
            if p.hasExposure { e.withExposure += 1 }
            byRoomDay[p.room, default: [:]][p.date.dayNumber] = e
        }
        var gaps: [RoomGap] = []
        for room in byRoomDay.keys.sorted() {
            var current: RoomGap?
            for day in byRoomDay[room]!.keys.sorted() {
                let e = byRoomDay[room]![day]!
                if e.withExposure == 0 {
                    if current == nil { current = RoomGap(room: room, from: CivilDate(dayNumber: day), to: CivilDate(dayNumber: day), procedures: 0) }
                    current!.to = CivilDate(dayNumber: day)
                    current!.procedures += e.total
                } else if let c = current {
                    gaps.append(c)
                    current = nil
                }
            }
            if let c = current { gaps.append(c) }
        }
        return gaps
    }

    /// Operators whose last reading is more than `silentDays` before the period's end, among
    /// those with at least `minReadings` readings.
    public static func stoppedOperators(
        lastReadings: [String: (last: CivilDate, readings: Int)], periodEnd: CivilDate,
        silentDays: Int = 30, minReadings: Int = 10
    ) -> [StoppedOperator] {
        lastReadings.compactMap { id, r -> StoppedOperator? in
            let silent = periodEnd.dayNumber - r.last.dayNumber
            guard r.readings >= minReadings, silent > silentDays else { return nil }
            return StoppedOperator(operatorID: id, lastReading: r.last, silentDays: silent, readings: r.readings)
        }.sorted { $0.operatorID < $1.operatorID }
    }
}
