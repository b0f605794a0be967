// The exposures join's queue of records read but not joined yet. Unsafe: entries and study UID
// bytes live in raw memory owned by the ring.

import DoseCalCSV
import DoseCalDomain

/// Records of pass 2 that wait to be joined (when exposures do not follow the procedures'
/// order, the join runs a batch of ``ExposureScan/batchSize`` records at a time), oldest
/// first. Entries are trivial values in raw memory and each study UID is copied into a fixed
/// slot, so queueing a record copies no reference counts and never copies the queue; the rare
/// rejections and UIDs longer than a slot wait beside the entries.
final class PendingRing {
    /// What a queued record's fields came to (a rejection waits beside the entries).
    enum Kind: UInt8 {
        case accepted, rejected, notJoined
    }

    /// A queued record.
    struct Entry {
        var kind: Kind
        /// The reading, µSv (accepted records only).
        var hp10: Double
        var digest: KeyDigest
        var operatorID: Int
        var line: Int
        /// The UID's length in its slot, or -1 when it is in `longUIDs`.
        var uidCount: Int
        /// The procedure row the lookahead expects the key at (a prefetch hint; -1 when none).
        var row: Int
    }

    /// Bytes of a UID slot.
    static let uidSlot = 128
    /// Slots: the capacity asked for rounded up to a power of two, so that a slot's position
    /// is masked, not divided (a division costs tens of cycles, several per record).
    let capacity: Int
    private let mask: Int
    private let entries: UnsafeMutablePointer<Entry>
    private let uids: UnsafeMutableRawPointer
    private var rejections: [Int: RowRejection] = [:]
    private var longUIDs: [Int: [UInt8]] = [:]
    private var spare: UnsafeMutableRawPointer = .allocate(byteCount: 256, alignment: 16)
    private var spareCapacity = 256
    private var head = 0
    /// The slot of the record popped last (its rejection is taken from there).
    private var popped = 0
    private(set) var count = 0
    /// The slot the next push fills.
    private var tail: Int { (head + count) & mask }

    init(capacity: Int) {
        var slots = 1
        while slots < capacity { slots <<= 1 }
        self.capacity = slots
        mask = slots - 1
        entries = .allocate(capacity: slots)
        uids = .allocate(byteCount: slots * Self.uidSlot, alignment: 16)
    }

    deinit {
        entries.deallocate()
        uids.deallocate()
        spare.deallocate()
    }

    /// Queues an accepted record (reading `hp10`, µSv), with its study UID's bytes (a field of
    /// the record scanner: up to 7 bytes after it may be read).
    @inline(__always)
    func pushAccepted(hp10: Double, digest: KeyDigest, operatorID: Int, line: Int, uid: UnsafeRawBufferPointer) {
        append(Entry(kind: .accepted, hp10: hp10, digest: digest, operatorID: operatorID, line: line, uidCount: uid.count, row: -1),
               uid: uid)
    }

    /// Queues any record, with its study UID's bytes (as ``pushAccepted(hp10:digest:operatorID:line:uid:)``).
    func push(_ record: PendingExposure, uid: UnsafeRawBufferPointer) {
        let at = tail
        var entry = Entry(kind: .accepted, hp10: 0, digest: record.digest, operatorID: record.operatorID, line: record.line,
                          uidCount: uid.count, row: -1)
        switch record.fields {
        case let .accepted(hp10): entry.hp10 = hp10
        case let .rejected(r):
            entry.kind = .rejected
            rejections[at] = r
        case let .notJoined(r):
            entry.kind = .notJoined
            rejections[at] = r
        }
        append(entry, uid: uid)
    }

    @inline(__always)
    private func append(_ entry: Entry, uid: UnsafeRawBufferPointer) {
        var entry = entry
        let at = tail
        if uid.count <= Self.uidSlot {
            if let base = uid.baseAddress {
                // Eight bytes at a time: the scanner's fields may be read 7 bytes past their end.
                let slot = uids + at * Self.uidSlot
                var i = 0
                while i < uid.count {
                    slot.storeBytes(of: base.loadUnaligned(fromByteOffset: i, as: UInt64.self), toByteOffset: i, as: UInt64.self)
                    i += 8
                }
            }
        } else {
            entry.uidCount = -1
            longUIDs[at] = Array(uid)
        }
        entries[at] = entry
        count += 1
    }

    /// The `k`-th oldest record (0 is the oldest).
    @inline(__always)
    func entry(ofOldest k: Int) -> Entry { entries[(head + k) & mask] }

    /// Notes the procedure row the lookahead expects for the `k`-th oldest record.
    @inline(__always)
    func setRow(_ row: Int, ofOldest k: Int) { entries[(head + k) & mask].row = row }

    /// Takes the oldest record out; its UID's bytes stay valid until the next push. A rejected
    /// or not joined record's rejection is then taken with ``takePoppedRejection()``.
    @inline(__always)
    func popOldest() -> (entry: Entry, uid: UnsafeRawBufferPointer) {
        let at = head
        popped = at
        head = (head + 1) & mask
        count -= 1
        let e = entries[at]
        if e.uidCount >= 0 { return (e, UnsafeRawBufferPointer(start: uids + at * Self.uidSlot, count: e.uidCount)) }
        return (e, spareCopy(of: longUIDs.removeValue(forKey: at)!))
    }

    /// The rejection of the record popped last (once).
    func takePoppedRejection() -> RowRejection { rejections.removeValue(forKey: popped)! }

    /// A long UID copied into the ring's spare buffer, valid until the next pop of one.
    private func spareCopy(of bytes: [UInt8]) -> UnsafeRawBufferPointer {
        if bytes.count > spareCapacity {
            spare.deallocate()
            spareCapacity = bytes.count
            spare = .allocate(byteCount: spareCapacity, alignment: 16)
        }
        bytes.withUnsafeBytes { spare.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        return UnsafeRawBufferPointer(start: spare, count: bytes.count)
    }
}
