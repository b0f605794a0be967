import ArgumentParser
import DoseCalNumerics

/// `dosecal stats`: the numerical core on a column of numbers, one per line.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Statistics on a column of numbers (one per line).",
        discussion: """
        Input: FILE, or standard input when FILE is - or absent. One number per line; blank lines \
        and lines starting with # are skipped. Quantile types are those of Hyndman & Fan (1996), \
        1 to 9 (7 = linear, the default of R and numpy), or hd for Harrell-Davis.
        """,
        subcommands: [StatsQuantileCommand.self, StatsDescribeCommand.self, StatsCompareCommand.self]
    )
}

/// `dosecal stats quantile`: sample quantiles under a named definition.
struct StatsQuantileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantile",
        abstract: "Sample quantiles under a named definition."
    )

    @Option(name: .customLong("p"), help: "Comma-separated probabilities in [0, 1].")
    var probabilities = "0.1,0.25,0.5,0.75,0.9"

    @Option(name: .long, help: "Quantile type: 1-9 (Hyndman & Fan) or hd (Harrell-Davis).")
    var type = "7"

    @Option(name: .long, help: "Read this named column of a CSV file (empty cells skipped) instead of one number per line.")
    var column: String?

    @Argument(help: "File with one number per line; - or absent for standard input.")
    var file: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        _ = try StatsOptions.probabilities(probabilities)
        _ = try StatsOptions.quantileMethod(type)
    }

    func run() throws {
        let input = try StatsInput.read(file, column: column)
        let report = try StatsReports.quantiles(
            input.numbers, source: input.source,
            ps: try StatsOptions.probabilities(probabilities), method: try StatsOptions.quantileMethod(type))
        output.emit(report.json) { report.table }
    }
}

/// `dosecal stats describe`: summary statistics and the uncertainty of the third quartile.
struct StatsDescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Summary statistics with a confidence interval for the third quartile.",
        discussion: """
        The Q3 interval is distribution-free (two order statistics, exact binomial coverage); with \
        --bootstrap N, percentile and BCa bootstrap intervals from N resamples are added, \
        reproducible from --seed.
        """
    )

    @Option(name: .long, help: "Quantile type: 1-9 (Hyndman & Fan) or hd (Harrell-Davis).")
    var type = "7"

    @Option(name: .long, help: "Confidence level of the Q3 intervals, in (0, 1).")
    var level = 0.95

    @Option(name: .long, help: "Also give bootstrap intervals for Q3 from this many resamples.")
    var bootstrap: Int?

    @Option(name: .long, help: "Seed of the bootstrap's random numbers.")
    var seed: Int = StatsOptions.defaultSeed

    @Option(name: .long, help: "Read this named column of a CSV file (empty cells skipped) instead of one number per line.")
    var column: String?

    @Argument(help: "File with one number per line; - or absent for standard input.")
    var file: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        _ = try StatsOptions.quantileMethod(type)
        try StatsOptions.validate(level: level, bootstrap: bootstrap, seed: seed)
    }

    func run() throws {
        let input = try StatsInput.read(file, column: column)
        let report = try StatsReports.describe(
            input.numbers, source: input.source, method: try StatsOptions.quantileMethod(type),
            level: level, bootstrap: bootstrap, seed: UInt64(seed))
        output.emit(report.json) { report.table }
    }
}

/// `dosecal stats compare`: two groups side by side, with a rank test and a shift estimate.
struct StatsCompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two groups: medians, IQRs, Mann-Whitney U and the Hodges-Lehmann shift.",
        discussion: """
        The shift is location(B) - location(A): the median of all differences b - a, with the \
        Moses distribution-free interval. With --bootstrap N, adds a bootstrap percentile interval \
        for Q3(B) - Q3(A).
        """
    )

    @Option(name: .long, help: "Read this named column of a CSV file (empty cells skipped) instead of one number per line.")
    var column: String?

    @Argument(help: "File of group A (one number per line; - for standard input).")
    var fileA: String

    @Argument(help: "File of group B (one number per line; - for standard input).")
    var fileB: String

    @Option(name: .long, help: "Quantile type for medians and IQRs: 1-9 or hd.")
    var type = "7"

    @Option(name: .long, help: "Confidence level of the intervals, in (0, 1).")
    var level = 0.95

    @Option(name: .long, help: "Also give a bootstrap interval for Q3(B) - Q3(A) from this many resamples.")
    var bootstrap: Int?

    @Option(name: .long, help: "Seed of the bootstrap's random numbers.")
    var seed: Int = StatsOptions.defaultSeed

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if fileA == "-" && fileB == "-" {
            throw ValidationError("Only one of the two groups can be read from standard input.")
        }
        _ = try StatsOptions.quantileMethod(type)
        try StatsOptions.validate(level: level, bootstrap: bootstrap, seed: seed)
    }

    func run() throws {
        let a = try StatsInput.read(fileA, column: column)
        let b = try StatsInput.read(fileB, column: column)
        let report = try StatsReports.compare(
            a.numbers, b.numbers, sourceA: a.source, sourceB: b.source,
            method: try StatsOptions.quantileMethod(type), level: level, bootstrap: bootstrap,
            seed: UInt64(seed))
        output.emit(report.json) { report.table }
    }
}

/// Parsing and checking of the options shared by the `stats` subcommands.
enum StatsOptions {
    /// The bootstrap seed used when none is given (printed with every bootstrap result).
    static let defaultSeed = 20_240_930

    static func probabilities(_ text: String) throws -> [Double] {
        do {
            return try StatsInput.parseProbabilities(text)
        } catch let error as StatsInputError {
            throw ValidationError(error.description)
        }
    }

    static func quantileMethod(_ text: String) throws -> QuantileMethod {
        guard let method = QuantileMethod(argument: text) else {
            throw ValidationError("--type must be 1 to 9 (Hyndman & Fan) or hd (Harrell-Davis), not \"\(text)\".")
        }
        return method
    }

    static func validate(level: Double, bootstrap: Int?, seed: Int) throws {
        guard level > 0, level < 1 else {
            throw ValidationError("--level must lie strictly between 0 and 1, for example 0.95; got \(level).")
        }
        if let bootstrap, bootstrap < 1 {
            throw ValidationError("--bootstrap needs a positive number of resamples, for example 2000; got \(bootstrap).")
        }
        guard seed >= 0 else {
            throw ValidationError("--seed must be zero or a positive whole number; got \(seed).")
        }
    }
}
