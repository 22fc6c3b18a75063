import Foundation

/// A durable, ordered queue of declarations: each is written here *before* it is sent (write-ahead), marked
/// delivered once the API acknowledges it, and replayed in order while the API cannot be reached.
///
/// Backed by an append-only journal (`journal.jsonl`, one JSON record per line, fsync'd after every append,
/// mode 0600) in `$XDG_STATE_HOME/kprov/outbox/`. A record is written *before* anything is reported to the
/// user, so a `kill -9` right after a keypress loses nothing, and a delivery is recorded before the next entry
/// is sent, so an acknowledged entry is never sent again. Processes that share the folder (a dashboard and a
/// CLI call) take an exclusive `flock` on `lock` while they read or change the journal.
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

    /// Opens (creating if needed) the outbox in `directory`.
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
                id: try file.highestID() + 1, queuedAt: Date(),
                baseURL: baseURL.text, declaration: declaration)
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
        }
    }

    /// Sends the entries for `client`'s API in order, stopping at the first that cannot be delivered because the
    /// API is unreachable (so order is kept). An entry the API refuses (4xx) is marked refused and skipped from
    /// then on. Entries for other APIs are left alone.
    public func flush(using client: KoyebClient) async throws -> FlushReport {
        // The lock is not held across network calls; a delivery is recorded under the lock right after it.
        var report = FlushReport()
        for entry in try entries() where entry.refusal == nil && entry.baseURL == client.configuration.baseURL.text {
            do {
                let reply: ProvisioningReply
                if entry.lastFailure != nil, case .createAttempt(let target, _) = entry.declaration,
                    try await attemptExists(target, client)
                {
                    // An earlier try may have been processed without its reply arriving: never create it twice.
                    reply = ProvisioningReply()
                } else {
                    reply = try await client.send(entry.declaration)
                }
                try journal.withLock { try $0.append(.delivered(id: entry.id)) }
                report.delivered.append((entry, reply))
            } catch let error as APIError where error.isClientError {
                try journal.withLock { try $0.append(.refused(id: entry.id, error: error.description)) }
                report.refused.append((entry, error))
            } catch let error as APIError {
                try journal.withLock { try $0.append(.failed(id: entry.id, error: error.description)) }
                report.stoppedBy = error
                break
            }
        }
        try journal.withLock { try $0.compactIfWorthIt() }
        return report
    }

    private func attemptExists(_ target: ProvisioningTarget, _ client: KoyebClient) async throws -> Bool {
        let deployment = try await client.deployment(id: target.deploymentID)
        return deployment.provisioningInfo?.stage(named: target.stage)?.attempt(id: target.attempt) != nil
    }

    /// What a flush did.
    public struct FlushReport: Sendable {
        /// Delivered entries with the API's replies, in order.
        public var delivered: [(OutboxEntry, ProvisioningReply)] = []
        public var refused: [(OutboxEntry, APIError)] = []
        /// The failure that stopped the flush, when the API could not be reached.
        public var stoppedBy: APIError?
    }
}

/// One queued declaration.
public struct OutboxEntry: Codable, Hashable, Sendable, Identifiable {
    /// Increasing across the life of the outbox folder.
    public var id: Int
    public var queuedAt: Date
    /// The API it is for; a flush against another API leaves it alone.
    public var baseURL: String
    public var declaration: Declaration
    /// Why the last delivery failed; `nil` until one did.
    public var lastFailure: String?
    /// Set when the API refused the declaration (4xx): it will not be sent again; drop it once read.
    public var refusal: String?
}
