import ProvisioningCore

/// Where the dashboard reads deployments, sends declarations and reaches the outbox that keeps the ones not yet
/// delivered. `KoyebDeploymentSource` is the real one (wired in the `kprov` target); tests use a fake. Errors are
/// `APIError`s.
public protocol DeploymentSource: Sendable {
    /// The deployments the dashboard shows, in the pages the API sent them in.
    func fetchDeployments() async throws -> DeploymentListing

    /// Sends one declaration. Returns `.queued` when the API could not be reached (or failed) and the declaration
    /// waits in the outbox; throws the API's refusal.
    func send(_ declaration: Declaration) async throws -> DeclarationReceipt

    /// Lists, replays, retries or drops outbox entries; answers with what happened and the entries as they are
    /// afterwards.
    func outbox(_ request: OutboxRequest) async -> OutboxReply
}

/// What became of a declaration the API did not refuse.
public enum DeclarationReceipt: Hashable, Sendable {
    /// The API acknowledged it.
    case delivered
    /// Not delivered yet: it waits in the outbox and goes out, in order, once the API answers. `reason` is the
    /// failure that held it back.
    case queued(reason: String)
}
