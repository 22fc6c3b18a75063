import Foundation
import TestSupport
import Testing

/// Runs the built `kprov` executable (`scripts/test` builds it before `swift test`) as a user would.
struct KprovBinary {
    /// The built `kprov`.
    static var path: String { PackageFiles.executable("kprov") }

    /// What one run printed and how it ended.
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

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

    /// Runs `kprov arguments…` to completion. The waiting happens on a Dispatch thread, never on one of the
    /// (two, on this machine) cooperative threads that an in-process simulator needs to answer.
    func run(_ arguments: [String], environment extra: [String: String] = [:]) async throws -> Result {
        let (process, stdout, stderr) = try launch(arguments, environment: extra)
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let errorData = Pipe.drain(stderr)
                let out = stdout.fileHandleForReading.readDataToEndOfFile()
                let err = errorData()
                process.waitUntilExit()
                continuation.resume(
                    returning: Result(
                        status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                        stderr: String(decoding: err, as: UTF8.self)))
            }
        }
    }

    struct BinaryMissing: Error, CustomStringConvertible {
        var path: String
        var description: String { "\(path) is missing: build it first (scripts/test runs `swift build`)" }
    }
}

extension Pipe {
    /// Starts reading `pipe` to its end on another thread (so a full stderr pipe cannot stall the child while
    /// stdout is read); the returned function waits for and returns what was read.
    static func drain(_ pipe: Pipe) -> @Sendable () -> Data {
        let group = DispatchGroup()
        let box = DataBox()
        group.enter()
        DispatchQueue.global().async {
            box.data = pipe.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        return {
            group.wait()
            return box.data
        }
    }
}

/// Holds what a reader thread read; written once before `DispatchGroup.leave`, read after `wait`.
private final class DataBox: @unchecked Sendable {
    var data = Data()
}
