import Foundation
import ProvisioningCore
import Yams

/// kprov's own settings from `$XDG_CONFIG_HOME/kprov/config.yaml`. Every key is optional; flags win over it.
///
/// ```yaml
/// theme: light            # a theme name or the path of a theme file
/// interval: 5             # seconds between refreshes, 1–3600
/// url: https://app.koyeb.com
/// ascii: false            # ASCII glyphs instead of Unicode
/// read_only: false        # turn off every action that declares progress
/// deployments: [d1, d2]   # default --deployment filters
/// status: [PROVISIONING]  # default --status filters
/// app_id: …
/// service_id: …
/// ```
public struct DashboardConfig: Hashable, Sendable {
    public var theme: String?
    public var interval: Int?
    /// An API URL, already checked.
    public var url: String?
    public var ascii: Bool?
    public var readOnly: Bool?
    public var deployments: [String] = []
    public var statuses: [DeploymentStatus] = []
    public var appID: String?
    public var serviceID: String?
    /// Where each key was written, for errors about values only checked later, such as `theme`.
    public private(set) var origins: [String: ConfigValueOrigin] = [:]

    public init() {}

    /// The keys the file may hold.
    public static let keys = [
        "theme", "interval", "url", "ascii", "read_only", "deployments", "status", "app_id", "service_id",
    ]

    /// Reads kprov's config file where `ConfigLocation` puts it for `environment`; an empty config when there is
    /// none. Errors name the file, line and key. With `keys`, only those keys are read and checked: a command
    /// that needs only `url:` is not stopped by a dashboard setting it does not use.
    public static func load(
        environment: [String: String], keys: Set<String>? = nil
    ) throws(ConfigurationError) -> DashboardConfig {
        guard let path = ConfigLocation.configFile(environment: environment) else { return DashboardConfig() }
        return try load(path: path, keys: keys)
    }

    /// Reads the config file at `path`; an absent file is an empty config. Errors name the file, line and key.
    /// With `keys`, only those keys are read and checked.
    public static func load(path: String, keys: Set<String>? = nil) throws(ConfigurationError) -> DashboardConfig {
        guard FileManager.default.fileExists(atPath: path) else { return DashboardConfig() }
        let text: String
        do {
            text = try TextFile.read(path)
        } catch {
            throw ConfigurationError("\(path): \(error.reason)")
        }
        return try parse(text, file: path, keys: keys)
    }

    /// Parses config text read from `file`; with `keys`, only those keys are read and checked.
    public static func parse(
        _ text: String, file: String, keys wanted: Set<String>? = nil
    ) throws(ConfigurationError) -> DashboardConfig {
        let root: Node?
        do {
            root = try YAMLDocument.compose(text)
        } catch {
            let origin = ConfigValueOrigin(file: file, line: error.line, key: error.key)
            throw origin.error(error.message)
        }
        guard let root else { return DashboardConfig() }
        guard let mapping = root.mapping else {
            throw ConfigValueOrigin(file: file, line: root.mark?.line).error(
                "expected `key: value` lines; allowed keys: \(keys.joined(separator: ", "))")
        }
        var config = DashboardConfig()
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            if let wanted, !wanted.contains(key) { continue }
            let origin = ConfigValueOrigin(file: file, line: keyNode.mark?.line, key: key)
            config.origins[key] = origin
            let reader = ValueReader(origin: origin)
            switch key {
            case "theme": config.theme = try reader.string(value)
            case "interval": config.interval = try reader.interval(value)
            case "url": config.url = try reader.url(value)
            case "ascii": config.ascii = try reader.bool(value)
            case "read_only": config.readOnly = try reader.bool(value)
            case "deployments": config.deployments = try reader.strings(value)
            case "status": config.statuses = try reader.statuses(value)
            case "app_id": config.appID = try reader.string(value)
            case "service_id": config.serviceID = try reader.string(value)
            default: throw origin.error("unknown key; allowed: \(keys.joined(separator: ", "))")
            }
        }
        return config
    }
}

/// Typed reads of one config value, with errors that name the file, line and key, what is allowed, and what
/// was found instead.
private struct ValueReader {
    let origin: ConfigValueOrigin

    func string(_ node: Node) throws(ConfigurationError) -> String {
        let text = try scalar(node, expected: "a non-empty text")
        guard !text.isEmpty else { throw origin.error("expected a non-empty text, got nothing") }
        return text
    }

    func bool(_ node: Node) throws(ConfigurationError) -> Bool {
        switch try scalar(node, expected: "true or false").lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw origin.error("\(quoted(node)) is not a boolean; allowed: true or false")
        }
    }

    func interval(_ node: Node) throws(ConfigurationError) -> Int {
        let allowed = "whole seconds from 1 to 3600"
        guard let seconds = Int(try scalar(node, expected: "a number of \(allowed)")), (1...3600).contains(seconds)
        else { throw origin.error("\(quoted(node)) is not an interval; allowed: \(allowed)") }
        return seconds
    }

    func url(_ node: Node) throws(ConfigurationError) -> String {
        let text = try string(node)
        do {
            _ = try APIBaseURL(parsing: text, source: origin.prefix)
        } catch {
            throw error as? ConfigurationError ?? origin.error("\(quoted(node)) is not a valid API URL")
        }
        return text
    }

    func strings(_ node: Node) throws(ConfigurationError) -> [String] {
        if node.scalar != nil { return [try string(node)] }
        guard let sequence = node.sequence else {
            throw origin.error("expected a list of texts, got \(Self.kind(of: node))")
        }
        var result: [String] = []
        for item in sequence { result.append(try string(item)) }
        return result
    }

    func statuses(_ node: Node) throws(ConfigurationError) -> [DeploymentStatus] {
        var result: [DeploymentStatus] = []
        for text in try strings(node) {
            guard let status = DeploymentStatus.recognized(matching: text) else {
                throw origin.error(
                    "\"\(TerminalText.sanitized(text, limit: 40))\" is not a deployment status; "
                        + "allowed: \(DeploymentStatus.recognizedList)"
                )
            }
            result.append(status)
        }
        return result
    }

    /// The text of a scalar; a list or a mapping is refused as not `expected`.
    private func scalar(_ node: Node, expected: String) throws(ConfigurationError) -> String {
        guard let text = node.scalar?.string else {
            throw origin.error("expected \(expected), got \(Self.kind(of: node))")
        }
        return text
    }

    private static func kind(of node: Node) -> String {
        switch node {
        case .scalar: "a value"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    private func quoted(_ node: Node) -> String {
        "\"\(TerminalText.sanitized(node.scalar?.string ?? "", limit: 40))\""
    }
}
