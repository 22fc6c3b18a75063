import Hummingbird
import Logging

/// Writes the one log line per request both adapters emit: adapter, method, route template, status and
/// duration (for an MCP event stream, the time until it starts). Never headers, bodies or query strings, so
/// neither token nor secret can reach the log.
struct RequestLog: Sendable {
    /// `rest` or `mcp`.
    let adapter: String
    let logger: Logger

    /// Logs a finished request that started at `start`.
    func record(
        method: HTTPRequest.Method, route: String, status: HTTPResponse.Status, since start: ContinuousClock.Instant
    ) {
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        logger.info(
            "request",
            metadata: [
                "adapter": .string(adapter), "method": .string(method.rawValue), "route": .string(route),
                "status": .stringConvertible(status.code),
                "duration_ms": .string(Self.tenths(milliseconds)),
            ])
    }

    /// `value` (≥ 0) with one decimal, rounded half up, e.g. `1.5`; cheaper than Foundation's
    /// `String(format:)`, which showed in profiles of the adapter (every request logs its duration).
    static func tenths(_ value: Double) -> String {
        let tenths = Int((max(0, value) * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
