import ArgumentParser

extension DoseCalCommand {
    /// Every top-level subcommand, in the order `dosecal --help` lists them.
    static let allSubcommands: [any ParsableCommand.Type] = [
        ImportCommand.self,
        IndicatorsCommand.self,
        BreakdownCommand.self,
        CalibrateCommand.self,
        AlertsCommand.self,
        ThresholdsCommand.self,
        RatiosCommand.self,
        CompareCommand.self,
        EyeLensCommand.self,
        ModelCommand.self,
        QualityCommand.self,
        ExportCommand.self,
        ReportCommand.self,
        RDSRCommand.self,
        StatsCommand.self,
    ]
}
