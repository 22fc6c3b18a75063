/// Text attributes a style can turn on.
public struct TextAttributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = TextAttributes(rawValue: 1 << 0)
    public static let dim = TextAttributes(rawValue: 1 << 1)
    public static let underline = TextAttributes(rawValue: 1 << 2)
    public static let reverse = TextAttributes(rawValue: 1 << 3)

    /// Each attribute with the name theme files use for it.
    public static let named: [(String, TextAttributes)] = [
        ("bold", .bold), ("dim", .dim), ("underline", .underline), ("reverse", .reverse),
    ]

    /// `bold dim`, in the order of `named`.
    public var names: [String] { Self.named.filter { contains($0.1) }.map(\.0) }
}

/// How a role looks: foreground, background and attributes. A `nil` colour inherits from the style below
/// (see `layered(over:)`); at the bottom it means the terminal's own colour.
public struct Style: Hashable, Sendable, CustomStringConvertible {
    public var foreground: Color?
    public var background: Color?
    public var attributes: TextAttributes

    public init(foreground: Color? = nil, background: Color? = nil, attributes: TextAttributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    /// The plain style: terminal colours, no attributes.
    public static let plain = Style()

    /// This style drawn on top of `base`: colours set here win, attributes add up.
    public func layered(over base: Style) -> Style {
        Style(
            foreground: foreground ?? base.foreground, background: background ?? base.background,
            attributes: attributes.union(base.attributes))
    }

    /// The style without colours, for `NO_COLOR`: what a background used to highlight becomes reverse video.
    public var withoutColors: Style {
        var attributes = attributes
        if let background, background != .terminalDefault { attributes.insert(.reverse) }
        return Style(attributes: attributes)
    }

    /// `fg=green bg=default bold`, for attribute dumps.
    public var description: String {
        var parts: [String] = []
        if let foreground { parts.append("fg=\(foreground)") }
        if let background { parts.append("bg=\(background)") }
        parts += attributes.names
        return parts.isEmpty ? "plain" : parts.joined(separator: " ")
    }
}
