/// A theme that could not be found or read, with the file, line and key at fault.
public struct ThemeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The theme file, or the name asked for when there is no file.
    public var file: String
    public var line: Int?
    /// The key at fault, e.g. `styles.status.running.fg`.
    public var key: String?
    /// What was wrong and what is allowed.
    public var message: String

    public init(file: String, line: Int? = nil, key: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    /// `themes/light.yaml:12: styles.cursor.bg: "blu" is not a colour; allowed: …`
    public var description: String {
        ConfigValueOrigin(file: file, line: line, key: key).prefix + ": " + message
    }
}
