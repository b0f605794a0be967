import DoseCalDomain

/// JSON and text for `dosecal thresholds list|show|diff`.
public enum ThresholdRendering {
    public static func versionJSON(_ v: ThresholdSet, activations: [ThresholdActivation]) -> JSONValue {
        let mine = activations.filter { $0.version == v.version }
        return .object([
            ("version", .int(v.version)), ("created_at", .string(v.createdAt)), ("author", .string(v.author)), ("note", .string(v.note)),
            ("effective", .array(mine.map { .string($0.effective.description) })),
            ("period", .object([("from", .string(v.periodFrom.description)), ("to", .string(v.periodTo.description))])),
            ("quantile_method", .string(v.quantileMethod)), ("ratio_estimator", .string(v.estimator.rawValue)),
            ("rounding", .object(v.rounding.sorted { $0.key < $1.key }.map { ($0.key, .number($0.value)) })),
            ("procedures_used", .int(v.proceduresUsed)), ("exposures_used", .int(v.exposuresUsed)),
            ("content_hash", .string(v.contentHash)), ("derived_from", .int(v.derivedFrom)),
            ("overrides", .array(v.overrides.map { o in
                .object([("specialty", .string(o.specialty)), ("indicator", .string(o.indicator)), ("first", .number(o.first)),
                         ("second", .number(o.second)), ("previous_first", .number(o.previousFirst)), ("previous_second", .number(o.previousSecond))])
            })),
            ("specialties", .array(v.specialties.map { s in
                .object([
                    ("specialty", .string(s.specialty)), ("operators", .int(s.operators)), ("procedures", .int(s.procedures)),
                    ("notification", .object([Indicator.microSvPerProcedure, .pdeKap, .pctReference].map { ($0.rawValue, CalibrationRendering.notificationJSON(s.notification($0))) })),
                    ("q3", .object([Indicator.microSvPerProcedure, .pdeKap, .pctReference].map { ($0.rawValue, .number(s.q3[$0.rawValue])) })),
                ])
            })),
        ])
    }

    public static func listTable(_ versions: [ThresholdSet], activations: [ThresholdActivation]) -> String {
        var t = TextTable(header: ["version", "created", "author", "period", "effective", "derived from", "note"])
        for v in versions {
            let eff = activations.filter { $0.version == v.version }.map(\.effective.description).joined(separator: ", ")
            t.append(["\(v.version)", v.createdAt, v.author, "\(v.periodFrom)..\(v.periodTo)", eff.isEmpty ? "—" : eff,
                      v.derivedFrom.map(String.init) ?? "—", v.note])
        }
        return t.rendered()
    }

    public static func showText(_ v: ThresholdSet, activations: [ThresholdActivation]) -> String {
        var out = "Threshold version \(v.version), created \(v.createdAt) by \(v.author)\n"
        out += "  note: \(v.note.isEmpty ? "—" : v.note)\n"
        out += "  calibrated on \(v.periodFrom)..\(v.periodTo), \(v.quantileMethod), \(v.estimator.rawValue)\n"
        out += "  records: \(v.proceduresUsed) procedures, \(v.exposuresUsed) exposures, \(v.contentHash)\n"
        if let d = v.derivedFrom { out += "  derived from version \(d)\n" }
        for o in v.overrides {
            out += "  override: \(o.specialty) \(o.indicator) \(formatFixed(o.previousFirst, 2))/\(formatFixed(o.previousSecond, 2)) → \(formatFixed(o.first, 2))/\(formatFixed(o.second, 2))\n"
        }
        let eff = activations.filter { $0.version == v.version }.map(\.effective.description)
        out += "  effective: \(eff.isEmpty ? "not activated" : eff.joined(separator: ", "))\n"
        var t = TextTable(header: ["specialty", "operators", "µSv/proc Q3", "first/second", "µSv/(Gy·cm²) Q3", "first/second", "% ref Q3", "first/second"])
        for s in v.specialties {
            var row = [s.specialty, "\(s.operators)"]
            for ind in [Indicator.microSvPerProcedure, .pdeKap, .pctReference] {
                row.append(formatFixed(s.q3[ind.rawValue], 3))
                row.append(s.notification(ind).map { "\(formatFixed($0.first, 2)) / \(formatFixed($0.second, 2))" } ?? "—")
            }
            t.append(row)
        }
        return out + t.rendered()
    }

    public static func diffJSON(_ a: ThresholdSet, _ b: ThresholdSet) -> JSONValue {
        let d = a.diff(b)
        return .object([
            ("from_version", .int(a.version)), ("to_version", .int(b.version)),
            ("values", .array(d.values.map { x in
                .object([("specialty", .string(x.specialty)), ("indicator", .string(x.indicator)),
                         ("old", CalibrationRendering.notificationJSON(x.old)), ("new", CalibrationRendering.notificationJSON(x.new))])
            })),
            ("provenance", .array(d.provenance.map { .object([("field", .string($0.field)), ("old", .string($0.old)), ("new", .string($0.new))]) })),
        ])
    }

    public static func diffText(_ a: ThresholdSet, _ b: ThresholdSet) -> String {
        let d = a.diff(b)
        var out = "Version \(a.version) → \(b.version)\n"
        if d.values.isEmpty { out += "  notification values: identical\n" }
        for x in d.values {
            out += "  \(x.specialty) \(x.indicator): \(x.old.map { "\(formatFixed($0.first, 2))/\(formatFixed($0.second, 2))" } ?? "—") → \(x.new.map { "\(formatFixed($0.first, 2))/\(formatFixed($0.second, 2))" } ?? "—")\n"
        }
        for p in d.provenance { out += "  \(p.field): \(p.old) → \(p.new)\n" }
        return out
    }
}
