import DashboardCore

/// What a terminal can show, learned when it starts.
public struct TerminalCapabilities: Hashable, Sendable {
    public var size: Size
    /// 0 (no colour), 8, 16, 256, or 16,777,216 for direct colour.
    public var colorCount: Int
    /// The locale is UTF-8, so Unicode glyphs can be drawn.
    public var isUTF8: Bool

    public init(size: Size, colorCount: Int, isUTF8: Bool) {
        self.size = size
        self.colorCount = colorCount
        self.isUTF8 = isUTF8
    }
}

/// A screen to paint and a source of input: ncurses in the real program, `MemoryTerminal` in tests.
public protocol Terminal: Sendable {
    /// Takes the terminal over.
    func start() async throws -> TerminalCapabilities
    /// Keys, mouse, resizes and termination signals, until `stop()`.
    var events: AsyncStream<InputEvent> { get }
    /// Shows `screen`, writing only what changed since the last one.
    func draw(_ screen: Screen) async
    /// Gives the terminal back as it was. Safe to call more than once.
    func stop() async
}
