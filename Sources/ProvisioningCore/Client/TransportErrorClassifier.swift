import AsyncHTTPClient
import NIOCore

/// Turns what AsyncHTTPClient and NIO throw into `APIError.TransportFailure`.
enum TransportErrorClassifier {
    static func classify(_ error: any Error) -> APIError {
        if let error = error as? APIError { return error }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return .transport(.timedOut(phase: "connect"))
            case .readTimeout, .deadlineExceeded: return .transport(.timedOut(phase: "waiting for the reply"))
            case .remoteConnectionClosed: return .transport(.connectionLost(detail: "the server closed it"))
            default: break
            }
        }
        if let channelError = error as? ChannelError, case .connectTimeout = channelError {
            return .transport(.timedOut(phase: "connect"))
        }
        let text = String(describing: error)
        let lowered = text.lowercased()
        if lowered.contains("ssl") || lowered.contains("tls") || lowered.contains("certificate") {
            return .transport(.tls(detail: TerminalText.sanitized(text, limit: 160)))
        }
        if lowered.contains("refused") {
            return .transport(.unreachable(detail: "connection refused"))
        }
        if lowered.contains("resolve") || lowered.contains("host") || lowered.contains("getaddrinfo") {
            return .transport(.unreachable(detail: "the host name could not be resolved"))
        }
        if lowered.contains("unreachable") || lowered.contains("connect") {
            return .transport(.unreachable(detail: TerminalText.sanitized(text, limit: 160)))
        }
        return .transport(.connectionLost(detail: TerminalText.sanitized(text, limit: 160)))
    }
}

/// A short description of a `DecodingError` that names the JSON path.
public enum DecodingErrorText {
    public static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "not valid JSON" }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "the body" : keys.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .typeMismatch(let type, let context): return "\(path(context)): expected \(type)"
        case .valueNotFound(let type, let context): return "\(path(context)): expected \(type), got null"
        case .keyNotFound(let key, let context): return "\(path(context)): missing \"\(key.stringValue)\""
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "\(path(context)): \(context.debugDescription)"
        @unknown default: return "not valid JSON"
        }
    }
}
