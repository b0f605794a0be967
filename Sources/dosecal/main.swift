import DoseCalCLI

DoseCalCommand.main()
