import DashboardCore
import ProvisioningCore

/// The dashboard's `DeploymentSource` on Koyeb's API: polls with a client that gives up quickly (the next poll
/// comes soon anyway, and a 429 must reach the dashboard so it can back off), and sends declarations through
/// the outbox with the standard retrying client — the same path the CLI commands take, so a declaration made
/// from the keyboard survives a crash and is replayed, in order, once the API answers again.
struct KoyebDeploymentSource: DeploymentSource {
    let reader: KoyebClient
    let writer: KoyebClient
    let query: DeploymentQuery
    let outbox: Outbox

    /// Clients for `settings`, each request bounded by `timeout`.
    init(settings: ConnectionSettings, timeout: Duration, query: DeploymentQuery, outbox: Outbox) {
        let polling = RetryPolicy(
            maximumAttempts: 2, initialDelay: .milliseconds(200), maximumDelay: .seconds(1),
            maximumTotalDelay: .seconds(1))
        reader = KoyebClient(
            configuration: KoyebClientConfiguration(settings: settings, requestTimeout: timeout, retryPolicy: polling))
        writer = KoyebClient(configuration: KoyebClientConfiguration(settings: settings, requestTimeout: timeout))
        self.query = query
        self.outbox = outbox
    }

    func fetchDeployments() async throws -> DeploymentListing {
        try await reader.deployments(matching: query)
    }

    /// Sends `declaration` through the outbox; throws the API's refusal.
    func send(_ declaration: Declaration) async throws -> DeclarationReceipt {
        let delivery = try await outbox.deliver(declaration, using: writer)
        switch delivery.result {
        case .delivered: return .delivered
        case .refused(let error): throw error
        case .queued(let error): return .queued(reason: delivery.reason(keptBecause: error))
        }
    }

    /// Carries out `request` on the outbox; lists only the entries for this dashboard's API, the ones it sends.
    /// The journal is read once when a replay finds nothing to send.
    func outbox(_ request: OutboxRequest) async -> OutboxReply {
        var outcome = OutboxReply.Outcome.listed
        var current: [OutboxEntry]?
        do {
            switch request {
            case .list:
                break
            case .replay:
                let mine = try await entriesForThisAPI()
                if mine.contains(where: { $0.refusal == nil }) {
                    _ = try await outbox.flush(using: writer)
                } else {
                    current = mine
                }
            case .retry(let id):
                try await outbox.retry(id: id)
                if let tried = try await outbox.flush(using: writer).outcome(of: id) {
                    outcome = .init(retried: tried)
                } else {
                    // Not tried by this flush: another kprov's flush, which this one waited for, delivered it.
                    let stillThere = try await outbox.entries().contains { $0.id == id }
                    outcome = stillThere ? .stillQueued(Outbox.Delivery.sentByAnotherProcess) : .delivered
                }
            case .drop(let id):
                try await outbox.drop(id: id)
                outcome = .dropped
            }
        } catch {
            outcome = .failed(OutboxFailure(error).message)
        }
        let entries: Result<[OutboxEntry], OutboxFailure>
        if let current {
            entries = .success(current)
        } else {
            do {
                entries = .success(try await entriesForThisAPI())
            } catch {
                entries = .failure(OutboxFailure(error))
            }
        }
        return OutboxReply(request: request, outcome: outcome, entries: entries)
    }

    /// The outbox's entries for this dashboard's API, the ones it sends.
    private func entriesForThisAPI() async throws -> [OutboxEntry] {
        let baseURL = writer.configuration.baseURL.text
        return try await outbox.entries().filter { $0.baseURL == baseURL }
    }

    func shutdown() async {
        await reader.shutdown()
        await writer.shutdown()
    }
}

extension KoyebClient {
    /// The deployments `query` asks for: each listed id (fetched concurrently, one page in the order given), or
    /// every page of the filtered listing.
    func deployments(matching query: DeploymentQuery) async throws -> DeploymentListing {
        guard !query.deploymentIDs.isEmpty else { return try await deploymentListing(filter: query.filter) }
        let found = try await withThrowingTaskGroup(of: (Int, Deployment).self) { group in
            for (index, id) in query.deploymentIDs.enumerated() {
                group.addTask { (index, try await self.deployment(id: id)) }
            }
            var found: [Int: Deployment] = [:]
            for try await (index, deployment) in group { found[index] = deployment }
            return query.deploymentIDs.indices.compactMap { found[$0] }
        }
        return DeploymentListing(found)
    }
}
