import Logging
import Synchronization

/// Records the level and message of every log line, for tests that check what the client logs.
final class LogRecorder: LogHandler, Sendable {
    private let recorded = Mutex<[(level: Logger.Level, message: String)]>([])
    /// The levels of the lines logged so far, in order.
    var levels: [Logger.Level] { recorded.withLock { $0.map(\.level) } }
    /// The messages of the lines logged so far, in order.
    var messages: [String] { recorded.withLock { $0.map(\.message) } }

    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }
    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }
    subscript(metadataKey _: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    func log(event: LogEvent) {
        recorded.withLock { $0.append((event.level, event.message.description)) }
    }
}
