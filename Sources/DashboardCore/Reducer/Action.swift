import Foundation
import ProvisioningCore

/// Everything that can change the dashboard's state: commands from keys, the mouse, the clock, and results of
/// effects, which carry the generation they were asked for.
public enum Action: Sendable {
    /// The dashboard is on screen; the first fetch starts.
    case start
    /// The clock moved on.
    case tick(Date)
    case resized(Size)
    case command(Command)
    case mouse(MouseEvent)
    /// A fetch finished. Dropped unless `generation` is the latest asked for.
    case refreshed(generation: Int, Result<DeploymentListing, RefreshFailure>)
    /// Theme `name` was loaded for `t` and is in use.
    case themeLoaded(String)
    /// Theme `name` could not be loaded for `t`: it is skipped from now on.
    case themeFailed(String, ThemeError)
    /// Declaration `declaration`, sent with `ticket`, was delivered or queued, or refused.
    case declared(ticket: Int, Declaration, Result<DeclarationReceipt, DeclarationFailure>)
    /// An outbox request was answered.
    case outboxAnswered(OutboxReply)
}

/// Work the reducer asks the runtime to do; results come back as actions.
public enum Effect: Hashable, Sendable {
    /// Fetch the deployments; answer with `.refreshed(generation:…)`.
    case fetch(generation: Int)
    /// Load theme `name`; answer with `.themeLoaded` or `.themeFailed`.
    case loadTheme(String)
    /// Send `declaration`; answer with `.declared(ticket:…)`.
    case send(Declaration, ticket: Int)
    /// Ask the outbox; answer with `.outboxAnswered`.
    case outbox(OutboxRequest)
    /// End the dashboard.
    case quit
}
