import ArgumentParser
import DoseCalDomain
import DoseCalReports

/// `dosecal quality`: what the hub→system chain lost, and what looks disconnected (SPEC §7).
struct QualityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quality",
        abstract: "Reconcile dosimeter memory read-outs with stored sums; find rooms and operators with missing readings.")

    @Option(name: .long, help: "The SQLite store (default: $DOSECAL_DB, else ./dosecal.sqlite).") var db: String?
    @OptionGroup var period: PeriodOptions
    @Option(name: .long, help: "Loss tolerance, % of the memory reading (the paper measured up to 5 %).") var tolerance: Double = 5
    @Option(name: .long, help: "An operator is 'stopped' after this many days without a reading before the period's end.") var silentDays: Int = 30
    @OptionGroup var output: OutputOptions

    func run() throws {
        let data = DataSource(db: db)
        let store = try DataAccess.openStore(data)
        let loaded = try DataAccess.load(data, from: try period.parsed().from, to: try period.parsed().to)
        let p = loaded.period

        // One pass over the store per distinct read-out period (usually one), not one per dosimeter.
        var memory: [MemoryReconciliation] = []
        var sumsByPeriod: [Period: [String: Double]] = [:]
        for m in try store.memoryReadings() where m.period.from <= p.to && m.period.to >= p.from {
            if sumsByPeriod[m.period] == nil { sumsByPeriod[m.period] = try store.storedSums(in: m.period) }
            memory.append(MemoryReconciliation(dosimeterID: m.dosimeterID, period: m.period, memoryMicroSv: m.cumulativeMicroSv,
                                               storedMicroSv: sumsByPeriod[m.period]?[m.dosimeterID] ?? 0, tolerancePct: tolerance))
        }
        let missing = Set(try store.proceduresWithoutExposures(in: p).map(\.studyUID))
        var all: [(room: String, date: CivilDate, hasExposure: Bool)] = []
        try store.forEachProcedure(in: p) { all.append(($0.room, $0.date, !missing.contains($0.studyUID))) }
        let gaps = DataQuality.roomGaps(all)
        var last: [String: (last: CivilDate, readings: Int)] = [:]
        try store.forEachReading(in: p) { r in
            let e = last[r.operatorID]
            last[r.operatorID] = (max(e?.last ?? r.date, r.date), (e?.readings ?? 0) + 1)
        }
        let stopped = DataQuality.stoppedOperators(lastReadings: last, periodEnd: p.to, silentDays: silentDays)

        output.emit(.object([
            ("period", IndicatorRendering.periodJSON(p)),
            ("tolerance_pct", .number(tolerance)),
            ("memory", .array(memory.map { m in
                .object([("dosimeter_id", .string(m.dosimeterID)),
                         ("period", .object([("from", .string(m.period.from.description)), ("to", .string(m.period.to.description))])),
                         ("memory_usv", .number(m.memoryMicroSv)), ("stored_usv", .number(m.storedMicroSv)),
                         ("loss_usv", .number(m.lossMicroSv)), ("loss_pct", .number(m.lossPct)), ("flagged", .bool(m.flagged))])
            })),
            ("procedures_without_exposures", .int(missing.count)),
            ("room_gaps", .array(gaps.map { g in
                .object([("room", .string(g.room)), ("from", .string(g.from.description)), ("to", .string(g.to.description)), ("procedures", .int(g.procedures))])
            })),
            ("stopped_operators", .array(stopped.map { s in
                .object([("operator_id", .string(s.operatorID)), ("last_reading", .string(s.lastReading.description)),
                         ("silent_days", .int(s.silentDays)), ("readings", .int(s.readings))])
            })),
        ])) {
            var out = "Data quality \(p)\n\nDosimeter memory vs stored (tolerance \(formatFixed(tolerance, 1)) %):\n"
            var t = TextTable(header: ["dosimeter", "period", "memory µSv", "stored µSv", "loss µSv", "loss %", ""])
            for m in memory {
                t.append([m.dosimeterID, "\(m.period)", formatFixed(m.memoryMicroSv, 1), formatFixed(m.storedMicroSv, 1),
                          formatFixed(m.lossMicroSv, 1), formatFixed(m.lossPct, 2), m.flagged ? "FLAG" : ""])
            }
            out += memory.isEmpty ? "  no memory read-outs in the store (`dosecal import memory FILE`)\n" : t.rendered()
            out += "\nProcedures with no occupational reading: \(missing.count) of \(all.count).\n"
            for g in gaps { out += "  \(g.room): \(g.from)..\(g.to), \(g.procedures) procedure\(g.procedures == 1 ? "" : "s") without any reading\n" }
            out += "Operators silent for more than \(silentDays) days before \(p.to): "
            out += stopped.isEmpty ? "none\n" : "\n" + stopped.map { "  \($0.operatorID): last reading \($0.lastReading) (\($0.silentDays) days, \($0.readings) readings before)" }.joined(separator: "\n") + "\n"
            return out
        }
    }
}
