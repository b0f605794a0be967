import Foundation
import Testing

/// Runs the built `dosecal` executable as a user would, capturing stdout, stderr and the exit code.
struct CLIRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String

        /// stdout parsed as JSON.
        func json() throws -> [String: Any] {
            let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
            guard let dict = object as? [String: Any] else { throw CLIRunnerError("stdout is not a JSON object: \(stdout.prefix(200))") }
            return dict
        }
    }

    struct CLIRunnerError: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    /// The repository root (this file is Tests/DoseCalCLITests/CLIRunner.swift).
    static let repoRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The executable: $DOSECAL_BIN, else next to the test binary, else .build/debug/dosecal.
    static let executable: URL = {
        if let path = ProcessInfo.processInfo.environment["DOSECAL_BIN"] { return URL(fileURLWithPath: path) }
        let fm = FileManager.default
        var candidates: [URL] = []
        let arg0 = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        candidates.append(arg0.deletingLastPathComponent().appendingPathComponent("dosecal"))
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("dosecal"))
        }
        candidates.append(repoRoot.appendingPathComponent(".build/debug/dosecal"))
        return candidates.first { fm.isExecutableFile(atPath: $0.path) } ?? candidates.last!
    }()

    /// A fresh temporary directory, in one folder for the whole test process that is removed
    /// when the process exits.
    static func temporaryDirectory() throws -> URL {
        let url = temporaryRoot.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @discardableResult
    static func run(_ arguments: [String], in directory: URL? = nil, stdin: String? = nil, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "DOSECAL_DB")
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), input = Pipe()
        // stderr goes to a file, stdout to a pipe read to its end: no deadlock on large output.
        let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("dosecal-stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let errHandle = try FileHandle(forWritingTo: errURL)
        defer { try? FileManager.default.removeItem(at: errURL) }
        process.standardOutput = out
        process.standardError = errHandle
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try errHandle.close()
        let errData = (try? Data(contentsOf: errURL)) ?? Data()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    static func write(_ text: String, to name: String, in dir: URL) throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }
}

/// The test process's folder of temporary directories (``CLIRunner/temporaryDirectory()``).
private let temporaryRoot: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("dosecal-cli-\(UUID().uuidString)")
    atexit { try? FileManager.default.removeItem(at: temporaryRoot) }
    return url
}()
