import ArgumentParser
import DashboardCore
import Foundation
import ProvisioningCore

/// `--url` and `--token`, shared by every command that talks to the API.
struct ConnectionOptions: ParsableArguments {
    @Option(
        help: """
            The API base URL (default: KOYEB_URL, config `url:`, then https://app.koyeb.com); reached through \
            HTTPS_PROXY or HTTP_PROXY unless NO_PROXY names it.
            """)
    var url: String?

    @Option(help: "The API token (default: KOYEB_API_KEY, KOYEB_TOKEN, then `token:` in ~/.koyeb.yaml).")
    var token: String?

    /// `--timeout` when not given, in seconds.
    static let defaultTimeout = 30

    @Option(
        help:
            "Seconds to wait for each try of a request (1–600; default \(ConnectionOptions.defaultTimeout)); a request is tried again, with back-off, after a 429, a 502–504 or a lost connection.",
        transform: AllowedNumbers(1...600, unit: "seconds").parse)
    var timeout: Int = ConnectionOptions.defaultTimeout

    /// The settings these options, the environment and the config files resolve to; `config` is kprov's own
    /// config file (read here when not given), whose `url:` comes after `--url` and `KOYEB_URL`.
    func resolve(config: DashboardConfig? = nil) throws -> ConnectionSettings {
        let config = try config ?? Self.kprovConfig(environment: ProcessInfo.processInfo.environment, keys: ["url"])
        do {
            return try ConnectionSettings.resolve(tokenFlag: token, urlFlag: url, kprovConfigURL: config.url)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
    }

    /// kprov's own config file (`$XDG_CONFIG_HOME/kprov/config.yaml`, else `~/.config/kprov/config.yaml`), or
    /// only its `keys`; a usage error naming file, line and key when it cannot be read.
    static func kprovConfig(environment: [String: String], keys: Set<String>? = nil) throws -> DashboardConfig {
        do {
            return try DashboardConfig.load(environment: environment, keys: keys)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// A client for the resolved settings; fails with a usage error when no token is set, and warns when the
    /// token would travel unencrypted to another machine.
    func makeClient() throws -> KoyebClient {
        let settings = try resolve()
        if settings.token == nil {
            throw ValidationError(
                "no API token: pass --token, or set KOYEB_API_KEY or KOYEB_TOKEN, or `token:` in ~/.koyeb.yaml")
        }
        if let warning = settings.plainTextWarning {
            Console.note(warning)
        }
        return KoyebClient(
            configuration: KoyebClientConfiguration(settings: settings, requestTimeout: .seconds(timeout)))
    }
}

/// `--output table|json`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

extension KoyebClient {
    /// Runs `body` with this client and shuts the client down afterwards, whatever happens.
    func using<T: Sendable>(_ body: (KoyebClient) async throws -> T) async throws -> T {
        do {
            let result = try await body(self)
            await shutdown()
            return result
        } catch {
            await shutdown()
            throw error
        }
    }
}
