import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Turns what NIO and its TLS throw into `APIError.TransportFailure`, by type: whether the request may have
/// reached the server depends on it (a refused connection never did; a reset one may have).
///
/// No error's own description is used where it could carry a header's value, which would put the API token in
/// messages and the outbox journal.
enum TransportErrorClassifier {
    static func classify(_ error: any Error) -> APIError {
        if let error = error as? APIError { return error }
        if let error = error as? HTTPParserError {
            return .transport(.connectionLost(detail: "the reply is not valid HTTP (\(error))"))
        }
        if let error = error as? ChannelError, case .ioOnClosedChannel = error {
            return .transport(.connectionLost(detail: "the connection closed"))
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
        if let error = error as? NIOSSLError {
            if case .uncleanShutdown = error { return .transport(.connectionLost(detail: "the server closed it")) }
            return .transport(.tls(detail: describe(error)))
        }
        if let error = error as? NIOSSLExtraError, error == .failedToValidateHostname {
            return .transport(.tls(detail: "the server's certificate is for another host name"))
        }
        if error is NIOSSLExtraError || error is BoringSSLError {
            return .transport(.tls(detail: TerminalText.sanitized(String(describing: error), limit: 160)))
        }
        return .transport(.connectionLost(detail: TerminalText.sanitized(String(describing: error), limit: 160)))
    }
}

extension TransportErrorClassifier {
    /// What a failed TLS handshake means for the person reading it. BoringSSL's own text is a number, a source
    /// path and a reason code; only the reason is kept.
    fileprivate static func describe(_ error: NIOSSLError) -> String {
        let text = String(describing: error)
        if text.contains("EOF during handshake") {
            return "the server closed the connection during the handshake"
        }
        guard let marker = text.range(of: "OPENSSL_internal:") else {
            return TerminalText.sanitized(text, limit: 160)
        }
        let reason = text[marker.upperBound...].prefix { $0.isUppercase || $0.isNumber || $0 == "_" }
        switch reason {
        case "CERTIFICATE_VERIFY_FAILED":
            return "the server's certificate was not accepted: it is not signed by an authority this machine "
                + "trusts, has expired, or is for another host name"
        case "WRONG_VERSION_NUMBER":
            return "the server does not speak TLS at this address (for a local server, use http://)"
        default:
            return reason.replacingOccurrences(of: "_", with: " ").lowercased()
        }
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
