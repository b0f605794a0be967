extension RDSRReport {
    /// Combines two dose reports of one study so that no irradiation event is counted twice.
    ///
    /// A study can have several RDSRs: one per performed procedure step, or a report re-sent
    /// with more events (OpenREM #625). Events are recognised by Irradiation Event UID (113769).
    /// With *A* and *B* the two reports' event UID sets, the accumulated values are:
    ///
    /// - the same SOP instance, or *A* = *B* non-empty: the same report twice — `self`'s values;
    /// - *A* ⊂ *B* (or *B* ⊂ *A*): a cumulative report that supersedes the other — the larger
    ///   report's accumulated values;
    /// - *A* ∩ *B* = ∅: separate parts of the study — per-plane sums of the accumulated values
    ///   (`nil` when either report lacks a value);
    /// - otherwise (partial overlap): every per-plane value recomputed from the union of the
    ///   events, as in ``PlaneDose/Field/sum(over:)`` (`nil` where events lack the data).
    ///
    /// Events without a UID cannot be matched; they are kept from both reports and a note says
    /// the check was incomplete. Every rule applied is recorded in ``notes``. The result's
    /// ``startedAt`` is the earlier one; text attributes are `self`'s, else `other`'s.
    /// - Throws: ``DICOMError`` `mergeConflict` when the Study Instance UIDs differ.
    /// - Complexity: O(*n* + *m*) in the numbers of events.
    public func merged(with other: RDSRReport) throws -> RDSRReport {
        guard studyUID == other.studyUID else {
            throw DICOMError(.mergeConflict, file: file,
                             message: "cannot merge dose reports of different studies (\(studyUID) in \(file), \(other.studyUID) in \(other.file))")
        }
        var result = self
        result.files = files + other.files
        result.sopInstanceUIDs = sopInstanceUIDs + other.sopInstanceUIDs
        result.notes = prefixedNotes + other.prefixedNotes
        if other.startedAt < startedAt {
            result.startedAt = other.startedAt
            result.date = other.date
        }
        result.firstIrradiationAt = [firstIrradiationAt, other.firstIrradiationAt].compactMap { $0 }.min()
        result.manufacturer = manufacturer ?? other.manufacturer
        result.model = model ?? other.model
        result.station = station ?? other.station
        result.studyDescription = studyDescription ?? other.studyDescription
        result.requestedProcedure = requestedProcedure ?? other.requestedProcedure
        if sopClassUID != other.sopClassUID {
            result.notes.append("the merged reports have different SOP classes (\(sopClassUID), \(other.sopClassUID))")
        }
        for (label, a, b) in [("station", station, other.station), ("model", model, other.model)] {
            if let a, let b, a != b { result.notes.append("the merged reports have different \(label)s (\(a), \(b)); \(a) is kept") }
        }

        // Events: union by UID; events without UID kept from both.
        let mine = eventUIDs
        let theirs = other.eventUIDs
        var seen = mine
        result.irradiationEvents = irradiationEvents
        for e in other.irradiationEvents {
            if let uid = e.uid {
                guard seen.insert(uid).inserted else { continue }
            }
            result.irradiationEvents.append(e)
        }
        let withoutUID = (irradiationEvents + other.irradiationEvents).filter { $0.uid == nil }.count
        if withoutUID > 0 {
            result.notes.append("\(withoutUID) irradiation events have no UID, so double counting across \(file) and \(other.file) cannot be ruled out for them")
        }

        let sameInstance = !Set(sopInstanceUIDs).isDisjoint(with: other.sopInstanceUIDs)
        let shared = mine.intersection(theirs)
        if sameInstance || (!mine.isEmpty && mine == theirs) {
            result.planes = planes
            result.notes.append("\(other.file) repeats \(file) (\(sameInstance ? "same SOP instance" : "same \(mine.count) irradiation events")); counted once")
        } else if !mine.isEmpty, mine.isStrictSubset(of: theirs) {
            result.planes = other.planes
            result.notes.append("the events of \(file) are all in \(other.file), a cumulative report; its accumulated values are used")
        } else if !theirs.isEmpty, theirs.isStrictSubset(of: mine) {
            result.planes = planes
            result.notes.append("the events of \(other.file) are all in \(file), a cumulative report; its accumulated values are used")
        } else if shared.isEmpty {
            result.planes = RDSRReport.addPlanes(planes, other.planes)
            result.notes.append(mine.isEmpty && theirs.isEmpty
                ? "\(file) and \(other.file) have no irradiation event UIDs to compare; their accumulated values are added"
                : "\(file) and \(other.file) share no irradiation event; their accumulated values are added")
        } else {
            result.planes = RDSRReport.planesFromEvents(result.irradiationEvents, referencePoints: planes + other.planes)
            result.notes.append("\(file) and \(other.file) share \(shared.count) of \(mine.union(theirs).count) irradiation events; totals recomputed from the union of the events")
        }
        return result
    }

    /// Notes prefixed with the file name, once a report is merged with another.
    private var prefixedNotes: [String] {
        files.count > 1 ? notes : notes.map { "\(file): \($0)" }
    }

    /// Per-plane sums; a value is `nil` if either side lacks it for a plane both have.
    static func addPlanes(_ a: [PlaneDose], _ b: [PlaneDose]) -> [PlaneDose] {
        var result = a
        for p in b {
            guard let i = result.firstIndex(where: { $0.plane == p.plane }) else {
                result.append(p)
                continue
            }
            for field in PlaneDose.Field.allCases {
                if let x = result[i][field], let y = p[field] {
                    result[i][field] = x + y
                } else {
                    result[i][field] = nil
                }
            }
            result[i].computedFromEvents.formUnion(p.computedFromEvents)
            if result[i].referencePoint == nil { result[i].referencePoint = p.referencePoint }
        }
        return result.sorted { $0.plane < $1.plane }
    }

    /// Planes computed entirely from events (reference points kept from the reports).
    static func planesFromEvents(_ events: [IrradiationEvent], referencePoints: [PlaneDose]) -> [PlaneDose] {
        let byPlane = Dictionary(grouping: events, by: \.plane)
        return byPlane.keys.sorted().map { plane in
            var dose = PlaneDose(plane: plane)
            dose.referencePoint = referencePoints.first { $0.plane == plane && $0.referencePoint != nil }?.referencePoint
            for field in PlaneDose.Field.allCases {
                dose[field] = field.sum(over: byPlane[plane] ?? [])
                dose.computedFromEvents.insert(field)
            }
            return dose
        }
    }
}
