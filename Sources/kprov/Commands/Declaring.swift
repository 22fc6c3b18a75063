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
            throw exitCode(for: error)
        }
    }

    static func exitCode(for error: APIError) -> ExitCode {
        error.isTransportFailure ? unreachable : refused
    }

    /// Prints `message` on standard error, prefixed with `error: `.
    static func printError(_ message: String) {
        Console.note("error: \(message)")
    }

    /// Prints `message` on standard error.
    static func printNote(_ message: String) {
        Console.note(message)
    }
}

/// Sends one declaration through the outbox and `KoyebClient`, and reports the result the way `--output` asks.
///
/// The declaration is journaled first and then delivered together with anything queued earlier for the same
/// API, in order — so a crash mid-send loses nothing. When it cannot be delivered now (the API unreachable, or
/// failing with 5xx after the client's retries, or an earlier declaration for the same deployment still
/// failing) it stays queued and the command exits with code 3; `kprov outbox flush` or the next declaration
/// sends it.
struct DeclarationSender {
    var connection: ConnectionOptions
    var output: OutputFormat

    func send(_ declaration: Declaration) async throws {
        let outbox = try openOutbox()
        let client = try connection.makeClient()
        try await client.using { try await deliver(declaration, with: $0, outbox: outbox) }
    }

    private func deliver(_ declaration: Declaration, with client: KoyebClient, outbox: Outbox) async throws {
        let delivery = try await outbox.deliver(declaration, using: client)
        OutboxReporter.report(delivery.report, except: delivery.entry.id)
        switch delivery.result {
        case .delivered(let reply):
            switch output {
            case .table: Console.line("declared \(declaration)")
            case .json: Console.line(String(decoding: try KoyebJSON.encoder().encode(reply), as: UTF8.self))
            }
        case .refused(let error):
            CommandOutcome.printError(error.description)
            throw CommandOutcome.refused
        case .queued(let error):
            if let error { CommandOutcome.printError(error.description) }
            CommandOutcome.printNote(
                "queued as outbox entry \(delivery.entry.id); `kprov outbox flush` (or the next kprov declaration) sends it"
            )
            throw CommandOutcome.unreachable
        }
    }
}
