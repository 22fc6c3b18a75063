import DashboardCore

/// A run of text with one role: what views are built from.
public struct Span: Hashable, Sendable {
    public var text: String
    public var role: Role

    public init(_ text: String, _ role: Role = .text) {
        self.text = text
        self.role = role
    }
}

extension Array where Element == Span {
    /// The total width of the spans in columns.
    public var width: Int { reduce(0) { $0 + CharacterWidth.of($1.text) } }
}
