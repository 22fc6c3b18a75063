import NIOCore

/// Where `KoyebClient`'s connections go: an `APIBaseURL` taken apart once.
struct HTTPOrigin: Sendable, Hashable {
    /// Whether connections speak TLS (`https`).
    let usesTLS: Bool
    /// The host to connect to: a name, or an IP address without brackets.
    let host: String
    /// The TCP port: the URL's, or 443 for `https` and 80 for `http`.
    let port: Int
    /// The `Host` header: the host as the URL writes it (an IPv6 address in brackets), with the port unless it is
    /// the scheme's default.
    let hostHeader: String
    /// The URL's path, put before every request's path: empty for `https://app.koyeb.com`.
    let basePath: String

    init(_ baseURL: APIBaseURL) {
        // `APIBaseURL.text` is normalised: `scheme://host[:port][/path]`, lowercased, no default port.
        let text = baseURL.text
        usesTLS = text.hasPrefix("https://")
        let (authority, path) = APIBaseURL.authorityAndPath(of: text) ?? ("", "")
        basePath = String(path)
        hostHeader = String(authority)
        let (hostText, portText) = APIBaseURL.hostAndPort(of: authority)
        host = APIBaseURL.unbracketed(hostText)
        port = portText.flatMap { Int($0) } ?? (usesTLS ? 443 : 80)
    }

    /// The name to send in TLS's server name indication: the host, unless it is an IP address, which SNI cannot
    /// carry.
    var serverName: String? {
        (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
    }
}
