import ChildProcess
import Foundation
import TestSupport
import Testing

/// Runs the built `kprov` executable (`scripts/test` builds it before `swift test`) as a user would.
struct KprovBinary {
    /// The built `kprov`.
    static var path: String { PackageFiles.executable("kprov") }

    /// A private state folder per test, so outboxes never mix.
    let stateHome: String = FileManager.default.temporaryDirectory
        .appendingPathComponent("kprov-state-\(UUID().uuidString)").path

    /// The environment every run gets: no Koyeb credentials from the machine, a private state and config.
    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = [
            "PATH": "/usr/bin:/bin", "HOME": stateHome, "XDG_STATE_HOME": stateHome + "/state",
            "XDG_CONFIG_HOME": stateHome + "/config", "LANG": "C.UTF-8",
        ]
        environment.merge(extra) { $1 }
        return environment
    }

    /// Starts `kprov arguments…` and returns the running process with its output pipes.
    func launch(_ arguments: [String], environment extra: [String: String] = [:]) throws -> (Process, Pipe, Pipe) {
        guard FileManager.default.isExecutableFile(atPath: Self.path) else {
            throw BinaryMissing(path: Self.path)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.path)
        process.arguments = arguments
        process.environment = environment(extra)
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, stdout, stderr)
    }

    /// Runs `kprov arguments…` to completion, with `environment(extra)`, on a thread of its own: never on one
    /// of the (two, on this machine) cooperative threads that an in-process simulator needs to answer.
    func run(_ arguments: [String], environment extra: [String: String] = [:]) async throws -> ChildProcess.Outcome {
        guard FileManager.default.isExecutableFile(atPath: Self.path) else { throw BinaryMissing(path: Self.path) }
        let environment = environment(extra)
        return try await onOwnThread { try ChildProcess.run([Self.path] + arguments, environment: environment) }
    }

    struct BinaryMissing: Error, CustomStringConvertible {
        var path: String
        var description: String { "\(path) is missing: build it first (scripts/test runs `swift build`)" }
    }
}
