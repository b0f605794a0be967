/// Sums over a group of (operator, procedure) readings from which every SPEC §3 indicator is
/// derived: an operator's indicators, or one procedure type's row of a breakdown.
///
/// A procedure contributes to PDE/KAP only when its KAP is known, and to PDE/reference only when
/// its reference reading is known (SPEC §3); the others are counted in ``proceduresWithoutKap``
/// and ``proceduresWithoutRef``. A known value of 0 is a value: it enters the ratio of sums (its
/// Hp(10) counts, its 0 adds nothing to the denominator) but not the mean of per-procedure
/// ratios, where it would divide by zero.
///
/// - Complexity: O(1) per reading; merging is O(1).
public struct DoseAccumulator: Sendable, Hashable {
    /// Readings (procedures with a reading for the operator).
    public var procedures: Int { _procedures }
    @usableFromInline internal var _procedures = 0
    /// Σ Hp(10), µSv.
    public var hp10MicroSv: CompensatedSum { _hp10MicroSv }
    @usableFromInline internal var _hp10MicroSv = CompensatedSum()
    /// Σ KAP over procedures with a usable KAP, Gy·cm².
    public var kapGyCm2: CompensatedSum { _kapGyCm2 }
    @usableFromInline internal var _kapGyCm2 = CompensatedSum()
    /// Σ Hp(10) over procedures with a usable KAP, µSv.
    public var hp10WithKapMicroSv: CompensatedSum { _hp10WithKapMicroSv }
    @usableFromInline internal var _hp10WithKapMicroSv = CompensatedSum()
    /// Σ per-procedure Hp(10)/KAP over procedures with KAP > 0, µSv/(Gy·cm²).
    public var kapRatioSum: CompensatedSum { _kapRatioSum }
    @usableFromInline internal var _kapRatioSum = CompensatedSum()
    public var proceduresWithKap: Int { _proceduresWithKap }
    @usableFromInline internal var _proceduresWithKap = 0
    /// Procedures with KAP > 0 (the mean of ratios' denominator).
    public var proceduresWithPositiveKap: Int { _proceduresWithPositiveKap }
    @usableFromInline internal var _proceduresWithPositiveKap = 0
    /// Σ reference-dosimeter Hp(10) over procedures with a usable reading, µSv.
    public var refMicroSv: CompensatedSum { _refMicroSv }
    @usableFromInline internal var _refMicroSv = CompensatedSum()
    /// Σ Hp(10) over procedures with a usable reference reading, µSv.
    public var hp10WithRefMicroSv: CompensatedSum { _hp10WithRefMicroSv }
    @usableFromInline internal var _hp10WithRefMicroSv = CompensatedSum()
    /// Σ per-procedure Hp(10)/reference over readings > 0 (a fraction, not %).
    public var refRatioSum: CompensatedSum { _refRatioSum }
    @usableFromInline internal var _refRatioSum = CompensatedSum()
    public var proceduresWithRef: Int { _proceduresWithRef }
    @usableFromInline internal var _proceduresWithRef = 0
    /// Procedures with a reference reading > 0.
    public var proceduresWithPositiveRef: Int { _proceduresWithPositiveRef }
    @usableFromInline internal var _proceduresWithPositiveRef = 0

    public init() {}

    /// Adds one operator reading for one procedure.
    /// - Parameters:
    ///   - hp10MicroSv: the operator's over-apron Hp(10), µSv.
    ///   - kapGyCm2: the procedure's total KAP, Gy·cm², or `nil` when unknown.
    ///   - refMicroSv: the C-arm reference dosimeter's Hp(10), µSv, or `nil` when unknown.
    @inlinable
    public mutating func add(hp10MicroSv hp: Double, kapGyCm2 kap: Double?, refMicroSv ref: Double?) {
        _procedures += 1
        _hp10MicroSv.add(hp)
        if let kap {
            _proceduresWithKap += 1
            _kapGyCm2.add(kap)
            _hp10WithKapMicroSv.add(hp)
            if kap > 0 {
                _proceduresWithPositiveKap += 1
                _kapRatioSum.add(hp / kap)
            }
        }
        if let ref {
            _proceduresWithRef += 1
            _refMicroSv.add(ref)
            _hp10WithRefMicroSv.add(hp)
            if ref > 0 {
                _proceduresWithPositiveRef += 1
                _refRatioSum.add(hp / ref)
            }
        }
    }

    public mutating func merge(_ other: DoseAccumulator) {
        _procedures += other.procedures
        _hp10MicroSv.add(other.hp10MicroSv)
        _kapGyCm2.add(other.kapGyCm2)
        _hp10WithKapMicroSv.add(other.hp10WithKapMicroSv)
        _kapRatioSum.add(other.kapRatioSum)
        _proceduresWithKap += other.proceduresWithKap
        _proceduresWithPositiveKap += other.proceduresWithPositiveKap
        _refMicroSv.add(other.refMicroSv)
        _hp10WithRefMicroSv.add(other.hp10WithRefMicroSv)
        _refRatioSum.add(other.refRatioSum)
        _proceduresWithRef += other.proceduresWithRef
        _proceduresWithPositiveRef += other.proceduresWithPositiveRef
    }

    public var proceduresWithoutKap: Int { procedures - proceduresWithKap }
    public var proceduresWithoutRef: Int { procedures - proceduresWithRef }

    /// Cumulative PDE, mSv (Σ Hp(10) / 1000).
    public var cumulativeMilliSv: Double { hp10MicroSv.value / 1000 }
    /// PDE per procedure, µSv; `nil` with no procedures.
    public var microSvPerProcedure: Double? { procedures > 0 ? hp10MicroSv.value / Double(procedures) : nil }
    /// PDE/KAP as a ratio of sums, µSv/(Gy·cm²); `nil` when no KAP is known or they sum to 0.
    public var pdeKap: Double? { kapGyCm2.value > 0 ? hp10WithKapMicroSv.value / kapGyCm2.value : nil }
    /// PDE/KAP as the mean of per-procedure ratios (procedures with KAP > 0), µSv/(Gy·cm²).
    public var pdeKapMeanRatio: Double? { proceduresWithPositiveKap > 0 ? kapRatioSum.value / Double(proceduresWithPositiveKap) : nil }
    /// PDE/reference as a ratio of sums, %; `nil` when no reading is known or they sum to 0.
    public var pctReference: Double? { refMicroSv.value > 0 ? 100 * hp10WithRefMicroSv.value / refMicroSv.value : nil }
    /// PDE/reference as the mean of per-procedure ratios (readings > 0), %.
    public var pctReferenceMeanRatio: Double? { proceduresWithPositiveRef > 0 ? 100 * refRatioSum.value / Double(proceduresWithPositiveRef) : nil }
    /// Σ KAP over the procedures with a known KAP, Gy·cm².
    public var totalKapGyCm2: Double { kapGyCm2.value }
}
