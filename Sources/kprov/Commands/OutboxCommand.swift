import ArgumentParser
import Foundation
import ProvisioningCore

/// `kprov outbox list|flush|drop ID`: declarations that could not be delivered yet.
struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "Show, send or drop declarations queued while the API was unreachable.",
        discussion: "The outbox lives in $XDG_STATE_HOME/kprov/outbox/ (default ~/.local/state/kprov/outbox/).",
        subcommands: [List.self, Flush.self, Retry.self, Drop.self])

    /// `kprov outbox list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List queued declarations.", discussion: "Example:\n  kprov outbox list --output json")

        @Option(help: "table or json.")
        var output: OutputFormat = .table

        func run() async throws {
            let entries = try await openOutbox().entries()
            switch output {
            case .json:
                let views = entries.map(OutboxEntryView.init)
                Console.line(String(decoding: try KoyebJSON.encoder(pretty: true).encode(views), as: UTF8.self))
            case .table:
                if entries.isEmpty { Console.line("the outbox is empty") }
                for entry in entries {
                    let state = entry.refusal.map { "refused: \($0)" } ?? "pending: \(entry.lastFailure ?? "-")"
                    Console.line(
                        "\(entry.id)  \(RFC3339.format(entry.queuedAt))  \(entry.declaration)  \(entry.baseURL)  \(state)"
                    )
                }
            }
        }
    }

    /// `kprov outbox flush`.
    struct Flush: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send queued declarations now, in order.", discussion: "Example:\n  kprov outbox flush")

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let outbox = try openOutbox()
            let client = try connection.makeClient()
            let report = try await client.using { try await outbox.flush(using: $0) }
            OutboxReporter.report(report)
            if report.delivered.isEmpty && report.refused.isEmpty && report.failed.isEmpty && report.stoppedBy == nil {
                Console.line("outbox: nothing to send")
            }
            if let stoppedBy = report.stoppedBy {
                CommandOutcome.printError(stoppedBy.description)
                throw CommandOutcome.unreachable
            }
            if !report.failed.isEmpty { throw CommandOutcome.unreachable }
            if !report.refused.isEmpty { throw CommandOutcome.refused }
        }
    }

    /// `kprov outbox retry ID`.
    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put a refused declaration back in the queue; the next flush sends it again.",
            discussion: "Example:\n  kprov outbox retry 3 && kprov outbox flush")

        @Argument(help: "The entry id, an integer as `kprov outbox list` shows it.")
        var id: Int

        func run() async throws {
            do {
                try await openOutbox().retry(id: id)
            } catch let error as ConfigurationError {
                throw ValidationError(error.description)
            }
            Console.line("outbox entry \(id) is queued again")
        }
    }

    /// `kprov outbox drop ID`.
    struct Drop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a queued declaration without sending it.", discussion: "Example:\n  kprov outbox drop 3")

        @Argument(help: "The entry id, an integer as `kprov outbox list` shows it.")
        var id: Int

        func run() async throws {
            do {
                try await openOutbox().drop(id: id)
            } catch let error as ConfigurationError {
                throw ValidationError(error.description)
            }
            Console.line("dropped outbox entry \(id)")
        }
    }
}

/// The outbox, with a configuration problem (unreadable folder, world-readable journal) as a usage error.
func openOutbox() throws -> Outbox {
    do {
        return try Outbox()
    } catch let error as ConfigurationError {
        throw ValidationError(error.description)
    }
}

/// An outbox entry as `kprov outbox list --output json` shows it: the body without its secret.
private struct OutboxEntryView: Encodable {
    var id: Int
    var queuedAt: Date
    var baseURL: String
    var declaration: String
    var lastFailure: String?
    var refusal: String?

    init(_ entry: OutboxEntry) {
        id = entry.id
        queuedAt = entry.queuedAt
        baseURL = entry.baseURL
        declaration = entry.declaration.description
        lastFailure = entry.lastFailure
        refusal = entry.refusal
    }

    enum CodingKeys: String, CodingKey {
        case id, declaration, refusal
        case queuedAt = "queued_at"
        case baseURL = "base_url"
        case lastFailure = "last_failure"
    }
}

/// Prints what a flush did, one line per entry.
enum OutboxReporter {
    /// Reports every entry of `report` except `skipped` (the one the calling command reports itself).
    static func report(_ report: Outbox.FlushReport, except skipped: Int? = nil) {
        for (entry, _) in report.delivered where entry.id != skipped {
            CommandOutcome.printNote("outbox: delivered \(entry.id): \(entry.declaration)")
        }
        for (entry, error) in report.refused where entry.id != skipped {
            CommandOutcome.printNote("outbox: the API refused \(entry.id): \(entry.declaration): \(error)")
        }
        for (entry, error) in report.failed where entry.id != skipped {
            CommandOutcome.printNote("outbox: \(entry.id) stays queued: \(entry.declaration): \(error)")
        }
    }
}
