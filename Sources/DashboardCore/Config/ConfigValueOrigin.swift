import ProvisioningCore

/// Where a config value was written — the file, the line and the key — so that an error about it, found when the
/// file is read or later (an unknown theme), points there rather than at a flag.
public struct ConfigValueOrigin: Hashable, Sendable {
    public var file: String
    public var line: Int?
    /// The key, or `nil` for an error about the whole file.
    public var key: String?

    public init(file: String, line: Int?, key: String? = nil) {
        self.file = file
        self.line = line
        self.key = key
    }

    /// `config.yaml:3: theme`, what an error message starts with.
    public var prefix: String {
        var text = file
        if let line { text += ":\(line)" }
        if let key { text += ": \(TerminalText.sanitized(key, limit: 40))" }
        return text
    }

    /// `config.yaml:3: theme: MESSAGE`.
    public func error(_ message: String) -> ConfigurationError {
        ConfigurationError("\(prefix): \(message)")
    }
}
