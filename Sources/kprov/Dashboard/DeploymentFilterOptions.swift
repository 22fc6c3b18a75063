import ArgumentParser
import DashboardCore
import ProvisioningCore

/// `--deployment`, `--status`, `--app-id`, `--service-id`: what the dashboard and `kprov tree` fetch.
struct DeploymentFilterOptions: ParsableArguments {
    @Option(name: .customLong("deployment"), help: "Only this deployment (repeatable).")
    var deploymentIDs: [String] = []

    @Option(
        name: .customLong("status"),
        help: "Only deployments in this status (repeatable): \(DeploymentStatus.recognizedList).")
    var statuses: [String] = []

    @Option(help: "Only deployments of this app.")
    var appId: String?

    @Option(help: "Only deployments of this service.")
    var serviceId: String?

    func validate() throws { _ = try query(defaults: DashboardConfig()) }

    /// The query these flags ask for; without any filter flag, the config file's default filters.
    func query(defaults config: DashboardConfig) throws -> DeploymentQuery {
        let hasFlags = !deploymentIDs.isEmpty || !statuses.isEmpty || appId != nil || serviceId != nil
        guard hasFlags else {
            return DeploymentQuery(
                deploymentIDs: config.deployments,
                filter: DeploymentFilter(statuses: config.statuses, appID: config.appID, serviceID: config.serviceID))
        }
        for id in deploymentIDs { try requireNonEmpty(id, name: "--deployment") }
        let parsed = try statuses.map { text in
            guard let status = DeploymentStatus.recognized(matching: text) else {
                throw ValidationError(
                    "--status: \"\(TerminalText.sanitized(text, limit: 40))\" is not a deployment status; "
                        + "allowed: \(DeploymentStatus.recognizedList)"
                )
            }
            return status
        }
        return DeploymentQuery(
            deploymentIDs: deploymentIDs, filter: DeploymentFilter(statuses: parsed, appID: appId, serviceID: serviceId)
        )
    }
}
