import Logging
import Synchronization
import Testing

@testable import KoyebSimulator

/// `DeferredMetadataLogHandler` passes metadata on only with a logged message, merged as `Logger` would.
@Suite struct DeferredMetadataLogHandlerTests {
    /// What the wrapped handler was told.
    final class Recording: Sendable {
        let events = Mutex<[LogEvent]>([])
        let metadataSets = Mutex(0)
    }

    struct RecordingHandler: LogHandler {
        let recording: Recording
        var logLevel: Logger.Level = .info
        var metadata: Logger.Metadata = [:] {
            didSet { recording.metadataSets.withLock { $0 += 1 } }
        }

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) { recording.events.withLock { $0.append(event) } }
    }

    private func logger(_ recording: Recording) -> Logger {
        Logger(label: "test") { _ in RecordingHandler(recording: recording) }.deferringMetadata()
    }

    @Test func metadataReachesTheWrappedHandlerOnlyWithALoggedMessage() {
        let recording = Recording()
        var logger = logger(recording)
        logger[metadataKey: "request"] = "1"
        logger.debug("below the level")
        #expect(recording.metadataSets.withLock { $0 } == 0)
        #expect(recording.events.withLock { $0.isEmpty })

        logger.info("logged", metadata: ["status": "200", "request": "from the statement"])
        let event = recording.events.withLock { $0.last }
        #expect(event?.message == "logged")
        #expect(event?.metadata == ["request": "from the statement", "status": "200"])
        #expect(recording.metadataSets.withLock { $0 } == 0)
    }

    @Test func aLoggersMetadataIsItsOwn() {
        let recording = Recording()
        let base = logger(recording)
        var request = base
        request[metadataKey: "request"] = "7"
        base.info("base")
        request.info("request")
        let events = recording.events.withLock { $0 }
        #expect(events.map(\.metadata) == [nil, ["request": "7"]])
    }

    @Test func theLevelIsTheWrappedHandlers() {
        let recording = Recording()
        var logger = logger(recording)
        #expect(logger.logLevel == .info)
        logger.logLevel = .error
        logger.warning("dropped")
        logger.error("kept")
        #expect(recording.events.withLock { $0.map(\.message) } == ["kept"])
    }
}
