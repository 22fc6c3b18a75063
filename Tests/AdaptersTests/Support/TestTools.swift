import Foundation
import Testing

/// The package's directories and the Python test tools in its `.venv` (made by `scripts/test`).
enum TestTools {
    /// The package root: three levels up from this file.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// `.venv/bin/<name>`; records a failure that says how to make the venv when it is missing.
    static func venvTool(_ name: String) -> String? {
        let path = packageRoot + "/.venv/bin/" + name
        guard FileManager.default.isExecutableFile(atPath: path) else {
            let message =
                "\(path) is missing: run scripts/test, which makes the venv of test tools (or: python3 -m venv .venv "
                + "&& .venv/bin/pip install -r requirements-test.txt)"
            Issue.record(Comment(rawValue: message))
            return nil
        }
        return path
    }

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
