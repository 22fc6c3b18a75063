import Foundation
import ProvisioningCore
import Yams

/// kprov's own settings from `$XDG_CONFIG_HOME/kprov/config.yaml`. Every key is optional; flags win over it.
///
/// ```yaml
/// theme: light            # a theme name or the path of a theme file
/// interval: 5             # seconds between refreshes, at least 1
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
    public var url: String?
    public var ascii: Bool?
    public var readOnly: Bool?
    public var deployments: [String] = []
    public var statuses: [DeploymentStatus] = []
    public var appID: String?
    public var serviceID: String?

    public init() {}

    /// The keys the file may hold.
    public static let keys = [
        "theme", "interval", "url", "ascii", "read_only", "deployments", "status", "app_id", "service_id",
    ]

    /// Reads the config file at `path`; an absent file is an empty config. Errors name the file, line and key.
    public static func load(path: String) throws(ConfigurationError) -> DashboardConfig {
        guard FileManager.default.fileExists(atPath: path) else { return DashboardConfig() }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else { throw ConfigurationError("\(path): cannot be read as UTF-8 text") }
        return try parse(text, file: path)
    }

    /// Parses config text read from `file`.
    public static func parse(_ text: String, file: String) throws(ConfigurationError) -> DashboardConfig {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            let line = ThemeParser.line(of: error).map { ":\($0)" } ?? ""
            throw ConfigurationError("\(file)\(line): not valid YAML: \(ThemeParser.problem(error))")
        } catch {
            throw ConfigurationError("\(file): not valid YAML")
        }
        guard let root else { return DashboardConfig() }
        guard let mapping = root.mapping else {
            throw ConfigurationError(
                "\(file): expected `key: value` lines; allowed keys: \(keys.joined(separator: ", "))")
        }
        var reader = ValueReader(file: file)
        var config = DashboardConfig()
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            reader.key = key
            switch key {
            case "theme": config.theme = try reader.string(value)
            case "interval": config.interval = try reader.interval(value)
            case "url": config.url = try reader.string(value)
            case "ascii": config.ascii = try reader.bool(value)
            case "read_only": config.readOnly = try reader.bool(value)
            case "deployments": config.deployments = try reader.strings(value)
            case "status": config.statuses = try reader.statuses(value)
            case "app_id": config.appID = try reader.string(value)
            case "service_id": config.serviceID = try reader.string(value)
            default:
                throw reader.error(keyNode, "unknown key; allowed: \(keys.joined(separator: ", "))")
            }
        }
        return config
    }
}

/// Typed reads of config values, with errors that name the file, line and key.
private struct ValueReader {
    let file: String
    var key = ""

    func error(_ node: Node, _ message: String) -> ConfigurationError {
        let line = node.mark.map { ":\($0.line)" } ?? ""
        return ConfigurationError("\(file)\(line): \(TerminalText.sanitized(key, limit: 40)): \(message)")
    }

    func string(_ node: Node) throws(ConfigurationError) -> String {
        guard let text = node.scalar?.string, !text.isEmpty else { throw error(node, "expected a non-empty text") }
        return text
    }

    func bool(_ node: Node) throws(ConfigurationError) -> Bool {
        switch node.scalar?.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error(node, "\(quoted(node)) is not a boolean; allowed: true or false")
        }
    }

    func interval(_ node: Node) throws(ConfigurationError) -> Int {
        guard let text = node.scalar?.string, let seconds = Int(text), seconds >= 1, seconds <= 3600 else {
            throw error(node, "\(quoted(node)) is not an interval; allowed: whole seconds from 1 to 3600")
        }
        return seconds
    }

    func strings(_ node: Node) throws(ConfigurationError) -> [String] {
        if node.scalar != nil { return [try string(node)] }
        guard let sequence = node.sequence else { throw error(node, "expected a list of texts") }
        var result: [String] = []
        for item in sequence { result.append(try string(item)) }
        return result
    }

    func statuses(_ node: Node) throws(ConfigurationError) -> [DeploymentStatus] {
        var result: [DeploymentStatus] = []
        for text in try strings(node) {
            guard let status = DeploymentStatus.recognized(matching: text) else {
                throw error(
                    node,
                    "\"\(TerminalText.sanitized(text, limit: 40))\" is not a deployment status; "
                        + "allowed: \(DeploymentStatus.recognizedList)"
                )
            }
            result.append(status)
        }
        return result
    }

    private func quoted(_ node: Node) -> String {
        "\"\(TerminalText.sanitized(node.scalar?.string ?? "?", limit: 40))\""
    }
}
