import Hummingbird
import Logging
import ProvisioningCore

/// Builds the MCP server: the Streamable HTTP endpoint `/mcp` with the three provisioning tools, sessions
/// included.
///
/// The one setup path for `kprov serve` and the tests. Run the result with `run()` or in a service group; its
/// session registry runs alongside and closes every session on shutdown.
/// - Parameters:
///   - client: the process's one `KoyebClient`; the caller shuts it down after the application stops.
///   - onListening: called once the server listens, with the actual port (useful with port 0).
public func buildMCPApplication(
    configuration: AdapterConfiguration, client: KoyebClient, logger: Logger,
    onListening: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let registry = MCPSessionRegistry(
        toolbox: ProvisioningToolbox(client: client, logger: logger), configuration: configuration, logger: logger)
    let responder = MCPResponder(
        registry: registry,
        authenticator: configuration.authToken.map(BearerAuthenticator.init),
        bodyReader: RequestBodyReader(
            maximumBytes: configuration.maximumBodyBytes, maximumDepth: configuration.maximumNestingDepth),
        log: RequestLog(adapter: "mcp", logger: logger))
    return Application(
        responder: responder,
        server: configuration.server,
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port), serverName: nil),
        services: [registry],
        onServerRunning: { channel in await onListening(channel.localAddress?.port ?? configuration.port) },
        logger: logger
    )
}
