import ArgumentParser
import DoseCalReports

/// `--json`, shared by every command.
public struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print one JSON document on stdout instead of a table.")
    public var json = false

    public init() {}

    /// Prints `value` as JSON when `--json` was given, else the readable `table()`.
    func emit(_ value: @autoclosure () -> JSONValue, table: () -> String) {
        if json {
            print(value().rendered(pretty: true))
        } else {
            print(table(), terminator: "")
        }
    }
}
