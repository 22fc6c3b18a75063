import Hummingbird
import Logging
import ServiceLifecycle

/// Runs the adapters of one `kprov serve` process together.
public enum AdapterRunner {
    /// Runs `applications` until SIGINT or SIGTERM, then shuts them down gracefully: each stops accepting
    /// connections, lets the requests in flight finish, and closes its MCP sessions.
    public static func run(_ applications: [any ApplicationProtocol], logger: Logger) async throws {
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: applications, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
