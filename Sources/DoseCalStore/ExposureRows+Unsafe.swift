import DoseCalDomain

extension ExposureRows {
    /// Binds row `row` as ``ExposureKind/bind(_:importID:to:from:)`` binds its record: the text
    /// straight from the byte buffer (SQLite copies it), then the role, the doses and `importID`.
    func bind(_ row: Int, importID: Int64, to statement: RawStatement, from first: CInt) throws {
        try bytes.withUnsafeBufferPointer { all in
            for field in 0..<3 {
                try statement.bind(utf8: UnsafeBufferPointer(rebasing: all[textRange(row, field)]), at: first + 1 + CInt(field))
            }
        }
        try statement.bind(roleName(row), at: first + 4)
        try statement.bind(dose(row, 0), at: first + 5)
        try statement.bind(dose(row, 1), at: first + 6)
        try statement.bind(dose(row, 2), at: first + 7)
        try statement.bind(importID, at: first + 8)
    }
}
