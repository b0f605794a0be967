/// Conversion of the coded units of RDSR NUM items to DoseCal's fixed units (SPEC §2).
///
/// The unit is read from the Measurement Units Code Sequence: the code value is a UCUM
/// expression (PS3.16 CID 7181, coding scheme `UCUM`; the GE OEC RDSR writes the scheme as
/// `UCM`, accepted as the same scheme). Conversions are exact powers of ten or 60/3600. The
/// non-UCUM spelling `Gym2` (written by Siemens systems for Gy·m²) is accepted as an alias.
/// Anything else is an unknown unit: the value is left out and reported, never guessed.
public enum DoseUnit: String, Sendable, CaseIterable {
    /// Kerma-area product (dose-area product), converted to Gy·cm².
    case kap
    /// Air kerma (dose at the reference point), converted to Gy.
    case dose
    /// Duration, converted to s.
    case time

    /// The factor from `unit` to this quantity's DoseCal unit, or `nil` when unknown.
    /// 1 Gy·m² = 10 000 Gy·cm².
    public func factor(for unit: CodedConcept) -> Double? {
        guard unit.scheme == "UCUM" || unit.scheme == "UCM" else { return nil }
        switch self {
        case .kap: return DoseUnit.kapFactors[unit.value]
        case .dose: return DoseUnit.doseFactors[unit.value]
        case .time: return DoseUnit.timeFactors[unit.value]
        }
    }

    /// The unit DoseCal converts to, for messages.
    public var target: String {
        switch self {
        case .kap: return "Gy·cm²"
        case .dose: return "Gy"
        case .time: return "s"
        }
    }

    static let kapFactors: [String: Double] = [
        "Gy.m2": 1e4, "Gym2": 1e4, "dGy.m2": 1e3, "cGy.m2": 1e2, "mGy.m2": 10, "uGy.m2": 1e-2,
        "Gy.dm2": 1e2, "Gy.cm2": 1, "dGy.cm2": 0.1, "cGy.cm2": 0.01, "mGy.cm2": 1e-3, "uGy.cm2": 1e-6,
    ]
    static let doseFactors: [String: Double] = ["Gy": 1, "dGy": 0.1, "cGy": 0.01, "mGy": 1e-3, "uGy": 1e-6]
    static let timeFactors: [String: Double] = ["s": 1, "ms": 1e-3, "us": 1e-6, "min": 60, "h": 3600]
}
