import Foundation
import Testing

/// The suite's fixtures, and a way to run the tools that check the adapters.
enum TestTools {
    /// A fixture file's path.
    static func fixture(_ name: String) throws -> String {
        try #require(Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil)).path
    }

    /// What a finished process printed.
    struct Run {
        var exitCode: Int32
        var output: String
        var errors: String
    }

    /// Runs `executable` with `arguments`, writing `input` to its standard input, and waits for it to exit.
    ///
    /// Output goes to temporary files and the wait is a termination handler, so no thread of the concurrency
    /// pool blocks: a tool that talks to a server of this same process needs that pool to be answered.
    static func run(_ executable: String, _ arguments: [String], input: Data = Data()) async throws -> Run {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kprov-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outputURL = directory.appendingPathComponent("stdout")
        let errorURL = directory.appendingPathComponent("stderr")
        for url in [outputURL, errorURL] { try Data().write(to: url) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        process.standardError = try FileHandle(forWritingTo: errorURL)
        let exitCode = try await withCheckedThrowingContinuation {
            (continuation: CheckedContinuation<Int32, any Error>) in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                continuation.resume(throwing: error)
                return
            }
            stdin.fileHandleForWriting.write(input)
            try? stdin.fileHandleForWriting.close()
        }
        return Run(
            exitCode: exitCode, output: try String(contentsOf: outputURL, encoding: .utf8),
            errors: try String(contentsOf: errorURL, encoding: .utf8))
    }
}
