import Adapters
import ArgumentParser
import Foundation
import Hummingbird
import Logging
import NIOCore
import ProvisioningCore

/// `kprov serve`: the capability's REST adapter and MCP server in one process, both calling Koyeb through one
/// `KoyebClient` with the token from the usual lookup.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the provisioning operations as a REST API and an MCP server.",
        discussion: """
            REST adapter: POST and PATCH /v1/v1/provisioning/{deployment-id}/status/{stage}/{attempt}[/{step}], \
            GET /openapi.json, GET /healthz. MCP server (Streamable HTTP): /mcp, with the tools \
            create-attempt-stage, declare-stage-progress and declare-step-progress. SIGINT or SIGTERM stops both \
            gracefully: calls in flight finish.

            Example:
              KOYEB_API_KEY=… KPROV_SERVE_TOKEN=… kprov serve --host 0.0.0.0
            """)

    @Option(help: "The REST adapter's port (0 picks a free one). (default: 8080)", transform: AllowedNumbers.port.parse)
    var restPort = 8080

    @Option(help: "The MCP server's port (0 picks a free one). (default: 9090)", transform: AllowedNumbers.port.parse)
    var mcpPort = 9090

    @Option(help: "The address to listen on; anything but loopback exposes your Koyeb token's powers.")
    var host = "127.0.0.1"

    @Flag(name: .customLong("no-rest"), help: "Do not start the REST adapter.")
    var noREST = false

    @Flag(name: .customLong("no-mcp"), help: "Do not start the MCP server.")
    var noMCP = false

    @Option(help: "Require Authorization: Bearer <this token> from callers (default: KPROV_SERVE_TOKEN).")
    var authToken: String?

    @Option(
        name: .customLong("allowed-host"),
        help: "A Host name the MCP endpoint accepts besides loopback and --host (repeatable).")
    var allowedHosts: [String] = []

    @Option(
        help:
            "The largest request body accepted, in bytes (1024–67108864). (default: \(AdapterConfiguration.defaultMaximumBodyBytes))",
        transform: AllowedNumbers(1024...(64 << 20), unit: "bytes").parse)
    var maxBodySize = AdapterConfiguration.defaultMaximumBodyBytes

    @Option(
        help: "What to log on standard error: trace, debug, info, notice, warning, error, critical (default: info).",
        transform: { text in
            guard let level = Logger.Level(rawValue: text.lowercased()) else {
                throw ValidationError("allowed: " + Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return level
        })
    var logLevel = Logger.Level.info

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        guard !(noREST && noMCP) else {
            throw ValidationError("--no-rest and --no-mcp together leave nothing to serve")
        }
        if !noREST && !noMCP && restPort == mcpPort && restPort != 0 {
            throw ValidationError("--rest-port and --mcp-port are both \(restPort); give them different ports")
        }
        try requireNonEmpty(host, name: "--host")
        if let authToken, APIToken(authToken) == nil {
            throw ValidationError("--auth-token is empty; give a token, or leave the option out")
        }
        _ = try callerToken()
    }

    /// The token callers must send: `--auth-token`, else `KPROV_SERVE_TOKEN`; `nil` when neither is set. A token
    /// no HTTP header can carry (a space, a line break, a control character) is a usage error naming where it
    /// came from, never showing it: callers could never send it.
    private func callerToken() throws -> APIToken? {
        let (value, source) =
            authToken.map { ($0, "--auth-token") }
            ?? (ProcessInfo.processInfo.environment["KPROV_SERVE_TOKEN"], "KPROV_SERVE_TOKEN")
        guard let value else { return nil }
        do {
            return try APIToken(validating: value, source: source)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "kprov.serve")
        let token = try callerToken()
        if !AdapterConfiguration.isLoopback(host) && token == nil {
            Console.note(
                "warning: listening on \(host) without --auth-token: anyone who can reach this machine can "
                    + "declare build progress with your Koyeb token; set KPROV_SERVE_TOKEN or pass --auth-token")
        }
        let client = try connection.makeClient()
        let announcement = ListeningAnnouncement(count: noREST || noMCP ? 1 : 2)
        var applications = [any ApplicationProtocol]()
        if !noREST {
            let configuration = adapterConfiguration(port: restPort, authToken: token)
            applications.append(
                buildRESTApplication(configuration: configuration, client: client, logger: logger) { port in
                    await announcement.listening(
                        0, "REST adapter on \(configuration.baseURL(port: port)) (OpenAPI: /openapi.json)")
                })
        }
        if !noMCP {
            let configuration = adapterConfiguration(port: mcpPort, authToken: token)
            let index = applications.count
            applications.append(
                buildMCPApplication(configuration: configuration, client: client, logger: logger) { port in
                    await announcement.listening(index, "MCP server on \(configuration.baseURL(port: port))/mcp")
                })
        }
        do {
            try await ListenHost.resolving(host) {
                try await client.using { _ in try await AdapterRunner.run(applications, logger: logger) }
            }
        } catch let error as IOError {
            let ports = [noREST ? nil : "REST port \(restPort)", noMCP ? nil : "MCP port \(mcpPort)"].compactMap { $0 }
            throw ConfigurationError(
                "cannot listen on \(host) (\(ports.joined(separator: ", "))): \(String(cString: strerror(error.errnoCode)))"
            )
        }
    }

    private func adapterConfiguration(port: Int, authToken: APIToken?) -> AdapterConfiguration {
        AdapterConfiguration(
            host: host, port: port, authToken: authToken, maximumBodyBytes: maxBodySize, allowedHosts: allowedHosts)
    }
}
