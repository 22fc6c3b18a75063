import HummingbirdCore
import NIOCore
import ProvisioningCore

/// Where an adapter listens and how it guards itself. One value per adapter: `kprov serve` makes one for the
/// REST adapter and one for the MCP server, differing in port.
public struct AdapterConfiguration: Sendable {
    /// The address to bind, e.g. `127.0.0.1` (the default: this machine only) or `0.0.0.0`.
    public var host: String
    /// The port; 0 picks a free one.
    public var port: Int
    /// When set, every provisioning route and the MCP endpoint require `Authorization: Bearer <token>`.
    public var authToken: APIToken?
    /// The largest request body accepted, in bytes; a larger one is refused with 413.
    public var maximumBodyBytes: Int
    /// The deepest nesting of JSON arrays and objects accepted in a request body; deeper is refused with 400
    /// before anything decodes it.
    public var maximumNestingDepth: Int
    /// Host names the MCP endpoint accepts in `Host` besides the loopback names and `host` (DNS-rebinding
    /// protection), e.g. the public name of a machine serving beyond loopback.
    public var allowedHosts: [String]
    /// How long an MCP session may stay unused before it is closed.
    public var sessionIdleTimeout: Duration
    /// How many MCP sessions may be open at once; a new one beyond that is refused with 503.
    public var maximumSessions: Int
    /// How long a connection may send nothing — between requests, or stalled inside one — before it is closed.
    /// It also bounds how long such a client can hold up a graceful shutdown. A request being answered (a slow
    /// call to Koyeb) is never cut.
    public var connectionIdleTimeout: Duration

    /// The default body limit: 1 MiB.
    public static let defaultMaximumBodyBytes = 1 << 20
    /// The default nesting limit, the simulator's: the provisioning bodies nest three levels at most.
    public static let defaultMaximumNestingDepth = 64

    public init(
        host: String = "127.0.0.1", port: Int, authToken: APIToken? = nil,
        maximumBodyBytes: Int = defaultMaximumBodyBytes, maximumNestingDepth: Int = defaultMaximumNestingDepth,
        allowedHosts: [String] = [],
        sessionIdleTimeout: Duration = .seconds(30 * 60), maximumSessions: Int = 100,
        connectionIdleTimeout: Duration = ServerLimits.connectionIdleTimeout
    ) {
        self.host = host
        self.port = port
        self.authToken = authToken
        self.maximumBodyBytes = maximumBodyBytes
        self.maximumNestingDepth = maximumNestingDepth
        self.allowedHosts = allowedHosts
        self.sessionIdleTimeout = sessionIdleTimeout
        self.maximumSessions = maximumSessions
        self.connectionIdleTimeout = connectionIdleTimeout
    }

    /// The HTTP/1.1 server with this configuration's idle timeout.
    var server: HTTPServerBuilder { .http1(configuration: .init(idleTimeout: TimeAmount(connectionIdleTimeout))) }

    /// Whether `host` keeps the adapter on this machine (127.0.0.0/8, `::1`, `localhost`).
    public var isLoopback: Bool { Self.isLoopback(host) }

    /// Whether `host` names this machine only.
    public static func isLoopback(_ host: String) -> Bool {
        let lowered = host.lowercased()
        return lowered == "localhost" || lowered.hasPrefix("127.") || lowered == "::1" || lowered == "[::1]"
    }

    /// `http://host:port` for a listening port, with IPv6 addresses in brackets.
    public func baseURL(port: Int) -> String {
        let shownHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "http://\(shownHost):\(port)"
    }
}
