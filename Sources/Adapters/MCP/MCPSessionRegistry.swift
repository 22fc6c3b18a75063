import Foundation
import Logging
import MCP
import ProvisioningCore
import ServiceLifecycle

/// The MCP sessions of the Streamable HTTP endpoint: one swift-sdk `Server` and `StatefulHTTPServerTransport`
/// per session, created by an `initialize` request and ended by `DELETE`, by staying idle too long, or when the
/// server shuts down.
///
/// Every request first passes the DNS-rebinding check (`Host` and `Origin` must name this server); the
/// per-session transport then checks `Accept`, `Content-Type`, the protocol version and the session id.
/// As a `Service`, the registry closes idle sessions until shutdown, then closes them all.
actor MCPSessionRegistry: Service {
    private struct Session {
        let server: Server
        let transport: StatefulHTTPServerTransport
        var lastUsed: ContinuousClock.Instant
    }

    private var sessions = [String: Session]()
    /// Sessions being opened: counted against the limit before they are filed.
    private var opening = 0
    private let toolbox: ProvisioningToolbox
    private let originValidator: OriginValidator
    private let idleTimeout: Duration
    private let maximumSessions: Int
    private let logger: Logger

    init(toolbox: ProvisioningToolbox, configuration: AdapterConfiguration, logger: Logger) {
        self.toolbox = toolbox
        originValidator = Self.originValidator(for: configuration)
        idleTimeout = configuration.sessionIdleTimeout
        maximumSessions = configuration.maximumSessions
        self.logger = logger
    }

    /// Loopback names on any port, plus `--host` when it is a specific address and the configured extra hosts.
    static func originValidator(for configuration: AdapterConfiguration) -> OriginValidator {
        var hosts = ["127.0.0.1", "localhost", "[::1]"]
        if !["0.0.0.0", "::", "[::]"].contains(configuration.host) {
            hosts.append(configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host)
        }
        hosts += configuration.allowedHosts
        var unique = [String]()
        for host in hosts where !unique.contains(host.lowercased()) { unique.append(host.lowercased()) }
        return OriginValidator(
            allowedHosts: unique.flatMap { [$0, "\($0):*"] },
            allowedOrigins: unique.flatMap { ["http://\($0)", "http://\($0):*", "https://\($0)", "https://\($0):*"] })
    }

    // MARK: - Requests

    /// Routes one request of the `/mcp` endpoint.
    func handle(_ request: MCP.HTTPRequest) async -> MCP.HTTPResponse {
        if let rejection = originValidator.validate(request, context: HTTPValidationContext(httpMethod: request.method))
        {
            return rejection
        }
        if let sessionID = request.header(HTTPHeaderName.sessionID) {
            guard var session = sessions[sessionID] else {
                return .error(statusCode: 404, .invalidRequest("Not Found: no such session; it may have expired"))
            }
            session.lastUsed = .now
            sessions[sessionID] = session
            let response = await session.transport.handleRequest(request)
            if request.method.uppercased() == "DELETE", response.statusCode == 200 {
                await close(sessionID, reason: "ended by the client")
            }
            return response
        }
        guard request.method.uppercased() == "POST", let body = request.body, Self.isInitializeRequest(body) else {
            return .error(
                statusCode: 400,
                .invalidRequest("Bad Request: missing \(HTTPHeaderName.sessionID); start a session with initialize"))
        }
        return await open(request)
    }

    /// Whether `body` is a JSON-RPC `initialize` request, the only message that may start a session.
    static func isInitializeRequest(_ body: Data) -> Bool {
        guard let message = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return false }
        return message["method"] as? String == "initialize" && message["id"] != nil
    }

    private func open(_ request: MCP.HTTPRequest) async -> MCP.HTTPResponse {
        guard sessions.count + opening < maximumSessions else {
            return .error(
                statusCode: 503,
                .serverError(code: -32000, message: "Service Unavailable: too many open sessions; try again later"))
        }
        opening += 1
        defer { opening -= 1 }
        let sessionID = UUID().uuidString
        let transport = StatefulHTTPServerTransport(
            sessionIDGenerator: FixedSessionID(sessionID: sessionID),
            validationPipeline: StandardValidationPipeline(validators: [
                AcceptHeaderValidator(mode: .sseRequired), ContentTypeValidator(), ProtocolVersionValidator(),
                SessionValidator(),
            ]))
        let server = await makeServer()
        do {
            try await server.start(transport: transport)
        } catch {
            logger.error("could not start an MCP session", metadata: ["error": .string("\(error)")])
            return .error(statusCode: 500, .internalError("Internal error: could not start a session"))
        }
        let response = await transport.handleRequest(request)
        guard response.statusCode == 200 else {
            await server.stop()
            return response
        }
        sessions[sessionID] = Session(server: server, transport: transport, lastUsed: .now)
        logger.debug("MCP session opened", metadata: ["sessions": .stringConvertible(sessions.count)])
        return response
    }

    /// A server with the provisioning tools.
    private func makeServer() async -> Server {
        let server = Server(
            name: "kprov", version: KprovVersion.current, title: "Koyeb provisioning (kprov)",
            capabilities: Server.Capabilities(tools: .init(listChanged: false)))
        let toolbox = toolbox
        await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: ProvisioningToolbox.tools) }
        await server.withMethodHandler(ToolCallMethod.self) { parameters in
            try await toolbox.call(try parameters.toolCall())
        }
        return server
    }

    private func close(_ sessionID: String, reason: String) async {
        guard let session = sessions.removeValue(forKey: sessionID) else { return }
        await session.server.stop()
        logger.debug("MCP session closed", metadata: ["reason": .string(reason)])
    }

    // MARK: - Service

    /// Closes sessions idle for longer than the timeout until graceful shutdown, then closes every session.
    func run() async throws {
        let interval = min(idleTimeout / 2, .seconds(60))
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                await self.closeIdleSessions()
            }
        }
        for sessionID in sessions.keys { await close(sessionID, reason: "server shutting down") }
    }

    private func closeIdleSessions() async {
        let now = ContinuousClock.now
        for (sessionID, session) in sessions where now - session.lastUsed > idleTimeout {
            await close(sessionID, reason: "idle for more than \(idleTimeout)")
        }
    }
}

/// Hands the transport the session id the registry chose, so the registry can file the session under it.
private struct FixedSessionID: SessionIDGenerator {
    let sessionID: String
    func generateSessionID() -> String { sessionID }
}
