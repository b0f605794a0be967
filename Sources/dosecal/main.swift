import DoseCalCLI

await DoseCalCommand.main()
