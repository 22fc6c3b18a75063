import Foundation
import NIOSSL

/// Where and how `KoyebClient` talks to Koyeb.
public struct KoyebClientConfiguration: Sendable {
    /// The API's base URL, e.g. `https://app.koyeb.com` or a local simulator's `http://127.0.0.1:8000`.
    public var baseURL: APIBaseURL
    /// The bearer token; `nil` sends no `Authorization` header.
    public var token: APIToken?
    /// How long to wait for a connection.
    public var connectTimeout: Duration
    /// How long one try of a request may take: waiting for a free connection, connecting, sending, and the reply
    /// to its last byte.
    public var requestTimeout: Duration
    /// When to send a request again.
    public var retryPolicy: RetryPolicy
    /// The largest reply body read, in bytes; a bigger one is an error rather than unbounded memory.
    public var maximumReplyBytes: Int
    /// How many connections to the API may be open at once (keep-alive pool).
    public var maximumConnections: Int
    /// The HTTP proxy to reach the API through; `nil` connects directly. `HTTPProxy.fromEnvironment` reads the
    /// one the environment names.
    public var proxy: HTTPProxy?
    /// The certificate authorities an `https` API's certificate must be signed by; `nil` for this machine's.
    var trustRoots: NIOSSLTrustRoots?

    public init(
        baseURL: APIBaseURL, token: APIToken?, connectTimeout: Duration = .seconds(5),
        requestTimeout: Duration = .seconds(30), retryPolicy: RetryPolicy = .standard,
        maximumReplyBytes: Int = 64 << 20, maximumConnections: Int = 32, proxy: HTTPProxy? = nil
    ) {
        self.baseURL = baseURL
        self.token = token
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.retryPolicy = retryPolicy
        self.maximumReplyBytes = maximumReplyBytes
        self.maximumConnections = maximumConnections
        self.proxy = proxy
    }

    /// A configuration for the API, token and proxy that `settings` resolved, each try of a request bounded by
    /// `requestTimeout`.
    public init(settings: ConnectionSettings, requestTimeout: Duration, retryPolicy: RetryPolicy = .standard) {
        self.init(
            baseURL: settings.baseURL, token: settings.token, requestTimeout: requestTimeout, retryPolicy: retryPolicy,
            proxy: settings.proxy)
    }
}

/// A Koyeb API token. Its value is reachable only through `bearerHeaderValue`; printing, logging or dumping the
/// token shows `<redacted>`.
public struct APIToken: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    private let value: String
    /// Where the token came from (`--token`, `KOYEB_API_KEY`, a config file's path …), for messages such as the
    /// hint of a 401; never the value. `nil` when not known.
    public private(set) var source: String?

    /// A token; `nil` when `value` is empty or only whitespace.
    public init?(_ value: String) {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        self.value = trimmed
    }

    /// This token, said to come from `source`.
    public func withSource(_ source: String) -> APIToken {
        var token = self
        token.source = source
        return token
    }

    /// A token read from `source` (`--token`, `KOYEB_API_KEY`, a config file's path …), checked to be usable in
    /// an HTTP header: `nil` when `value` is empty or only whitespace; a `ConfigurationError` naming `source` and
    /// what is allowed — never quoting the token — when a character inside it is not visible ASCII.
    public init?(validating value: String, source: String) throws(ConfigurationError) {
        self.init(value)
        self.source = source
        if let problem = Self.firstForbiddenCharacter(in: self.value) {
            throw ConfigurationError(
                "\(source): the token contains \(problem); a token may hold only visible ASCII characters "
                    + "(! to ~), without spaces or control characters (the token is not shown)")
        }
    }

    /// What makes `token` unfit for an HTTP header value, in words, or `nil` when it is fit.
    private static func firstForbiddenCharacter(in token: String) -> String? {
        for byte in token.utf8 where !(0x21...0x7E).contains(byte) {
            switch byte {
            case UInt8(ascii: " "): return "a space"
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"): return "a line break"
            case 0x80...: return "a non-ASCII character"
            default: return "a control character"
            }
        }
        return nil
    }

    /// `Bearer <token>`, for the `Authorization` header.
    public var bearerHeaderValue: String { "Bearer \(value)" }

    /// Whether `candidate` is this token, compared in constant time.
    public func matches(_ candidate: String) -> Bool { ConstantTime.equals(value, candidate) }

    public var description: String { Redacted.placeholder }
    public var debugDescription: String { Redacted.placeholder }
    public var customMirror: Mirror { Mirror(self, children: []) }
}

/// A validated API base URL: `http` or `https`, a host, no query or fragment. Stored normalised — scheme and host
/// lowercased, no default port (80 for http, 443 for https), no trailing slash — so that spellings of the same API
/// compare equal (the outbox matches its entries to an API by this text).
public struct APIBaseURL: Sendable, Hashable, CustomStringConvertible, Codable {
    /// The URL text, e.g. `https://app.koyeb.com`.
    public let text: String

    /// Koyeb's public API.
    public static let koyeb = APIBaseURL(validated: "https://app.koyeb.com")

    private init(validated: String) { text = validated }

    /// Validates `text`; throws a `ConfigurationError` naming what is wrong and what is allowed.
    public init(parsing text: String, source: String = "--url") throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else {
            throw ConfigurationError(
                "\(source): \"\(TerminalText.sanitized(Self.hidingUserInfo(text), limit: 80))\" is not a valid API URL; expected http:// or https:// with a host, e.g. https://app.koyeb.com"
            )
        }
        guard components.user == nil, components.password == nil else {
            throw ConfigurationError(
                "\(source): the API URL must not carry a user or password (it is shown on screen and in logs); "
                    + "give the API token with --token or KOYEB_API_KEY")
        }
        guard components.query == nil, components.fragment == nil else {
            throw ConfigurationError("\(source): the API URL must not have a query or fragment")
        }
        self.text = Self.normalized(trimmed, scheme: scheme, port: components.port)
    }

    /// `text` (valid, without user, query or fragment) with `scheme` and the host lowercased, no default port and
    /// no trailing slash; the path is kept as it is.
    private static func normalized(_ text: String, scheme: String, port: Int?) -> String {
        guard let (authority, fullPath) = authorityAndPath(of: text) else { return text }
        var path = fullPath
        while path.hasSuffix("/") { path.removeLast() }
        let host = hostAndPort(of: authority).host.lowercased()
        let defaultPort = scheme == "https" ? 443 : 80
        let portText = port.flatMap { $0 == defaultPort ? nil : ":\($0)" } ?? ""
        return "\(scheme)://\(host)\(portText)\(path)"
    }

    public var description: String { text }

    /// What follows `scheme://` in `text`, split into the authority and the path (empty or from its `/`); `nil`
    /// without `://`.
    static func authorityAndPath(of text: String) -> (authority: Substring, path: Substring)? {
        guard let separator = text.range(of: "://") else { return nil }
        let rest = text[separator.upperBound...]
        let authority = rest.prefix { $0 != "/" }
        return (authority, rest[authority.endIndex...])
    }

    /// `authority` (`host[:port]`, the host possibly an IPv6 literal in brackets) split at the port's colon: the last
    /// one outside the brackets.
    static func hostAndPort(of authority: Substring) -> (host: Substring, port: Substring?) {
        guard let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") else {
            return (authority, nil)
        }
        return (authority[..<colon], authority[authority.index(after: colon)...])
    }

    /// `host` as a socket address takes it: an IPv6 literal without its URL brackets.
    static func unbracketed<Host: StringProtocol>(_ host: Host) -> String {
        host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : String(host)
    }

    /// `host:port` as a URL or a `CONNECT` writes it, an IPv6 literal in brackets: the inverse of `hostAndPort`.
    static func authority(host: String, port: Int) -> String {
        (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
    }

    /// `text` with whatever stands between `//` and an `@` of its authority replaced by `…`, for messages.
    static func hidingUserInfo(_ text: String) -> String {
        guard let start = text.range(of: "//") else { return text }
        let authorityEnd = text[start.upperBound...].firstIndex { "/?#".contains($0) } ?? text.endIndex
        guard let at = text[start.upperBound..<authorityEnd].lastIndex(of: "@") else { return text }
        return text.replacingCharacters(in: start.upperBound..<at, with: "…")
    }

    /// Whether the URL points at this machine (127.0.0.0/8, ::1, localhost).
    public var isLoopback: Bool {
        guard let host = URLComponents(string: text)?.host?.lowercased() else { return false }
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    public init(from decoder: any Decoder) throws {
        try self.init(parsing: try decoder.singleValueContainer().decode(String.self), source: "url")
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}

/// Comparison whose time does not depend on where two strings first differ.
public enum ConstantTime {
    /// Whether `a` equals `b`, in time proportional to their lengths only.
    public static func equals(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        var difference = UInt8(truncatingIfNeeded: left.count ^ right.count)
        for index in 0..<max(left.count, right.count) {
            let l = index < left.count ? left[index] : 0
            let r = index < right.count ? right[index] : 0
            difference |= l ^ r
        }
        return difference == 0 && left.count == right.count
    }
}

/// A configuration value that is wrong: bad URL, bad option, unreadable file. Its description names the value
/// and what is allowed.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
