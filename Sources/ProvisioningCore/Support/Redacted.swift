/// How kprov shows a secret value anywhere a person or a log could read it.
public enum Redacted {
    /// The text shown instead of a secret.
    public static let placeholder = "<redacted>"

    /// `<redacted>` when a value is set, `-` when it is not: enough to debug "was it sent?" without leaking it.
    public static func mark(_ value: String?) -> String {
        value.map { $0.isEmpty ? "\"\"" : placeholder } ?? "-"
    }
}
