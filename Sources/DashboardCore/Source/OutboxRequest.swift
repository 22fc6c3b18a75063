import ProvisioningCore

/// What the dashboard asks of the outbox.
public enum OutboxRequest: Hashable, Sendable {
    /// Only read the entries.
    case list
    /// Send what waits, in order: the API just answered a poll.
    case replay
    /// Send entry `id` now, with everything queued before it; a refused entry is put back in the queue first.
    case retry(id: Int)
    /// Remove entry `id` without sending it.
    case drop(id: Int)
}

/// The answer to an `OutboxRequest`: what it did, and the outbox afterwards.
public struct OutboxReply: Sendable {
    public var request: OutboxRequest
    public var outcome: Outcome
    /// The entries after the request, oldest first, or why the outbox could not be read.
    public var entries: Result<[OutboxEntry], OutboxFailure>

    public init(request: OutboxRequest, outcome: Outcome, entries: Result<[OutboxEntry], OutboxFailure>) {
        self.request = request
        self.outcome = outcome
        self.entries = entries
    }

    /// What the request did. Messages are one line, safe to show.
    public enum Outcome: Hashable, Sendable {
        /// `.list` or `.replay`: the entries are as listed.
        case listed
        /// The retried entry was delivered.
        case delivered
        /// The API refused the retried entry (4xx); it stays in the outbox, marked refused.
        case refused(String)
        /// The retried entry is still queued: the API could not be reached, failed, or an earlier entry for the
        /// same deployment is held back.
        case stillQueued(String)
        /// The entry was removed.
        case dropped
        /// The request could not be carried out (no such entry, the outbox folder unusable).
        case failed(String)

        /// What a flush did with the retried entry, as the dashboard reports it.
        public init(retried outcome: Outbox.FlushReport.Outcome) {
            switch outcome {
            case .delivered: self = .delivered
            case .refused(let error): self = .refused(error.description)
            case .failed(let error): self = .stillQueued(error.description)
            case .waiting(behind: let error?): self = .stillQueued("waiting behind: \(error.description)")
            case .waiting(behind: nil): self = .stillQueued("waiting behind an earlier entry for the same deployment")
            }
        }
    }
}

/// Why the outbox could not be read or changed.
public struct OutboxFailure: Error, Hashable, Sendable {
    public var message: String

    public init(message: String) {
        self.message = message
    }

    public init(_ error: any Error) {
        self.init(message: TerminalText.sanitized(String(describing: error), limit: 300))
    }
}
