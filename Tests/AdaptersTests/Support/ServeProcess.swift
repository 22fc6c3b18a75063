import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `kprov serve` running as its own process (`scripts/test` builds the binary before `swift test`), with its
/// output in files a test can poll without blocking the concurrency pool.
final class ServeProcess: Sendable {
    /// The built executable.
    static var executable: String { PackageFiles.executable("kprov") }

    private let process: Process
    private let outputURL: URL
    private let errorURL: URL
    private let exit: Task<Int32, Never>

    /// Starts `kprov serve arguments…` with only `environment` (plus `PATH` and a private `HOME`).
    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.executable) else {
            throw Missing(path: Self.executable)
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kprov-serve-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        outputURL = directory.appendingPathComponent("stdout")
        errorURL = directory.appendingPathComponent("stderr")
        for url in [outputURL, errorURL] { try Data().write(to: url) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = ["serve"] + arguments
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": directory.path].merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        process.standardError = try FileHandle(forWritingTo: errorURL)
        let (exits, exitContinuation) = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { exitContinuation.yield($0.terminationStatus) }
        try process.run()
        self.process = process
        exit = Task { await exits.first { _ in true } ?? -1 }
    }

    /// What the process printed so far.
    var output: String { (try? String(contentsOf: outputURL, encoding: .utf8)) ?? "" }
    var errors: String { (try? String(contentsOf: errorURL, encoding: .utf8)) ?? "" }

    /// Waits (up to 20 s) until the output has a line starting with `prefix` and returns that line's URL.
    func announcedURL(_ prefix: String) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let line = output.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }),
                let url = line.split(separator: " ").first(where: { $0.hasPrefix("http://") })
            {
                return String(url)
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw NotAnnounced(prefix: prefix, output: output, errors: errors)
    }

    /// Sends SIGTERM and returns the exit status.
    func terminate() async -> Int32 {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        return await exitStatus()
    }

    /// The exit status, once the process has ended.
    func exitStatus() async -> Int32 { await exit.value }

    struct Missing: Error, CustomStringConvertible {
        var path: String
        var description: String { "\(path) is missing: build it first (scripts/test runs `swift build`)" }
    }

    struct NotAnnounced: Error, CustomStringConvertible {
        var prefix: String
        var output: String
        var errors: String
        var description: String { "kprov serve printed no \"\(prefix)\" line; stdout: \(output) stderr: \(errors)" }
    }
}
