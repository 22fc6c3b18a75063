import Foundation

/// A durable, ordered queue of declarations: each is written here *before* it is sent (write-ahead), marked
/// delivered once the API acknowledges it, and replayed in order while the API cannot be reached.
///
/// Backed by an append-only journal (`journal.jsonl`, one JSON record per line, fsync'd after every append,
/// mode 0600) in `$XDG_STATE_HOME/kprov/outbox/`. A record is written *before* anything is reported to the
/// user, so a `kill -9` right after a keypress loses nothing, and a delivery is recorded before the next entry
/// is sent, so an acknowledged entry is never sent again. Processes that share the folder (a dashboard and
/// CLI calls) take an exclusive `flock` on `lock` while they read or change the journal, and on `flush.lock`
/// for a whole flush, so two of them never send the same entry.
public actor Outbox {
    /// Where the journal lives.
    public let directory: String
    private let journal: OutboxJournal

    /// The default folder: `$XDG_STATE_HOME/kprov/outbox`, else `~/.local/state/kprov/outbox`.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let state =
            environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSTemporaryDirectory()) + "/.local/state")
        return state + "/kprov/outbox"
    }

    /// Opens (creating if needed) the outbox in `directory`. A folder that cannot be created or written is a
    /// `ConfigurationError` naming the folder and the reason.
    public init(directory: String = Outbox.defaultDirectory()) throws {
        self.directory = directory
        journal = try OutboxJournal(directory: directory)
    }

    /// Every entry not yet delivered or dropped, oldest first (refused ones included, marked).
    public func entries() throws -> [OutboxEntry] {
        try journal.withLock { try $0.replay() }
    }

    /// How many entries still wait for delivery (refused ones excluded).
    public func pendingCount() throws -> Int {
        try entries().filter { $0.refusal == nil }.count
    }

    /// Records `declaration` for delivery to `baseURL`; returns the entry. Durable when this returns.
    @discardableResult
    public func enqueue(_ declaration: Declaration, baseURL: APIBaseURL) throws -> OutboxEntry {
        try journal.withLock { file in
            let entry = OutboxEntry(
                id: try file.highestID() + 1, queuedAt: Date(), baseURL: baseURL.text, declaration: declaration)
            try file.append(.queued(entry))
            return entry
        }
    }

    /// Removes entry `id` without sending it. Throws when there is no such entry.
    public func drop(id: Int) throws {
        try journal.withLock { file in
            guard try file.replay().contains(where: { $0.id == id }) else {
                throw ConfigurationError("outbox: no entry \(id); `kprov outbox list` shows the entries")
            }
            try file.append(.dropped(id: id))
            file.compactIfPossible()
        }
    }

    /// Puts a refused entry back in the queue, to be sent by the next flush. Returns the entry, and `requeued:
    /// false` when it was not refused (it already waits in the queue).
    @discardableResult
    public func retry(id: Int) throws -> (entry: OutboxEntry, requeued: Bool) {
        try journal.withLock { file in
            guard let entry = try file.replay().first(where: { $0.id == id }) else {
                throw ConfigurationError("outbox: no entry \(id); `kprov outbox list` shows the entries")
            }
            guard entry.refusal != nil else { return (entry, false) }
            try file.append(.requeued(id: id))
            return (entry, true)
        }
    }

    /// Sends the waiting entries for `client`'s API, in order, and records each outcome.
    ///
    /// - The API unreachable (or rate limiting, or refusing the token): the flush stops, so order is kept; the
    ///   later entries are held back behind the one it stopped at.
    /// - An answered 5xx (or an unreadable reply): the entry stays queued, and later entries for the same
    ///   deployment are held back behind it; entries for other deployments go on.
    /// - Any other 4xx: the entry is marked refused and never sent again unless `retry(id:)` requeues it.
    ///
    /// Entries for other APIs are left alone. Only one flush runs at a time across processes.
    public func flush(using client: KoyebClient) async throws -> FlushReport {
        let flushLock = try await journal.acquireFlushLock()
        defer { flushLock.release() }
        var report = FlushReport()
        /// The entry still failing for each deployment, with its failure.
        var failing: [String: (OutboxEntry, APIError)] = [:]
        /// The entry the flush stopped at, with its failure.
        var stop: (OutboxEntry, APIError)?
        let waiting = try entries().filter { $0.refusal == nil }
        let baseURL = client.configuration.baseURL.text
        report.forOtherAPIs = waiting.filter { $0.baseURL != baseURL }
        for entry in waiting where entry.baseURL == baseURL {
            let deploymentID = entry.declaration.target.deploymentID
            if let (blocker, error) = stop ?? failing[deploymentID] {
                report.results.append(.init(entry: entry, outcome: .waiting(behind: error), heldBackBy: blocker))
                continue
            }
            do {
                let reply = try await deliver(entry, using: client)
                try journal.withLock { try $0.append(.delivered(id: entry.id)) }
                report.results.append(.init(entry: entry, outcome: .delivered(reply)))
            } catch let error as APIError where Self.stopsTheFlush(error) {
                try journal.withLock { try $0.append(.failed(id: entry.id, error: error.description)) }
                report.stoppedBy = error
                report.results.append(.init(entry: entry, outcome: .failed(error)))
                stop = (entry, error)
            } catch let error as APIError where error.isClientError {
                try journal.withLock { try $0.append(.refused(id: entry.id, error: error.description)) }
                report.results.append(.init(entry: entry, outcome: .refused(error)))
            } catch let error as APIError {
                try journal.withLock { try $0.append(.failed(id: entry.id, error: error.description)) }
                report.results.append(.init(entry: entry, outcome: .failed(error)))
                failing[deploymentID] = (entry, error)
            }
        }
        try? journal.withLock { $0.compactIfPossible() }
        return report
    }

    /// Journals `declaration`, then flushes everything waiting for `client`'s API (so it goes out after what
    /// was queued before it) and says what became of it. A refused declaration is removed from the outbox: the
    /// caller reports the refusal.
    public func deliver(_ declaration: Declaration, using client: KoyebClient) async throws -> Delivery {
        let entry = try enqueue(declaration, baseURL: client.configuration.baseURL)
        let report = try await flush(using: client)
        switch report.outcome(of: entry.id) {
        case .delivered(let reply):
            return Delivery(entry: entry, report: report, result: .delivered(reply))
        case .refused(let error):
            try? drop(id: entry.id)
            return Delivery(entry: entry, report: report, result: .refused(error))
        case .failed(let error), .waiting(behind: let error?):
            return Delivery(entry: entry, report: report, result: .queued(error))
        case .waiting(behind: nil), nil:
            // Another process flushing the same outbox delivered it while this one waited for the flush lock.
            let stillQueued = try entries().contains { $0.id == entry.id }
            return Delivery(
                entry: entry, report: report, result: stillQueued ? .queued(nil) : .delivered(ProvisioningReply()))
        }
    }

    /// What `deliver` did with one declaration, and the flush it went out with.
    public struct Delivery: Sendable {
        /// The declaration's outbox entry.
        public var entry: OutboxEntry
        /// The whole flush, earlier entries included.
        public var report: FlushReport
        /// What became of the declaration.
        public var result: Result

        /// The earlier entry the declaration waits behind, when it was held back rather than tried.
        public var heldBackBy: OutboxEntry? { report.result(of: entry.id)?.heldBackBy }

        /// Why an entry is still queued when nothing failed: another process holds the flush.
        public static let sentByAnotherProcess = "another kprov is sending the outbox"

        /// Why a queued declaration was not sent, in one line: its own failure, or the earlier entry it waits
        /// behind and that entry's failure, or `sentByAnotherProcess` when nothing failed; `nil` when it was not
        /// queued.
        public var reasonKept: String? {
            guard case .queued(let error) = result else { return nil }
            return reason(keptBecause: error)
        }

        /// Why the declaration stays queued after `error` (`nil`: nothing failed), in one line.
        public func reason(keptBecause error: APIError?) -> String {
            guard let error else { return Self.sentByAnotherProcess }
            guard let blocker = heldBackBy else { return error.description }
            return "waits behind outbox entry \(blocker.id), which could not be sent: \(error.description)"
        }

        /// The declaration's fate.
        public enum Result: Sendable {
            /// The API acknowledged it, with this reply.
            case delivered(ProvisioningReply)
            /// The API refused it (4xx); it was removed from the outbox.
            case refused(APIError)
            /// Not delivered now, kept in the outbox for a later flush; the failure that held it back, if known:
            /// its own, or that of the entry it waits behind (`heldBackBy`).
            case queued(APIError?)
        }
    }

    /// Sends one entry. A create that may already have been sent (a `sending` record from an earlier run, which
    /// may have died before recording the delivery) is first checked with a GET, so it is never created twice:
    /// an attempt that exists as the entry creates it is taken as delivered (see `BuildAttempt.matches`).
    private func deliver(_ entry: OutboxEntry, using client: KoyebClient) async throws -> ProvisioningReply {
        if entry.sendStarted, case .createAttempt(let target, let request) = entry.declaration,
            try await client.attemptExists(target, as: request)
        {
            return ProvisioningReply()
        }
        try journal.withLock { try $0.append(.sending(id: entry.id)) }
        return try await client.send(entry.declaration)
    }

    /// Failures that say nothing about the entry itself: the API unreachable, rate limiting, or a refused
    /// token. Sending later entries now would fail the same way, and would break the order.
    static func stopsTheFlush(_ error: APIError) -> Bool {
        error.isTransportFailure || [401, 407, 429].contains(error.httpStatus)
    }

    /// What a flush did.
    public struct FlushReport: Sendable {
        /// Every entry the flush came to, in the order it came to them (the order they were sent in).
        public var results: [EntryResult] = []
        /// The failure that stopped the flush: the API unreachable, rate limiting or refusing the token.
        public var stoppedBy: APIError?
        /// Entries waiting for other APIs, which the flush left alone.
        public var forOtherAPIs: [OutboxEntry] = []

        /// Delivered entries with the API's replies, in order.
        public var delivered: [(OutboxEntry, ProvisioningReply)] {
            results.compactMap { if case .delivered(let reply) = $0.outcome { ($0.entry, reply) } else { nil } }
        }
        /// Entries the API refused (4xx); they will not be sent again.
        public var refused: [(OutboxEntry, APIError)] {
            results.compactMap { if case .refused(let error) = $0.outcome { ($0.entry, error) } else { nil } }
        }
        /// Entries tried and not delivered (5xx, or the API unreachable when their turn came); they stay queued.
        public var failed: [(OutboxEntry, APIError)] {
            results.compactMap { if case .failed(let error) = $0.outcome { ($0.entry, error) } else { nil } }
        }
        /// Entries not tried, held back behind a failure.
        public var waiting: [OutboxEntry] {
            results.compactMap { if case .waiting = $0.outcome { $0.entry } else { nil } }
        }

        /// What happened to entry `id` in this flush, if it was tried or held back.
        public func outcome(of id: Int) -> Outcome? {
            result(of: id)?.outcome
        }

        /// Entry `id`'s result in this flush, if it was tried or held back.
        public func result(of id: Int) -> EntryResult? {
            results.first { $0.entry.id == id }
        }

        /// One entry and what the flush did with it.
        public struct EntryResult: Sendable {
            public var entry: OutboxEntry
            public var outcome: Outcome
            /// For an entry held back (`.waiting`): the earlier entry it waits behind — the one failing for the
            /// same deployment, or the one the flush stopped at.
            public var heldBackBy: OutboxEntry?

            public init(entry: OutboxEntry, outcome: Outcome, heldBackBy: OutboxEntry? = nil) {
                self.entry = entry
                self.outcome = outcome
                self.heldBackBy = heldBackBy
            }
        }

        /// One entry's fate.
        public enum Outcome: Sendable {
            case delivered(ProvisioningReply)
            case refused(APIError)
            case failed(APIError)
            /// Not tried: held back by the failure given (`nil` when it is not known).
            case waiting(behind: APIError?)
        }
    }
}

/// One queued declaration.
public struct OutboxEntry: Codable, Hashable, Sendable, Identifiable {
    /// Increasing across the life of the outbox folder; never reused.
    public var id: Int
    /// When it was queued.
    public var queuedAt: Date
    /// The API it is for; a flush against another API leaves it alone.
    public var baseURL: String
    /// What to send.
    public var declaration: Declaration
    /// Why the last delivery failed; `nil` until one did.
    public var lastFailure: String?
    /// Set when the API refused the declaration (4xx): it will not be sent again unless retried.
    public var refusal: String?
    /// Whether a send was started for this entry; the API may have applied it even if no reply was recorded.
    public var sendStarted = false

    public init(
        id: Int, queuedAt: Date, baseURL: String, declaration: Declaration, lastFailure: String? = nil,
        refusal: String? = nil, sendStarted: Bool = false
    ) {
        self.id = id
        self.queuedAt = queuedAt
        self.baseURL = baseURL
        self.declaration = declaration
        self.lastFailure = lastFailure
        self.refusal = refusal
        self.sendStarted = sendStarted
    }
}
