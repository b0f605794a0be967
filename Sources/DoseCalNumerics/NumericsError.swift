/// The one error type of the numerical core.
///
/// Every case carries what is needed to explain the problem to a person (the offending index,
/// value or size); ``description`` is one plain sentence suitable for a command-line message.
/// Programmer errors (for example calling ``quantile(sorted:p:method:)`` on an empty array) are
/// `precondition` failures instead; the throwing convenience functions validate data that comes
/// from the outside world and throw these errors.
public enum NumericsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The sample has no values.
    case emptySample
    /// The sample has fewer values than the statistic needs.
    case tooFewValues(needed: Int, got: Int)
    /// The value at zero-based `index` is NaN or infinite.
    case notFinite(index: Int, value: Double)
    /// The value at zero-based `index` must be strictly positive (logarithms are taken).
    case notPositive(index: Int, value: Double)
    /// A probability (quantile level `p`) lies outside [0, 1] or is NaN.
    case probabilityOutOfRange(Double)
    /// A confidence level lies outside the open interval (0, 1) or is NaN.
    case invalidLevel(Double)
    /// A named parameter has an unusable value (for example a non-positive number of resamples).
    case invalidParameter(name: String, value: Double, requirement: String)
    /// Two inputs that must have matching sizes do not.
    case dimensionMismatch(what: String, expected: Int, got: Int)
    /// A design matrix has numerical rank `rank` below its number of `columns`.
    case rankDeficient(rank: Int, columns: Int)
    /// A LAPACK routine reported failure (`info` is its return code).
    case lapackFailure(routine: String, info: Int)
    /// LAPACKE (liblapacke.so.3, over OpenBLAS) could not be opened.
    case lapackUnavailable

    /// One sentence saying what is wrong, for a person (the CLI prints it as is).
    public var description: String {
        switch self {
        case .emptySample:
            return "The sample is empty: at least one value is needed."
        case let .tooFewValues(needed, got):
            return "The sample has \(got) value\(got == 1 ? "" : "s") but at least \(needed) are needed."
        case let .notFinite(index, value):
            return "Value number \(index + 1) is \(value), not a finite number."
        case let .notPositive(index, value):
            return "Value number \(index + 1) is \(value), but all values must be greater than zero."
        case let .probabilityOutOfRange(p):
            return "The probability \(p) is outside the range 0 to 1."
        case let .invalidLevel(level):
            return "The confidence level \(level) must lie strictly between 0 and 1."
        case let .invalidParameter(name, value, requirement):
            return "The \(name) \(value) is not usable: it must be \(requirement)."
        case let .dimensionMismatch(what, expected, got):
            return "The \(what) has \(got) entries where \(expected) are needed."
        case let .rankDeficient(rank, columns):
            return "The design matrix has rank \(rank) but \(columns) columns: some columns are (nearly) collinear."
        case let .lapackFailure(routine, info):
            return "LAPACK routine \(routine) failed with code \(info)."
        case .lapackUnavailable:
            return "LAPACK could not be loaded (liblapacke.so.3 over OpenBLAS): install Debian's liblapacke-dev and libopenblas-dev, as scripts/setup.sh does."
        }
    }
}

/// Throws unless `sample` is non-empty and every value is finite.
func validateSample(_ sample: [Double]) throws {
    guard !sample.isEmpty else { throw NumericsError.emptySample }
    if let index = sample.firstIndex(where: { !$0.isFinite }) {
        throw NumericsError.notFinite(index: index, value: sample[index])
    }
}

/// Throws unless `p` is a probability in [0, 1].
func validateProbability(_ p: Double) throws {
    guard p >= 0, p <= 1 else { throw NumericsError.probabilityOutOfRange(p) }
}

/// Throws unless `level` lies in the open interval (0, 1).
func validateLevel(_ level: Double) throws {
    guard level > 0, level < 1 else { throw NumericsError.invalidLevel(level) }
}
