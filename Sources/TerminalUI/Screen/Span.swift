import DashboardCore

/// A run of text with one role: what views are built from.
public struct Span: Hashable, Sendable {
    public var text: String
    public var role: Role
    /// The span is a spinner's current frame (one character); see `Screen.advancingSpinners(to:)`.
    public var isSpinner = false

    public init(_ text: String, _ role: Role = .text) {
        self.text = text
        self.role = role
    }

    /// A spinner frame, `glyph`, in `role`.
    public static func spinner(_ glyph: String, _ role: Role) -> Span {
        var span = Span(glyph, role)
        span.isSpinner = true
        return span
    }
}

extension Array where Element == Span {
    /// The total width of the spans in columns.
    public var width: Int { reduce(0) { $0 + CharacterWidth.of($1.text) } }
}
