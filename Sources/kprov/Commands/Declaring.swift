import ArgumentParser
import Foundation
import ProvisioningCore

/// How a one-shot API command ends: exit 0 done, 1 the API refused, 3 the API could not be reached.
enum CommandOutcome {
    static let refused = ExitCode(1)
    static let unreachable = ExitCode(3)

    /// Runs `body`; on an `APIError` prints it on standard error as one line and exits with the matching code.
    static func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as APIError {
            printError(error.description)
            throw error.isTransportFailure ? unreachable : refused
        }
    }

    /// Prints `message` on standard error, prefixed with `error: `.
    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    }
}

/// Sends one declaration through `KoyebClient` and reports the result the way `--output` asks.
struct DeclarationSender {
    var connection: ConnectionOptions
    var output: OutputFormat

    /// Sends with `send`; prints `summary` (or the reply as JSON) on success.
    func send(summary: String, _ send: @Sendable @escaping (KoyebClient) async throws -> ProvisioningReply) async throws {
        let client = try connection.makeClient()
        let reply = try await CommandOutcome.run { try await client.using(send) }
        switch output {
        case .table: print(summary)
        case .json: print(String(decoding: try KoyebJSON.encoder().encode(reply), as: UTF8.self))
        }
    }
}
