import ArgumentParser
import Foundation
import ProvisioningCore

/// Sends one declaration through the outbox and `KoyebClient`, and reports the result the way `--output` asks.
///
/// The declaration is journaled first and then delivered together with anything queued earlier for the same
/// API, in order — so a crash mid-send loses nothing. When it cannot be delivered now it stays queued, and the
/// command says why: its own failure, or the earlier entry it waits behind. It exits with 3 when the API could
/// not be reached or failed (a 5xx, or a 429 after the client's retries), and with 1 when the API refused the
/// token: the declaration is kept, and `kprov outbox flush --url …` sends it once the token is fixed.
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
            case .table: Console.line(DeclarationConfirmation.sentence(for: declaration))
            case .json: Console.line(String(decoding: try KoyebJSON.encoder().encode(reply), as: UTF8.self))
            }
        case .refused(let error):
            CommandOutcome.printError(error.description)
            throw CommandOutcome.refused
        case .queued(let error):
            for line in Self.queuedLines(delivery, error: error) { Console.note(line) }
            throw CommandOutcome.exitCode(forKept: error)
        }
    }

    /// Why a declaration was kept in the outbox, and how it will be sent.
    static func queuedLines(_ delivery: Outbox.Delivery, error: APIError?) -> [String] {
        let id = delivery.entry.id
        var lines: [String] = []
        if let blocker = delivery.heldBackBy {
            let reason =
                error == delivery.report.stoppedBy
                ? "the outbox stopped at entry \(blocker.id), which could not be sent (above), and keeps its order"
                : "it waits behind entry \(blocker.id) for the same deployment, which the API failed (above); "
                    + "one deployment's declarations go in order"
            lines.append("error: not sent: \(reason)")
        } else if let error {
            lines.append("error: \(error)")
        }
        let flush = OutboxReporter.flushCommand(for: delivery.entry.baseURL)
        if error?.isClientError == true {
            lines.append(
                "kept in the outbox as entry \(id): once the token is fixed, \(flush) sends it "
                    + "(`kprov outbox drop \(id)` discards it)")
        } else {
            let sender =
                error == nil
                ? Outbox.Delivery.sentByAnotherProcess
                : "\(flush) (or the next kprov declaration to that API) sends it"
            lines.append("queued as outbox entry \(id); \(sender)")
        }
        return lines
    }
}
