import ProvisioningCore

/// The organization, apps and services the simulator's deployments belong to, so that the `app_id` and
/// `service_id` filters have something to filter.
struct SeedWorld: Sendable {
    /// A Koyeb service: what a deployment deploys.
    struct Service: Sendable, Hashable {
        let id: String
        /// The short name shown as `definition.name`, e.g. `api`.
        let name: String
        let appID: String
        let repository: String
        let kind: String

        /// The deployment's `definition`, trimmed to what a console shows.
        var definition: JSONValue {
            .object([
                "name": .string(name),
                "type": .string(kind),
                "regions": .array([.string("fra")]),
                "git": .object(["repository": .string(repository), "branch": .string("main")]),
            ])
        }
    }

    let organizationID: String
    let services: [Service]

    private static let apps: [(name: String, services: [String])] = [
        ("storefront", ["web", "api"]), ("billing", ["api", "worker"]), ("docs", ["web"]),
        ("chat-bot", ["worker"]), ("analytics", ["api", "ingest"]),
    ]

    init(seed: UInt64) {
        var random = SplitMix64(seed: seed, stream: "world")
        organizationID = random.uuid()
        var services: [Service] = []
        for app in Self.apps {
            let appID = random.uuid()
            for name in app.services {
                services.append(
                    Service(
                        id: random.uuid(), name: name, appID: appID, repository: "github.com/acme/\(app.name)",
                        kind: name == "worker" || name == "ingest" ? "WORKER" : "WEB"))
            }
        }
        self.services = services
    }
}
