import Foundation

/// An HTTP proxy that `KoyebClient` reaches its API through: each connection is a `CONNECT` tunnel to the API's
/// host, inside which TLS runs end to end, so the proxy sees neither the token nor the bodies of an `https` API.
///
/// Printing, logging or dumping it shows `http://host:port`, never the credentials.
public struct HTTPProxy: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The proxy's host name or IP address (without brackets).
    public let host: String
    /// The proxy's port: the URL's, else 80.
    public let port: Int
    /// The value of `Proxy-Authorization` (`Basic …`), from the URL's user info; `nil` when it has none.
    let authorization: String?

    /// The forms of proxy URL kprov takes, for messages.
    public static let allowedForms = "http://[user:password@]host[:port]"

    /// Parses a proxy URL: `http://[user:password@]host[:port][/]`, or `host[:port]` alone. Throws
    /// `ConfigurationError` naming `source` and, never with its credentials, the text, for anything else.
    public init(parsing text: String, source: String) throws(ConfigurationError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let withScheme = trimmed.contains("://") ? trimmed : "http://" + trimmed
        func refused(_ why: String) -> ConfigurationError {
            ConfigurationError(
                "\(source): \"\(APIBaseURL.hidingUserInfo(trimmed))\" \(why); allowed: \(Self.allowedForms)")
        }
        guard withScheme.lowercased().hasPrefix("http://") else {
            throw refused("is not an http:// proxy (kprov speaks plain HTTP to its proxy, TLS inside the tunnel)")
        }
        guard let components = URLComponents(string: withScheme), let host = components.host, !host.isEmpty,
            components.query == nil, components.fragment == nil, ["", "/"].contains(components.percentEncodedPath)
        else { throw refused("is not a proxy URL") }
        let port = components.port ?? 80
        guard (1...65_535).contains(port) else {
            throw refused("has a port out of range 1–65535")
        }
        self.host = APIBaseURL.unbracketed(host)
        self.port = port
        authorization = components.percentEncodedUser.map { user in
            let password = components.percentEncodedPassword ?? ""
            let pair = (user.removingPercentEncoding ?? user) + ":" + (password.removingPercentEncoding ?? password)
            return "Basic " + Data(pair.utf8).base64EncodedString()
        }
    }

    public var description: String { "http://" + APIBaseURL.authority(host: host, port: port) }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["url": description]) }

    /// The proxy the environment names for requests to `baseURL`, as curl and Go read it: `HTTPS_PROXY` (or
    /// `https_proxy`) for an `https` API, `HTTP_PROXY` (or `http_proxy`) for an `http` one; `nil` when none is
    /// set, when `NO_PROXY` (or `no_proxy`) names the API's host — `*`, the host, or a domain it is in — and for
    /// an API on this machine, which is never reached through a proxy. Throws `ConfigurationError` naming the
    /// variable when its value is not a proxy URL.
    public static func fromEnvironment(
        for baseURL: APIBaseURL, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigurationError) -> HTTPProxy? {
        guard !baseURL.isLoopback else { return nil }
        let names = baseURL.text.hasPrefix("https://") ? ["HTTPS_PROXY", "https_proxy"] : ["HTTP_PROXY", "http_proxy"]
        guard let name = names.first(where: { environment[$0]?.isEmpty == false }), let value = environment[name]
        else { return nil }
        let host = HTTPOrigin(baseURL).host.lowercased()
        let exclusions = (environment["NO_PROXY"] ?? environment["no_proxy"] ?? "").split(separator: ",")
        guard !exclusions.contains(where: { Self.exclusion($0, matches: host) }) else { return nil }
        return try HTTPProxy(parsing: value, source: name)
    }

    /// Whether one `NO_PROXY` entry (`*`, a host, or a domain with or without its leading dot) covers `host`.
    private static func exclusion(_ entry: Substring, matches host: String) -> Bool {
        var domain = entry.trimmingCharacters(in: .whitespaces).lowercased()
        if domain.hasPrefix(".") { domain.removeFirst() }
        guard !domain.isEmpty else { return false }
        return domain == "*" || host == domain || host.hasSuffix("." + domain)
    }
}
