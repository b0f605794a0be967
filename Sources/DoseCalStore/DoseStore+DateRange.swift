import DoseCalDomain
import GRDB

extension DoseStore {
    /// The first and last procedure days stored, or `nil` for an empty store: the default
    /// period of commands run without `--from/--to`.
    public func dateRange() throws -> (first: CivilDate, last: CivilDate)? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT MIN(day), MAX(day) FROM procedures"),
                  let lo: Int = row[0], let hi: Int = row[1] else { return nil }
            return (CivilDate(dayNumber: lo), CivilDate(dayNumber: hi))
        }
    }
}
