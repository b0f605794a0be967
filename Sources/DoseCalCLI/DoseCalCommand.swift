import ArgumentParser

/// The `dosecal` root command. Each subcommand parses its arguments, calls the library and
/// prints; no statistics or storage logic lives in this module.
public struct DoseCalCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "dosecal",
        abstract: "Occupational dose statistics and alert-threshold calibration for interventionalists.",
        discussion: """
        Units: Hp(10) in µSv, KAP in Gy·cm², cumulative dose in mSv. Every command prints a \
        readable table, or one JSON document with --json.
        """,
        version: "0.1.0",
        subcommands: DoseCalCommand.allSubcommands
    )

    public init() {}
}
