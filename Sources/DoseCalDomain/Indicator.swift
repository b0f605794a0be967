/// The per-operator indicators of SPEC §3 that have reference samples and (but for
/// `procedures`) alerts. Raw values are the JSON keys of SPEC §9.
public enum Indicator: String, CaseIterable, Sendable, Hashable, Codable {
    /// Number of procedures with a reading (count).
    case procedures
    /// Cumulative PDE, mSv. Alert 1.
    case cumulativeMilliSv = "cumulative_msv"
    /// PDE per procedure, µSv. Alert 2.
    case microSvPerProcedure = "usv_per_procedure"
    /// PDE/KAP, µSv/(Gy·cm²). Alert 3.
    case pdeKap = "pde_kap"
    /// PDE/reference dosimeter, %. Alert 4.
    case pctReference = "pct_reference"

    /// The four indicators with alerts, in alert order 1–4.
    public static let alerted: [Indicator] = [.cumulativeMilliSv, .microSvPerProcedure, .pdeKap, .pctReference]

    /// Unit as printed.
    public var unit: String {
        switch self {
        case .procedures: return "count"
        case .cumulativeMilliSv: return "mSv"
        case .microSvPerProcedure: return "µSv"
        case .pdeKap: return "µSv/(Gy·cm²)"
        case .pctReference: return "%"
        }
    }

    /// Short human label.
    public var label: String {
        switch self {
        case .procedures: return "procedures/operator"
        case .cumulativeMilliSv: return "cumulative mSv"
        case .microSvPerProcedure: return "µSv/procedure"
        case .pdeKap: return "µSv/(Gy·cm²)"
        case .pctReference: return "% reference"
        }
    }

    /// Alert number 1–4, or `nil` for `procedures`.
    public var alertNumber: Int? { Indicator.alerted.firstIndex(of: self).map { $0 + 1 } }
}

/// Which "average ratio" an output uses (SPEC §3); always named in the output.
public enum RatioEstimator: String, Sendable, Hashable, Codable, CaseIterable {
    /// Σ hp10 / Σ kap (the default).
    case ratioOfSums = "ratio_of_sums"
    /// Mean of the per-procedure ratios.
    case meanOfRatios = "mean_of_ratios"
}

/// One operator's indicators over a period (SPEC §3, §9).
public struct OperatorIndicators: Sendable, Hashable {
    public var operatorID: String
    public var specialty: String
    public var sums: DoseAccumulator

    public init(operatorID: String, specialty: String, sums: DoseAccumulator) {
        self.operatorID = operatorID
        self.specialty = specialty
        self.sums = sums
    }

    public var procedures: Int { sums.procedures }
    public var cumulativeMilliSv: Double { sums.cumulativeMilliSv }
    public var microSvPerProcedure: Double? { sums.microSvPerProcedure }
    public var pdeKap: Double? { sums.pdeKap }
    public var pdeKapMeanRatio: Double? { sums.pdeKapMeanRatio }
    public var pctReference: Double? { sums.pctReference }
    public var pctReferenceMeanRatio: Double? { sums.pctReferenceMeanRatio }
    public var totalKapGyCm2: Double { sums.totalKapGyCm2 }

    /// The indicator's value under an estimator; `nil` when it has none (no KAP, no reference).
    public func value(_ indicator: Indicator, estimator: RatioEstimator = .ratioOfSums) -> Double? {
        switch indicator {
        case .procedures: return Double(procedures)
        case .cumulativeMilliSv: return cumulativeMilliSv
        case .microSvPerProcedure: return microSvPerProcedure
        case .pdeKap: return estimator == .ratioOfSums ? pdeKap : pdeKapMeanRatio
        case .pctReference: return estimator == .ratioOfSums ? pctReference : pctReferenceMeanRatio
        }
    }
}
