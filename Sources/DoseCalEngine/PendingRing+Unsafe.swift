// The exposures join's queue of records read but not joined yet. Unsafe: entries and study UID
// bytes live in raw memory owned by the ring.

import DoseCalCSV
import DoseCalDomain

/// Records of pass 2 that wait to be joined (when exposures do not follow the procedures'
/// order, the join runs ``ExposureScan/lookaheadDepth`` records behind the reading), oldest
/// first. Entries are trivial values in raw memory and each study UID is copied into a fixed
/// slot, so queueing a record copies no reference counts and never copies the queue; the rare
/// rejections and UIDs longer than a slot wait beside the entries.
final class PendingRing {
    /// What a queued record's fields came to (a rejection waits in `rejections`).
    private enum Kind: UInt8 {
        case accepted, rejected, notJoined
    }

    private struct Entry {
        var kind: Kind
        var hp10: Double
        var digest: KeyDigest
        var operatorID: Int
        var line: Int
        /// The UID's length in its slot, or -1 when it is in `longUIDs`.
        var uidCount: Int
    }

    /// Bytes of a UID slot.
    static let uidSlot = 128
    let capacity: Int
    private let entries: UnsafeMutablePointer<Entry>
    private let uids: UnsafeMutableRawPointer
    private var rejections: [Int: RowRejection] = [:]
    private var longUIDs: [Int: [UInt8]] = [:]
    private var spare: UnsafeMutableRawPointer = .allocate(byteCount: 256, alignment: 16)
    private var spareCapacity = 256
    private var head = 0
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = capacity
        entries = .allocate(capacity: capacity)
        uids = .allocate(byteCount: capacity * Self.uidSlot, alignment: 16)
    }

    deinit {
        entries.deallocate()
        uids.deallocate()
        spare.deallocate()
    }

    /// Queues a record, with its study UID's bytes.
    func push(_ record: PendingExposure, uid: UnsafeRawBufferPointer) {
        let at = (head + count) % capacity
        var entry = Entry(kind: .accepted, hp10: 0, digest: record.digest, operatorID: record.operatorID, line: record.line, uidCount: uid.count)
        switch record.fields {
        case let .accepted(hp10): entry.hp10 = hp10
        case let .rejected(r):
            entry.kind = .rejected
            rejections[at] = r
        case let .notJoined(r):
            entry.kind = .notJoined
            rejections[at] = r
        }
        if uid.count <= Self.uidSlot {
            if let base = uid.baseAddress { (uids + at * Self.uidSlot).copyMemory(from: base, byteCount: uid.count) }
        } else {
            entry.uidCount = -1
            longUIDs[at] = Array(uid)
        }
        entries[at] = entry
        count += 1
    }

    /// The digest of the `k`-th oldest record and whether it is joined at all (for prefetching).
    func digest(ofOldest k: Int) -> (digest: KeyDigest, joined: Bool) {
        let e = entries[(head + k) % capacity]
        return (e.digest, e.kind != .notJoined)
    }

    /// Takes the oldest record out; its UID's bytes stay valid until the next ``push(_:uid:)``.
    func popOldest() -> (record: PendingExposure, uid: UnsafeRawBufferPointer) {
        let at = head
        head = (head + 1) % capacity
        count -= 1
        let e = entries[at]
        let fields: PendingExposure.Fields
        switch e.kind {
        case .accepted: fields = .accepted(hp10: e.hp10)
        case .rejected: fields = .rejected(rejections.removeValue(forKey: at)!)
        case .notJoined: fields = .notJoined(rejections.removeValue(forKey: at)!)
        }
        let record = PendingExposure(fields: fields, digest: e.digest, operatorID: e.operatorID, line: e.line)
        if e.uidCount >= 0 { return (record, UnsafeRawBufferPointer(start: uids + at * Self.uidSlot, count: e.uidCount)) }
        // A long UID: copied into the ring's spare buffer, valid until the next pop of one.
        let bytes = longUIDs.removeValue(forKey: at)!
        if bytes.count > spareCapacity {
            spare.deallocate()
            spareCapacity = bytes.count
            spare = .allocate(byteCount: spareCapacity, alignment: 16)
        }
        bytes.withUnsafeBytes { spare.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        return (record, UnsafeRawBufferPointer(start: spare, count: bytes.count))
    }
}
