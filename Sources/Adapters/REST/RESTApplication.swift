import Hummingbird
import Logging
import ProvisioningCore

/// Builds the REST adapter: the spec's three provisioning routes, `GET /openapi.json` and `GET /healthz`.
///
/// The one setup path for `kprov serve` and the tests. Run the result with `run()` or in a service group.
/// - Parameters:
///   - client: the process's one `KoyebClient`; the caller shuts it down after the application stops.
///   - onListening: called once the server listens, with the actual port (useful with port 0).
public func buildRESTApplication(
    configuration: AdapterConfiguration, client: KoyebClient, logger: Logger,
    onListening: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    Application(
        responder: RESTResponder(client: client, configuration: configuration, logger: logger),
        server: configuration.server,
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port), serverName: nil),
        onServerRunning: { channel in await onListening(channel.localAddress?.port ?? configuration.port) },
        logger: logger
    )
}
