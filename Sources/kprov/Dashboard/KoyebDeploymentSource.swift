import DashboardCore
import ProvisioningCore

/// The dashboard's `DeploymentSource` on Koyeb's API: polls with a client that gives up quickly (the next poll
/// comes soon anyway, and a 429 must reach the dashboard so it can back off), and sends declarations with the
/// standard retrying client — the same `KoyebClient` calls the CLI commands make.
struct KoyebDeploymentSource: DeploymentSource {
    let reader: KoyebClient
    let writer: KoyebClient
    let query: DeploymentQuery

    /// Clients for `settings`, each request bounded by `timeout`.
    init(settings: ConnectionSettings, timeout: Duration, query: DeploymentQuery) {
        let polling = RetryPolicy(
            maximumAttempts: 2, initialDelay: .milliseconds(200), maximumDelay: .seconds(1),
            maximumTotalDelay: .seconds(1))
        reader = KoyebClient(
            configuration: KoyebClientConfiguration(
                baseURL: settings.baseURL, token: settings.token, requestTimeout: timeout, retryPolicy: polling))
        writer = KoyebClient(
            configuration: KoyebClientConfiguration(
                baseURL: settings.baseURL, token: settings.token, requestTimeout: timeout))
        self.query = query
    }

    func fetchDeployments() async throws -> [Deployment] {
        try await reader.deployments(matching: query)
    }

    func send(_ declaration: Declaration) async throws {
        _ = try await writer.send(declaration)
    }

    func shutdown() async {
        try? await reader.shutdown()
        try? await writer.shutdown()
    }
}

extension KoyebClient {
    /// The deployments `query` asks for: each listed id (fetched concurrently, returned in the order given), or
    /// every page of the filtered listing.
    func deployments(matching query: DeploymentQuery) async throws -> [Deployment] {
        guard !query.deploymentIDs.isEmpty else { return try await allDeployments(filter: query.filter) }
        return try await withThrowingTaskGroup(of: (Int, Deployment).self) { group in
            for (index, id) in query.deploymentIDs.enumerated() {
                group.addTask { (index, try await self.deployment(id: id)) }
            }
            var found: [Int: Deployment] = [:]
            for try await (index, deployment) in group { found[index] = deployment }
            return query.deploymentIDs.indices.compactMap { found[$0] }
        }
    }
}
