// Mapping a part's interned ids to the global ones in its rows, on two threads. Unsafe: the
// threads write disjoint halves of one array through a shared pointer.

/// Sets each valid row's specialty and procedure type to `specialtyMap[specialty]` and
/// `typeMap[type]` (a part's interned ids to the global ones); nothing when both maps are the
/// identity (the first part's always are). From 65 536 rows on, two threads take a half each.
func remapIDs(_ rows: inout [ProcedureRow], specialtyMap: [UInt8], typeMap: [UInt16]) {
    guard !(specialtyMap.indices.allSatisfy { Int(specialtyMap[$0]) == $0 } && typeMap.indices.allSatisfy { Int(typeMap[$0]) == $0 })
    else { return }
    rows.withUnsafeMutableBufferPointer { all in
        let shared = SharedRows(base: all.baseAddress, count: all.count)
        let parts = all.count >= 1 << 16 ? 2 : 1
        parallelFor(parts) { part in
            let rows = UnsafeMutableBufferPointer(start: shared.base, count: shared.count)
            for i in shared.count * part / parts..<shared.count * (part + 1) / parts where rows[i].valid {
                rows[i].specialty = specialtyMap[Int(rows[i].specialty)]
                rows[i].procedureType = typeMap[Int(rows[i].procedureType)]
            }
        }
    }
}

/// The rows both threads of ``remapIDs(_:specialtyMap:typeMap:)`` write, each its own half.
private struct SharedRows: @unchecked Sendable {
    let base: UnsafeMutablePointer<ProcedureRow>?
    let count: Int
}
