import Logging

/// Keeps a logger's metadata as given and hands it to the wrapped handler only with a message that is logged.
///
/// Hummingbird sets a request id on each request's logger. `StreamLogHandler` renders its metadata to text every
/// time it is set, so every request paid for text that, at the simulator's level, no message ever used (3 % of
/// its CPU on a `GET`, in profiles). In front of it, only requests that log pay.
struct DeferredMetadataLogHandler: LogHandler {
    private var wrapped: any LogHandler
    var metadata: Logger.Metadata = [:]

    init(wrapping wrapped: any LogHandler) {
        self.wrapped = wrapped
    }

    var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { wrapped.metadataProvider }
        set { wrapped.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var event = event
        if !metadata.isEmpty {
            event.metadata = metadata.merging(event.metadata ?? [:]) { _, statement in statement }
        }
        wrapped.log(event: event)
    }
}

extension Logger {
    /// This logger, with its metadata kept by a `DeferredMetadataLogHandler`.
    func deferringMetadata() -> Logger {
        let handler = DeferredMetadataLogHandler(wrapping: handler)
        return Logger(label: label) { _ in handler }
    }
}
