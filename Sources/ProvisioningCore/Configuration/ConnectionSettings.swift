import Foundation

/// Where kprov connects and with which token, resolved from flags, environment and config files in the order
/// DESIGN.md gives:
///
/// - token: `--token`, then `KOYEB_API_KEY` (the capability's binding), then `KOYEB_TOKEN` (Koyeb's CLI), then
///   `token:` in `$KOYEB_CONFIG` or `~/.koyeb.yaml`;
/// - URL: `--url`, then `KOYEB_URL`, then `url:` in kprov's own config, then in Koyeb's CLI config, then
///   `https://app.koyeb.com`.
public struct ConnectionSettings: Sendable {
    /// The API to talk to.
    public var baseURL: APIBaseURL
    /// The token, knowing where it came from (`APIToken.source`).
    public var token: APIToken?
    /// The HTTP proxy the environment names for the API (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`); `nil` for none.
    public var proxy: HTTPProxy?
    /// Where the token came from (`--token`, `KOYEB_API_KEY`, a file path …), for messages; never the value.
    public var tokenSource: String? { token?.source }

    /// A warning to print when the token would travel unencrypted to another machine, else `nil`.
    public var plainTextWarning: String? {
        guard token != nil, baseURL.text.lowercased().hasPrefix("http://"), !baseURL.isLoopback else { return nil }
        return "warning: \(baseURL) is plain http to another machine; the API token is sent unencrypted"
    }

    public init(baseURL: APIBaseURL, token: APIToken?, proxy: HTTPProxy? = nil) {
        self.baseURL = baseURL
        self.token = token
        self.proxy = proxy
    }

    /// Resolves the settings. Throws `ConfigurationError` for a malformed URL, a token that cannot be sent in an
    /// HTTP header (naming where it came from, never its value), an unreadable config file, or a proxy variable
    /// that is not a proxy URL.
    /// - Parameters:
    ///   - kprovConfigURL: `url:` from kprov's own config file, if any.
    public static func resolve(
        tokenFlag: String?, urlFlag: String?, kprovConfigURL: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> ConnectionSettings {
        // Koyeb's CLI config is read only when a flag or the environment has not already decided both values.
        let decidedByFlagsOrEnvironment =
            [tokenFlag, environment["KOYEB_API_KEY"], environment["KOYEB_TOKEN"]].contains { APIToken($0 ?? "") != nil }
            && [urlFlag, environment["KOYEB_URL"], kprovConfigURL].contains { $0?.isEmpty == false }
        let koyebConfig = decidedByFlagsOrEnvironment ? nil : try KoyebCLIConfig.load(environment: environment)
        var token: APIToken?
        let candidates: [(String?, String)] = [
            (tokenFlag, "--token"), (environment["KOYEB_API_KEY"], "KOYEB_API_KEY"),
            (environment["KOYEB_TOKEN"], "KOYEB_TOKEN"), (koyebConfig?.token, koyebConfig?.path ?? ""),
        ]
        for (value, source) in candidates {
            if let value, let parsed = try APIToken(validating: value, source: source) {
                token = parsed
                break
            }
        }
        let urlCandidates: [(String?, String)] = [
            (urlFlag, "--url"), (environment["KOYEB_URL"], "KOYEB_URL"), (kprovConfigURL, "url in kprov's config"),
            (koyebConfig?.url, "url in \(koyebConfig?.path ?? "Koyeb's config")"),
        ]
        var baseURL = APIBaseURL.koyeb
        if let (value, source) = urlCandidates.first(where: { $0.0?.isEmpty == false }), let value {
            baseURL = try APIBaseURL(parsing: value, source: source)
        }
        let proxy = try HTTPProxy.fromEnvironment(for: baseURL, environment: environment)
        return ConnectionSettings(baseURL: baseURL, token: token, proxy: proxy)
    }
}

/// Koyeb CLI's config file: `$KOYEB_CONFIG`, else `~/.koyeb.yaml` (keys `token`, `url`, `organization`).
struct KoyebCLIConfig {
    var path: String
    var token: String?
    var url: String?

    /// The file's values, or `nil` when `~/.koyeb.yaml` does not exist. A file named by `KOYEB_CONFIG` must exist.
    static func load(environment: [String: String]) throws -> KoyebCLIConfig? {
        let path: String
        if let explicit = environment["KOYEB_CONFIG"], !explicit.isEmpty {
            path = explicit
            guard FileManager.default.fileExists(atPath: path) else {
                throw ConfigurationError(
                    "KOYEB_CONFIG: \(TerminalText.sanitized(path, limit: 200)) does not exist; point KOYEB_CONFIG at "
                        + "Koyeb's CLI config file, or unset it to use ~/.koyeb.yaml")
            }
        } else if let home = environment["HOME"], !home.isEmpty {
            path = home + "/.koyeb.yaml"
            guard FileManager.default.fileExists(atPath: path) else { return nil }
        } else {
            return nil
        }
        let values = try FlatYAMLFile.read(path: path, keys: ["token", "url"], secret: true)
        return KoyebCLIConfig(path: path, token: values["token"], url: values["url"])
    }
}
