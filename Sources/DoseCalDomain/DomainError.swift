/// The domain layer's one error type.
public enum DomainError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidPeriod(from: CivilDate, to: CivilDate)
    /// No threshold version is in force for the date, and none was named.
    case noThresholdVersion(onDate: CivilDate)
    case unknownThresholdVersion(Int)
    case invalidThreshold(String)
    case invalidArgument(String)

    public var description: String {
        switch self {
        case let .invalidPeriod(from, to):
            return "The period ends (\(to)) before it starts (\(from))."
        case let .noThresholdVersion(date):
            return "No threshold version is in force on \(date). Make one with `dosecal calibrate --from … --to … --save`, then `dosecal thresholds activate N --effective DATE`, or name one with --version N."
        case let .unknownThresholdVersion(v):
            return "There is no threshold version \(v); `dosecal thresholds list` shows the saved ones."
        case let .invalidThreshold(text):
            return "Invalid threshold: \(text)."
        case let .invalidArgument(text):
            return text
        }
    }
}
