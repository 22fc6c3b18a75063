import ArgumentParser
import DashboardCore
import ProvisioningCore

/// `--status`, `--app-id`, `--service-id`: the listing filter of `kprov deployments list`, and part of
/// `DeploymentFilterOptions`.
struct ListingFilterOptions: ParsableArguments {
    @Option(
        name: .customLong("status"),
        help: "Only deployments in this status (repeatable): \(DeploymentStatus.recognizedList).")
    var statuses: [String] = []

    @Option(help: "Only deployments of this app.")
    var appId: String?

    @Option(help: "Only deployments of this service.")
    var serviceId: String?

    /// Whether no filter flag was given.
    var isEmpty: Bool { statuses.isEmpty && appId == nil && serviceId == nil }

    func validate() throws { _ = try filter() }

    /// The filter these flags ask for; an unknown status or an empty id is a usage error.
    func filter() throws -> DeploymentFilter {
        if let appId { try requireNonEmpty(appId, name: "--app-id") }
        if let serviceId { try requireNonEmpty(serviceId, name: "--service-id") }
        let parsed = try statuses.map { text in
            guard let status = DeploymentStatus.recognized(matching: text) else {
                throw ValidationError(
                    "--status: \"\(TerminalText.sanitized(text, limit: 40))\" is not a deployment status; "
                        + "allowed: \(DeploymentStatus.recognizedList)"
                )
            }
            return status
        }
        return DeploymentFilter(statuses: parsed, appID: appId, serviceID: serviceId)
    }
}

/// `--deployment` and the listing filter: what the dashboard and `kprov tree` fetch.
struct DeploymentFilterOptions: ParsableArguments {
    @Option(name: .customLong("deployment"), help: "Only this deployment (repeatable).")
    var deploymentIDs: [String] = []

    @OptionGroup var listing: ListingFilterOptions

    /// The listing flags are checked by `ListingFilterOptions.validate`; this checks only `--deployment`.
    func validate() throws {
        for id in deploymentIDs { try requireNonEmpty(id, name: "--deployment") }
    }

    /// The query these flags ask for; without any filter flag, the config file's default filters.
    func query(defaults config: DashboardConfig) throws -> DeploymentQuery {
        guard !deploymentIDs.isEmpty || !listing.isEmpty else {
            return DeploymentQuery(
                deploymentIDs: config.deployments,
                filter: DeploymentFilter(statuses: config.statuses, appID: config.appID, serviceID: config.serviceID))
        }
        for id in deploymentIDs { try requireNonEmpty(id, name: "--deployment") }
        return DeploymentQuery(deploymentIDs: deploymentIDs, filter: try listing.filter())
    }
}
