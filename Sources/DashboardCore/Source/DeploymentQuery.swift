import ProvisioningCore

/// What the dashboard, `kprov tree` and `kprov watch` fetch: some deployments by id, or a filtered listing.
public struct DeploymentQuery: Hashable, Sendable {
    /// When not empty, exactly these deployments (`--deployment`, repeatable), each with `GET /v1/deployments/{id}`.
    public var deploymentIDs: [String]
    /// Otherwise, the listing narrowed by status, app and service.
    public var filter: DeploymentFilter

    public init(deploymentIDs: [String] = [], filter: DeploymentFilter = DeploymentFilter()) {
        self.deploymentIDs = deploymentIDs
        self.filter = filter
    }

    /// A one-line description for the header, e.g. `status PROVISIONING, app a1`; empty when unfiltered.
    public var summary: String {
        var parts: [String] = []
        if !deploymentIDs.isEmpty { parts.append("\(deploymentIDs.count) deployment id(s)") }
        if !filter.statuses.isEmpty { parts.append("status " + filter.statuses.map(\.rawValue).joined(separator: "|")) }
        if let app = filter.appID { parts.append("app " + app) }
        if let service = filter.serviceID { parts.append("service " + service) }
        return TerminalText.sanitized(parts.joined(separator: ", "), limit: 80)
    }
}
