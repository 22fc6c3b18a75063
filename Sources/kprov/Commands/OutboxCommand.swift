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

    /// Reads the id of an outbox entry: a whole number from 1, as `kprov outbox list` shows it.
    static let entryID = AllowedNumbers(
        1...Int.max, description: "an entry id, a whole number from 1 as `kprov outbox list` shows it"
    ).parse

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
            abstract: "Send queued declarations now, in order.",
            discussion: """
                Sends the entries queued for the API that --url (or KOYEB_URL, …) names; entries queued for \
                another API wait for a flush with that --url, and the command says which.

                Exit status:
                  0    nothing is left to send
                  1    the API refused an entry: for its token (the flush stops there
                       and the entries stay queued), or for another reason, e.g. a
                       404 (the entry is set aside: `kprov outbox retry ID` queues it
                       again)
                  3    entries stay queued: the API could not be reached or failed
                       (5xx), or nothing was sent while entries wait for another API

                Example:
                  kprov outbox flush
                """)

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let outbox = try openOutbox()
            let client = try connection.makeClient()
            let baseURL = client.configuration.baseURL.text
            let report = try await client.using { try await outbox.flush(using: $0) }
            OutboxReporter.report(report)
            let elsewhere = report.forOtherAPIs
            if report.results.isEmpty {
                Console.line("outbox: nothing to send to \(baseURL)")
            }
            for line in OutboxReporter.elsewhereLines(elsewhere) { Console.note(line) }
            if let stoppedBy = report.stoppedBy {
                CommandOutcome.printError(stoppedBy.description)
                throw CommandOutcome.exitCode(forKept: stoppedBy)
            }
            if !report.failed.isEmpty || (report.results.isEmpty && !elsewhere.isEmpty) {
                throw CommandOutcome.unavailable
            }
            if !report.refused.isEmpty { throw CommandOutcome.refused }
        }
    }

    /// `kprov outbox retry ID`.
    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put a refused declaration back in the queue; the next flush sends it again.",
            discussion: "Example:\n  kprov outbox retry 3 && kprov outbox flush --url https://app.koyeb.com")

        @Argument(help: "The entry id, an integer as `kprov outbox list` shows it.", transform: OutboxCommand.entryID)
        var id: Int

        func run() async throws {
            let retried: (entry: OutboxEntry, requeued: Bool)
            do {
                retried = try await openOutbox().retry(id: id)
            } catch let error as ConfigurationError {
                throw ValidationError(error.description)
            }
            let flush = OutboxReporter.flushCommand(for: retried.entry.baseURL)
            Console.line(
                retried.requeued
                    ? "outbox entry \(id) is queued again; \(flush) sends it"
                    : "outbox entry \(id) was not refused: it already waits to be sent (\(flush) sends it)")
        }
    }

    /// `kprov outbox drop ID`.
    struct Drop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a queued declaration without sending it.", discussion: "Example:\n  kprov outbox drop 3")

        @Argument(help: "The entry id, an integer as `kprov outbox list` shows it.", transform: OutboxCommand.entryID)
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

/// Prints what a flush did, one line per entry, in the order the flush came to them.
enum OutboxReporter {
    /// Reports every entry of `report` except `skipped` (the one the calling command reports itself).
    static func report(_ report: Outbox.FlushReport, except skipped: Int? = nil) {
        for result in report.results where result.entry.id != skipped {
            let entry = result.entry
            switch result.outcome {
            case .delivered:
                Console.note("outbox: delivered \(entry.id): \(entry.declaration)")
            case .refused(let error):
                Console.note("outbox: the API refused \(entry.id): \(entry.declaration): \(error)")
            case .failed(let error):
                Console.note("outbox: \(entry.id) stays queued: \(entry.declaration): \(error)")
            case .waiting:
                let behind = result.heldBackBy.map { " behind \($0.id)" } ?? ""
                Console.note("outbox: \(entry.id) stays queued\(behind): \(entry.declaration)")
            }
        }
    }

    /// How many entries wait for which other APIs, and the command that sends them; none when `entries` is empty.
    static func elsewhereLines(_ entries: [OutboxEntry]) -> [String] {
        Dictionary(grouping: entries, by: \.baseURL).sorted { $0.key < $1.key }.map { url, waiting in
            let (noun, pronoun) = waiting.count == 1 ? ("entry waits", "it") : ("entries wait", "them")
            return
                "outbox: \(waiting.count) \(noun) for another API, \(url): \(flushCommand(for: url)) sends \(pronoun)"
        }
    }

    /// The command that sends the entries queued for `baseURL`, quoted. It names the API: a bare
    /// `kprov outbox flush` sends only to the API that flags, environment and config name at that time.
    static func flushCommand(for baseURL: String) -> String {
        "`kprov outbox flush --url \(baseURL)`"
    }
}
