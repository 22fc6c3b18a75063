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
    case refreshed(generation: Int, Result<[Deployment], RefreshFailure>)
    /// A theme was loaded for `t`, or could not be.
    case themeLoaded(Result<String, ThemeError>)
    /// A declaration sent with `ticket` was accepted, or refused.
    case declared(ticket: Int, Result<Declaration, DeclarationFailure>)
}

/// Work the reducer asks the runtime to do; results come back as actions.
public enum Effect: Hashable, Sendable {
    /// Fetch the deployments; answer with `.refreshed(generation:…)`.
    case fetch(generation: Int)
    /// Load theme `name`; answer with `.themeLoaded`.
    case loadTheme(String)
    /// Send `declaration`; answer with `.declared(ticket:…)`.
    case send(Declaration, ticket: Int)
    /// End the dashboard.
    case quit
}
