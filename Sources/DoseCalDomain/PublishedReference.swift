/// The published values DoseCal reproduces (SPEC §8; Sanchez, Vaño, Fernández Soto, Table 1:
/// January–September 2024, 3 cardiology and 2 radiology rooms, 3373 procedures).
///
/// Used by reports to print the published table beside the reproduced one. The tests keep
/// their own, independently typed copy.
public enum PublishedTable1 {
    /// One published statistic with the number of decimals it was printed with.
    public struct Value: Sendable, Hashable {
        public var value: Double
        public var decimals: Int
    }

    /// Median, IQR and Q3 of one indicator in one specialty.
    public struct Row: Sendable, Hashable {
        public var indicator: Indicator
        public var median: Value
        public var iqr: Value
        public var q3: Value
    }

    public struct Specialty: Sendable, Hashable {
        public var name: String
        public var operators: Int
        public var procedures: Int
        public var rows: [Row]
    }

    static func row(_ i: Indicator, _ m: Double, _ md: Int, _ iqr: Double, _ id: Int, _ q3: Double, _ qd: Int) -> Row {
        Row(indicator: i, median: Value(value: m, decimals: md), iqr: Value(value: iqr, decimals: id), q3: Value(value: q3, decimals: qd))
    }

    public static let period = (from: CivilDate(year: 2024, month: 1, day: 1)!, to: CivilDate(year: 2024, month: 9, day: 30)!)

    public static let specialties: [Specialty] = [
        Specialty(name: "cardiology", operators: 8, procedures: 1088, rows: [
            row(.procedures, 150, 0, 44, 0, 160, 0),
            row(.cumulativeMilliSv, 2.50, 2, 1.0, 1, 2.89, 2),
            row(.microSvPerProcedure, 15.3, 1, 4.1, 1, 18.0, 1),
            row(.pctReference, 10.9, 1, 8.7, 1, 14.4, 1),
            row(.pdeKap, 0.24, 2, 0.09, 2, 0.30, 2),
        ]),
        Specialty(name: "radiology", operators: 11, procedures: 2285, rows: [
            row(.procedures, 211, 0, 161, 0, 277, 0),
            row(.cumulativeMilliSv, 3.28, 2, 1.2, 1, 3.70, 2),
            row(.microSvPerProcedure, 17.2, 1, 10, 0, 21.1, 1),
            row(.pctReference, 16.8, 1, 11.2, 1, 22.5, 1),
            row(.pdeKap, 0.31, 2, 0.25, 2, 0.44, 2),
        ]),
    ]

    /// Derived alert values in the paper: 25/50 µSv per procedure and 0.50/1.0 µSv/(Gy·cm²) for
    /// both specialties; 4.5/15 mSv for the nine months.
    public static let notification: [Indicator: NotificationValues] = [
        .microSvPerProcedure: NotificationValues(first: 25, second: 50),
        .pdeKap: NotificationValues(first: 0.5, second: 1.0),
        .cumulativeMilliSv: NotificationValues(first: 4.5, second: 15),
    ]

    /// Rounds half away from zero at `decimals`, as the published table prints.
    public static func rounded(_ x: Double, _ decimals: Int) -> Double {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        return (x * scale).rounded(.toNearestOrAwayFromZero) / scale
    }
}
