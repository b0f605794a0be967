import ArgumentParser

extension DoseCalCommand {
    /// Every top-level subcommand, in the order `dosecal --help` lists them.
    static let allSubcommands: [any ParsableCommand.Type] = [
        StatsCommand.self,
    ]
}
