import ProvisioningCore

/// Where the dashboard reads deployments and sends declarations. `KoyebClient` is the real one (wired in the
/// `kprov` target); tests use a fake. Errors are `APIError`s.
public protocol DeploymentSource: Sendable {
    /// The deployments the dashboard shows.
    func fetchDeployments() async throws -> [Deployment]

    /// Sends one declaration.
    func send(_ declaration: Declaration) async throws
}
