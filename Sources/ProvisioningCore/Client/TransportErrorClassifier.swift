import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix

/// Turns what AsyncHTTPClient and NIO throw into `APIError.TransportFailure`, by type: whether the request may
/// have reached the server depends on it (a refused connection never did; a reset one may have).
///
/// An `HTTPClientError` is described by its kind only: its full description carries values such as the
/// `Authorization` header it refused, which would put the API token in messages and the outbox journal.
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
            if ["Invalid header field names", "Invalid header field values"].contains(error.shortDescription) {
                return .transport(
                    .notSent(
                        reason: "a header name or value has characters HTTP does not allow (check the API token: "
                            + "visible ASCII only, no spaces or line breaks)"))
            }
            return .transport(.connectionLost(detail: error.shortDescription.lowercased()))
        }
        if let error = error as? NIOConnectionError {
            if error.connectionErrors.isEmpty && (error.dnsAError != nil || error.dnsAAAAError != nil) {
                return .transport(.unreachable(detail: "the host name could not be resolved"))
            }
            let underlying = error.connectionErrors.first.map { classify($0.error) }
            return underlying ?? .transport(.unreachable(detail: "no address of the host accepted the connection"))
        }
        if let error = error as? IOError {
            let reason = String(cString: strerror(error.errnoCode)).lowercased()
            switch error.errnoCode {
            case ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL:
                return .transport(.unreachable(detail: reason))
            default:
                return .transport(.connectionLost(detail: reason))
            }
        }
        if let error = error as? ChannelError, case .connectTimeout = error {
            return .transport(.timedOut(phase: "connect"))
        }
        if String(reflecting: type(of: error)).contains("NIOSSL") {
            return .transport(.tls(detail: TerminalText.sanitized(String(describing: error), limit: 160)))
        }
        return .transport(.connectionLost(detail: TerminalText.sanitized(String(describing: error), limit: 160)))
    }
}

/// A short description of a `DecodingError` that names the JSON path.
public enum DecodingErrorText {
    /// `steps[1]: expected String`, `the body: not valid JSON` …
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
