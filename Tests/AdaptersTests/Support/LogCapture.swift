import Logging
import Synchronization

/// A log handler that keeps every line, rendered with its metadata, for tests to read.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    /// Everything logged so far, one entry per line.
    var all: [String] { lines.withLock { $0 } }

    /// A logger that writes here, at `trace` level so nothing is filtered out.
    func logger(label: String = "test") -> Logger {
        Logger(label: label) { label in Handler(capture: self, label: label) }
    }

    fileprivate func append(_ line: String) { lines.withLock { $0.append(line) } }

    private struct Handler: LogHandler {
        let capture: LogCapture
        let label: String
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            let rendered = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            capture.append("\(event.level) \(label): \(rendered) \(event.message)")
        }
    }
}
