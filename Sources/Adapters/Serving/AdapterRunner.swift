import Hummingbird
import Logging
import ServiceLifecycle

/// Runs the adapters of one `kprov serve` process together.
public enum AdapterRunner {
    /// Runs `applications` until SIGINT or SIGTERM, then shuts them down gracefully: each stops accepting
    /// connections, lets the requests in flight finish, and closes its MCP sessions. When one fails (its port is
    /// in use), the others are shut down the same way, and its error is thrown.
    public static func run(_ applications: [any ApplicationProtocol], logger: Logger) async throws {
        let services = applications.map {
            ServiceGroupConfiguration.ServiceConfiguration(
                service: $0, failureTerminationBehavior: .gracefullyShutdownGroup)
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
