import ArgumentParser
import DoseCalDomain
import DoseCalNumerics

/// Options that shape a calibration (SPEC §5).
struct CalibrationOptions: ParsableArguments {
    @Option(name: .customLong("quantile-type"), help: "Hyndman & Fan quantile type 1–9 (7 = R/numpy default).")
    var quantileType: Int = 7

    @Option(name: .customLong("round"), help: "Rounding step of a first notification value, IND=STEP (usv_per_procedure=25, pde_kap=0.5, pct_reference=5 by default; STEP 0 = unrounded). Repeatable.")
    var round: [String] = []

    @Flag(name: .long, help: "No rounding at all: first notification = Q3.")
    var unrounded = false

    @Option(name: .long, help: "Confidence level of the Q3 interval.")
    var level: Double = 0.95

    @Option(name: .long, help: "Q3 interval: order (distribution-free order statistics), percentile or bca (bootstrap).")
    var interval: String = "order"

    @Option(name: .long, help: "Bootstrap resamples.")
    var bootstrap: Int = 2000

    @Option(name: .long, help: "Bootstrap seed (reproducible).")
    var seed: UInt64 = 20_240_930

    @Option(name: .long, help: "Ratio estimator for PDE/KAP and % reference: ratio_of_sums or mean_of_ratios.")
    var estimator: String = RatioEstimator.ratioOfSums.rawValue

    func validate() throws { _ = try settings() }

    func settings() throws -> CalibrationSettings {
        guard (1...9).contains(quantileType) else { throw ValidationError("--quantile-type must be 1 to 9, got \(quantileType).") }
        guard level > 0, level < 1 else { throw ValidationError("--level must be between 0 and 1, got \(level).") }
        guard bootstrap >= 100 else { throw ValidationError("--bootstrap needs at least 100 resamples.") }
        var rounding = unrounded ? RoundingSteps.none : RoundingSteps.standard
        for item in round {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let ind = Indicator(rawValue: parts[0]),
                  [Indicator.microSvPerProcedure, .pdeKap, .pctReference].contains(ind) else {
                throw ValidationError("--round takes IND=STEP with IND one of usv_per_procedure, pde_kap, pct_reference; got '\(item)'.")
            }
            guard let step = Double(parts[1]), step >= 0, step.isFinite else {
                throw ValidationError("--round \(parts[0]): the step must be a number ≥ 0, got '\(parts[1])'.")
            }
            rounding.steps[ind] = step
        }
        let q3Interval: Q3IntervalMethod
        switch interval {
        case "order": q3Interval = .orderStatistics(level: level)
        case "percentile": q3Interval = .bootstrapPercentile(level: level, resamples: bootstrap, seed: seed)
        case "bca": q3Interval = .bootstrapBCa(level: level, resamples: bootstrap, seed: seed)
        default: throw ValidationError("--interval must be order, percentile or bca; got '\(interval)'.")
        }
        guard let est = RatioEstimator(rawValue: estimator) else {
            throw ValidationError("--estimator must be ratio_of_sums or mean_of_ratios; got '\(estimator)'.")
        }
        return CalibrationSettings(quantileMethod: .hyndmanFan(quantileType), rounding: rounding, interval: q3Interval, estimator: est)
    }
}
