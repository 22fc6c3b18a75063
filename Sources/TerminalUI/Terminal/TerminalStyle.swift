import DashboardCore

/// What a terminal paints for a style, after `ColorMapper` fitted it to the terminal's colours.
public struct TerminalStyle: Hashable, Sendable {
    /// Colour numbers as ncurses takes them: -1 is the terminal's own colour.
    public var foreground: Int32
    public var background: Int32
    public var attributes: TextAttributes

    public init(foreground: Int32 = -1, background: Int32 = -1, attributes: TextAttributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }
}
