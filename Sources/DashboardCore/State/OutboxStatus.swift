import ProvisioningCore

/// The outbox as the dashboard last read it: the declarations not yet delivered, refused ones included.
public struct OutboxStatus: Hashable, Sendable {
    /// Oldest first.
    public internal(set) var entries: [OutboxEntry] = []
    /// Why the outbox could not be read, until it can again.
    public internal(set) var failure: String?

    public init() {}

    /// Entries waiting to be sent.
    public var waitingCount: Int { entries.count(where: { $0.refusal == nil }) }

    /// Entries the API refused; they are not sent again unless retried.
    public var refusedCount: Int { entries.count - waitingCount }

    /// The index of entry `id`.
    public func index(of id: Int) -> Int? { entries.firstIndex { $0.id == id } }
}
