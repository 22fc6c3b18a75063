import DashboardCore

/// A terminal in memory for tests: records what is drawn and replays events the test sends.
public actor MemoryTerminal: Terminal {
    public nonisolated let events: AsyncStream<InputEvent>
    private let continuation: AsyncStream<InputEvent>.Continuation
    private let capabilities: TerminalCapabilities
    /// The last screen drawn.
    public private(set) var screen: Screen?
    /// How many times `draw` was called.
    public private(set) var drawCount = 0
    public private(set) var isStarted = false
    public private(set) var wasStopped = false
    private var waiters: [(predicate: @Sendable (Screen) -> Bool, continuation: CheckedContinuation<Screen, Never>)] =
        []

    public init(size: Size = Size(width: 80, height: 24), colorCount: Int = 256, isUTF8: Bool = true) {
        capabilities = TerminalCapabilities(size: size, colorCount: colorCount, isUTF8: isUTF8)
        (events, continuation) = AsyncStream.makeStream(of: InputEvent.self)
    }

    public func start() async throws -> TerminalCapabilities {
        isStarted = true
        return capabilities
    }

    public func draw(_ screen: Screen) async {
        self.screen = screen
        drawCount += 1
        var remaining: [(predicate: @Sendable (Screen) -> Bool, continuation: CheckedContinuation<Screen, Never>)] = []
        for waiter in waiters {
            if waiter.predicate(screen) {
                waiter.continuation.resume(returning: screen)
            } else {
                remaining.append(waiter)
            }
        }
        waiters = remaining
    }

    public func stop() async {
        wasStopped = true
        continuation.finish()
    }

    /// Delivers `event` as if the user had typed it.
    public func send(_ event: InputEvent) {
        continuation.yield(event)
    }

    /// Waits until a drawn screen satisfies `predicate` (or returns the current one if it does).
    public func waitForScreen(where predicate: @escaping @Sendable (Screen) -> Bool) async -> Screen {
        if let screen, predicate(screen) { return screen }
        return await withCheckedContinuation { continuation in
            waiters.append((predicate, continuation))
        }
    }
}
