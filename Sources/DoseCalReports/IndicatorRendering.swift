import DoseCalDomain

/// How operators are named in an output (SPEC §3: interventionists see colleagues anonymised).
public struct OperatorNaming: Sendable {
    /// The operator whose view this is; `nil` for the physicist's view (everyone by id).
    public var viewer: String?
    public var pseudonymizer: Pseudonymizer

    public init(viewer: String? = nil, pseudonymizer: Pseudonymizer) {
        self.viewer = viewer
        self.pseudonymizer = pseudonymizer
    }

    /// The physicist's view: every operator by id.
    public static func physicist() -> OperatorNaming { OperatorNaming(pseudonymizer: Pseudonymizer(labKey: "")) }

    public func name(_ operatorID: String) -> String {
        guard let viewer, viewer != operatorID else { return operatorID }
        return pseudonymizer.pseudonym(for: operatorID)
    }

    public var viewJSON: JSONValue {
        viewer.map { .object([("kind", .string("interventionist")), ("operator_id", .string($0))]) }
            ?? .object([("kind", .string("physicist"))])
    }
}

/// Number of decimals an indicator is printed with in tables (the paper's Table 1 precision).
public func decimals(_ indicator: Indicator) -> Int {
    switch indicator {
    case .procedures: return 0
    case .cumulativeMilliSv: return 2
    case .microSvPerProcedure, .pctReference: return 1
    case .pdeKap: return 2
    }
}

/// JSON and tables for `dosecal indicators` and `dosecal breakdown` (SPEC §9 key names).
public enum IndicatorRendering {
    public static func periodJSON(_ period: Period) -> JSONValue {
        .object([("from", .string(period.from.description)), ("to", .string(period.to.description)), ("days", .int(period.days))])
    }

    /// One operator's indicator fields, in SPEC §9 order.
    public static func operatorFields(_ op: OperatorIndicators, naming: OperatorNaming) -> [(String, JSONValue)] {
        [
            ("operator_id", .string(naming.name(op.operatorID))),
            ("specialty", .string(op.specialty)),
            ("procedures", .int(op.procedures)),
            ("cumulative_msv", .number(op.cumulativeMilliSv)),
            ("usv_per_procedure", .number(op.microSvPerProcedure)),
            ("pde_kap", .number(op.pdeKap)),
            ("pde_kap_mean_ratio", .number(op.pdeKapMeanRatio)),
            ("pct_reference", .number(op.pctReference)),
            ("pct_reference_mean_ratio", .number(op.pctReferenceMeanRatio)),
            ("total_kap_gycm2", .number(op.totalKapGyCm2)),
            ("procedures_without_kap", .int(op.sums.proceduresWithoutKap)),
            ("procedures_without_ref", .int(op.sums.proceduresWithoutRef)),
        ]
    }

    public static func indicatorsJSON(period: Period, operators: [OperatorIndicators], naming: OperatorNaming,
                                      extra: [(String, JSONValue)] = []) -> JSONValue {
        .object([
            ("period", periodJSON(period)),
            ("ratio_estimator", .string(RatioEstimator.ratioOfSums.rawValue)),
            ("view", naming.viewJSON),
            ("operators", .array(operators.map { .object(operatorFields($0, naming: naming)) })),
        ] + extra)
    }

    public static func indicatorsTable(period: Period, operators: [OperatorIndicators], naming: OperatorNaming) -> String {
        var t = TextTable(header: ["operator", "specialty", "procedures", "mSv", "µSv/proc", "µSv/(Gy·cm²)", "% ref", "KAP Gy·cm²", "no KAP", "no ref"])
        for op in operators {
            t.append([naming.name(op.operatorID), op.specialty, "\(op.procedures)", formatFixed(op.cumulativeMilliSv, 2),
                      formatFixed(op.microSvPerProcedure, 1), formatFixed(op.pdeKap, 2), formatFixed(op.pctReference, 1),
                      formatFixed(op.totalKapGyCm2, 1), "\(op.sums.proceduresWithoutKap)", "\(op.sums.proceduresWithoutRef)"])
        }
        return "Indicators \(period) (\(period.days) days); ratios are ratios of sums (Σ Hp(10) / Σ KAP, Σ Hp(10) / Σ reference)\n"
            + t.rendered()
    }

    public static func typeShareJSON(_ s: TypeShare) -> JSONValue {
        .object([
            ("procedure_type", .string(s.procedureType)),
            ("procedures", .int(s.procedures)),
            ("pct_pde", .number(s.pctPDE)),
            ("pct_kap", .number(s.pctKAP)),
            ("pde_kap", .number(s.pdeKap)),
            ("pde_usv", .number(s.sums.hp10MicroSv.value)),
            ("kap_gycm2", .number(s.sums.totalKapGyCm2)),
        ])
    }

    public static func breakdownJSON(period: Period, operators: [(OperatorIndicators, TypeBreakdown)], group: (String, TypeBreakdown)?,
                                     naming: OperatorNaming) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("period", periodJSON(period)),
            ("ratio_estimator", .string(RatioEstimator.ratioOfSums.rawValue)),
            ("view", naming.viewJSON),
            ("operators", .array(operators.map { op, br in
                .object(operatorFields(op, naming: naming) + [("by_type", .array(br.types.map(typeShareJSON)))])
            })),
        ]
        if let (name, br) = group {
            members.append(("group", .object([("name", .string(name)), ("procedures", .int(br.total.procedures)),
                                              ("by_type", .array(br.types.map(typeShareJSON)))])))
        }
        return .object(members)
    }

    public static func breakdownTable(_ title: String, _ br: TypeBreakdown) -> String {
        var t = TextTable(header: ["procedure type", "procedures", "% PDE", "% KAP", "µSv/(Gy·cm²)"])
        for s in br.types {
            t.append([s.procedureType, "\(s.procedures)", formatFixed(s.pctPDE, 1), formatFixed(s.pctKAP, 1), formatFixed(s.pdeKap, 2)])
        }
        return "\(title): \(br.total.procedures) procedures, \(formatFixed(br.total.cumulativeMilliSv, 2)) mSv, \(formatFixed(br.total.totalKapGyCm2, 0)) Gy·cm²\n" + t.rendered()
    }
}
