import DoseCalNumerics

/// One operator reading as the dose model needs it.
public struct ModelReading: Sendable, Hashable {
    public var studyUID: String
    public var operatorID: String
    public var procedureType: String
    public var hp10MicroSv: Double
    public var kapGyCm2: Double?

    public init(studyUID: String, operatorID: String, procedureType: String, hp10MicroSv: Double, kapGyCm2: Double?) {
        self.studyUID = studyUID
        self.operatorID = operatorID
        self.procedureType = procedureType
        self.hp10MicroSv = hp10MicroSv
        self.kapGyCm2 = kapGyCm2
    }
}

/// A log-log model of operator dose on patient dose with procedure-type effects (SPEC §6):
///
///     ln Hp(10) = β₀ + β₁ ln KAP + Σ_t γ_t [type = t] + ε
///
/// fitted by least squares (LAPACK `dgelsd` with an explicit rank tolerance). The first type in
/// code-point order is the reference level. Each reading's expected dose is exp(fitted) (the
/// conditional geometric mean); the ratio observed/expected shows procedures and operators far
/// above expectation. Readings with Hp(10) ≤ 0 or no positive KAP cannot enter a log model and
/// are counted, not used.
public struct DoseModel: Sendable {
    public var fit: LeastSquaresFit
    /// Column names of the design: "intercept", "ln_kap", then "type: …".
    public var terms: [String]
    public var referenceType: String
    public var used: [ModelReading]
    public var leftOut: Int

    /// - Throws: ``NumericsError`` when fewer readings than terms remain, or from LAPACK.
    public init(readings: [ModelReading], rankTolerance: Double = 1e-10) throws {
        used = readings.filter { $0.hp10MicroSv > 0 && ($0.kapGyCm2 ?? 0) > 0 }
        leftOut = readings.count - used.count
        let types = Set(used.map(\.procedureType)).sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
        referenceType = types.first ?? ""
        let others = Array(types.dropFirst())
        let index = Dictionary(uniqueKeysWithValues: others.enumerated().map { ($1, $0) })
        terms = ["intercept", "ln_kap"] + others.map { "type: \($0)" }
        let p = terms.count
        var elements = [Double](repeating: 0, count: used.count * p)
        var y: [Double] = []
        y.reserveCapacity(used.count)
        for (i, r) in used.enumerated() {
            elements[i * p] = 1
            elements[i * p + 1] = _log(r.kapGyCm2!)
            if let j = index[r.procedureType] { elements[i * p + 2 + j] = 1 }
            y.append(_log(r.hp10MicroSv))
        }
        fit = try LeastSquaresFit.fit(design: Matrix(rows: used.count, columns: p, elements: elements), response: y, rankTolerance: rankTolerance)
    }

    /// Observed / expected for each used reading, in the order of ``used``.
    public var ratios: [Double] { fit.residuals.map { _exp($0) } }

    /// Per operator: readings used and the geometric mean of observed/expected.
    public func operatorRatios() -> [(operatorID: String, readings: Int, ratio: Double)] {
        var sums: [String: (Double, Int)] = [:]
        for (r, e) in zip(used, fit.residuals) {
            let s = sums[r.operatorID] ?? (0, 0)
            sums[r.operatorID] = (s.0 + e, s.1 + 1)
        }
        return sums.map { ($0.key, $0.value.1, _exp($0.value.0 / Double($0.value.1))) }.sorted { $0.ratio > $1.ratio }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@inline(__always) func _log(_ x: Double) -> Double { log(x) }
@inline(__always) func _exp(_ x: Double) -> Double { exp(x) }
