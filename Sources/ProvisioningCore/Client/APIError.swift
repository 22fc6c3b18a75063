/// Everything that can go wrong talking to Koyeb, as a value with one line a person can act on.
///
/// Two families are kept apart because callers treat them differently: the API *answered* with an error
/// (`httpStatus` is set; when it is a 4xx, exit code 1 in the CLI and never replayed from the outbox; a 5xx is
/// exit code 3, kept and sent again), or the API could not be *reached* (`isTransportFailure`; exit code 3, safe
/// to queue and retry).
public struct APIError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Hashable, Sendable {
        case answered(status: Int, body: ErrorBody?)
        case transport(TransportFailure)
        case unreadableReply(status: Int, detail: String)
    }

    /// Why a request never got an answer.
    public enum TransportFailure: Hashable, Sendable {
        /// Nothing listens at the address (connection refused, host not found).
        case unreachable(detail: String)
        /// The HTTP proxy could not be reached, or refused the tunnel to the API: nothing reached the API.
        case proxyFailed(detail: String)
        /// Connecting, or waiting for the reply, took longer than the configured timeout.
        case timedOut(phase: String)
        /// The TLS handshake failed (certificate, protocol).
        case tls(detail: String)
        /// The connection closed before a complete reply arrived.
        case connectionLost(detail: String)
        /// The request could not be sent as it stands (a header the HTTP library refuses): it never left, and
        /// sending it again would fail the same way.
        case notSent(reason: String)
    }

    private let kind: Kind
    /// `Retry-After` from the reply, in seconds, when the server sent one.
    public let retryAfterSeconds: Double?
    /// The error body exactly as the API sent it, when it was a JSON object (up to 64 KiB): what an adapter
    /// passes on unchanged, unknown fields included.
    public let originalBody: JSONValue?
    /// Where the token sent with the request came from (`APIToken.source`), for the hint of a 401 or 403.
    public let tokenSource: String?
    /// The API the request was for, named when it could not be reached or did not answer in time: it may not be
    /// the one the caller meant (`https://app.koyeb.com` when no `--url` was found).
    public private(set) var baseURL: APIBaseURL?

    private init(
        kind: Kind, retryAfterSeconds: Double? = nil, originalBody: JSONValue? = nil, tokenSource: String? = nil
    ) {
        self.kind = kind
        self.retryAfterSeconds = retryAfterSeconds
        self.originalBody = originalBody
        self.tokenSource = tokenSource
    }

    /// The API answered with status `status` and, when it was JSON, `body` (`originalBody` as it came), to a
    /// request carrying the token from `tokenSource`.
    public static func answered(
        status: Int, body: ErrorBody?, retryAfterSeconds: Double? = nil, originalBody: JSONValue? = nil,
        tokenSource: String? = nil
    ) -> APIError {
        APIError(
            kind: .answered(status: status, body: body), retryAfterSeconds: retryAfterSeconds,
            originalBody: originalBody, tokenSource: tokenSource)
    }

    /// The request never got an answer.
    public static func transport(_ failure: TransportFailure) -> APIError {
        APIError(kind: .transport(failure))
    }

    /// This error, said to come from a request to the API at `baseURL`.
    public func withBaseURL(_ baseURL: APIBaseURL) -> APIError {
        var error = self
        error.baseURL = baseURL
        return error
    }

    /// The API answered with a success status but a body kprov could not read.
    public static func unreadableReply(status: Int, detail: String) -> APIError {
        APIError(kind: .unreadableReply(status: status, detail: detail))
    }

    // MARK: - Reading the error

    /// The HTTP status of the answer, or `nil` when there was none.
    public var httpStatus: Int? {
        switch kind {
        case .answered(let status, _), .unreadableReply(let status, _): status
        case .transport: nil
        }
    }

    /// The error body the API sent, when it was JSON.
    public var body: ErrorBody? {
        if case .answered(_, let body) = kind { return body }
        return nil
    }

    /// Koyeb's error code (`invalid_argument`, `authentication_error`, …), when the answer carried one.
    public var code: String? { body?.code }

    /// The field errors of an `ErrorWithFields` answer.
    public var fieldErrors: [ErrorField] { body?.fields ?? [] }

    /// The transport failure, when the request got no answer.
    public var transportFailure: TransportFailure? {
        if case .transport(let failure) = kind { return failure }
        return nil
    }

    /// Whether the API could not be reached at all (as opposed to answering with an error).
    public var isTransportFailure: Bool { transportFailure != nil }

    /// Whether the API refused the request as the caller's fault (4xx other than 408 and 429): sending it
    /// again unchanged cannot succeed.
    public var isClientError: Bool {
        guard let status = httpStatus else { return false }
        return (400..<500).contains(status) && status != 408 && status != 429
    }

    /// One line: what failed and, where kprov knows, what to do about it.
    public var description: String {
        switch kind {
        case .answered(let status, let body):
            let code = body?.code.map { " \($0)" } ?? ""
            let message = TerminalText.sanitized(body?.message ?? Self.defaultMessage(status: status), limit: 300)
            let fields = fieldErrors.filter { !message.contains($0.description) }.map {
                "\($0.field): \(TerminalText.sanitized($0.description, limit: 120))"
            }
            let fieldText = fields.isEmpty ? "" : " (" + fields.joined(separator: "; ") + ")"
            let hint = hint(status: status).map { " — \($0)" } ?? ""
            return "\(status)\(code): \(message)\(fieldText)\(hint)"
        case .unreadableReply(let status, let detail):
            return "\(status): the API's reply could not be read (\(TerminalText.sanitized(detail, limit: 200)))"
        case .transport(let failure):
            let api = baseURL.map { "the API at \($0)" } ?? "the API"
            switch failure {
            case .unreachable(let detail):
                return "could not reach \(api): \(detail) — check --url or KOYEB_URL, and that the server is up"
            case .proxyFailed(let detail):
                return "could not reach \(api): \(detail) — check HTTPS_PROXY, HTTP_PROXY and NO_PROXY, and the proxy"
            case .timedOut(let phase):
                return "\(api) did not answer in time (\(phase)) — it may be overloaded; try again or raise --timeout"
            case .tls(let detail):
                return "TLS handshake with \(api) failed: \(detail)"
            case .connectionLost(let detail):
                return "the connection to \(api) closed before it answered: \(detail)"
            case .notSent(let reason):
                return "the request was not sent: \(reason)"
            }
        }
    }

    private static func defaultMessage(status: Int) -> String {
        switch status {
        case 400: "the request was refused as invalid"
        case 401: "the token was refused"
        case 403: "not allowed"
        case 404: "not found"
        case 429: "too many requests"
        case 500..<600: "the server failed"
        default: "the request failed"
        }
    }

    /// What to do about an answer with `status`; for a 401 or 403, naming where the token came from when known.
    private func hint(status: Int) -> String? {
        let source = tokenSource.map { TerminalText.sanitized($0, limit: 200) }
        switch status {
        case 401:
            return source.map { "the token from \($0) was refused; replace it with a valid API token" }
                ?? "set KOYEB_API_KEY or KOYEB_TOKEN (or pass --token) to a valid API token"
        case 403:
            return "the token\(source.map { " from \($0)" } ?? "") may lack access to this deployment, or the "
                + "provisioning secret is wrong (--secret)"
        case 429: return "rate limited; wait and try again"
        case 502, 503, 504: return "the API is unavailable; try again shortly"
        default: return nil
        }
    }
}
