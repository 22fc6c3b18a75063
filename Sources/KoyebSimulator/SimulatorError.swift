import Foundation
import Hummingbird
import ProvisioningCore

/// An answer other than success, shaped as Koyeb shapes it: `Error {status, code, message}`, or for a 400
/// `ErrorWithFields` with the offending fields named.
///
/// The store's rules throw these, the routes and middleware throw these, and each renders itself as the HTTP
/// answer, so every refusal looks the same wherever it comes from.
public struct SimulatorError: Error, Sendable, Hashable, HTTPResponseError, CustomStringConvertible {
    /// The HTTP status.
    public let status: HTTPResponse.Status
    /// The body sent: `status`, `code`, `message` and, for a 400, `fields`.
    public let body: ErrorBody
    /// `Retry-After`, in whole seconds, for a 429.
    public let retryAfterSeconds: Int?

    private init(
        _ status: HTTPResponse.Status, code: String, message: String, fields: [ErrorField] = [],
        retryAfterSeconds: Int? = nil
    ) {
        self.status = status
        self.body = ErrorBody(status: status.code, code: code, message: message, fields: fields)
        self.retryAfterSeconds = retryAfterSeconds
    }

    // MARK: - Kinds

    /// 400 `invalid_argument`: `field` has a value the API cannot accept.
    public static func invalid(field: String, _ description: String) -> SimulatorError {
        SimulatorError(
            .badRequest, code: "invalid_argument", message: "\(field): \(description)",
            fields: [ErrorField(field: field, description: description)])
    }

    /// 400 `failed_precondition`: the request is well-formed but the current state forbids it.
    public static func refused(field: String, _ description: String) -> SimulatorError {
        SimulatorError(
            .badRequest, code: "failed_precondition", message: description,
            fields: [ErrorField(field: field, description: description)])
    }

    /// 401 `authentication_error`: no bearer token, or one the API does not accept.
    public static let unauthenticated = SimulatorError(
        .unauthorized, code: "authentication_error",
        message: "the Authorization header must carry an accepted bearer token (Authorization: Bearer <token>)")

    /// 403 `authorization_error`: the deployment requires a provisioning secret and the body's was missing or wrong.
    public static func wrongSecret(deploymentID: String) -> SimulatorError {
        SimulatorError(
            .forbidden, code: "authorization_error",
            message: "the provisioning secret is missing or wrong for deployment \(deploymentID)")
    }

    /// 404 `unknown_resource`.
    public static func notFound(_ message: String) -> SimulatorError {
        SimulatorError(.notFound, code: "unknown_resource", message: message)
    }

    /// 413: the body is larger than the simulator accepts.
    public static func bodyTooLarge(limit: Int) -> SimulatorError {
        SimulatorError(
            .contentTooLarge, code: "invalid_argument",
            message: "the request body is larger than the \(limit) bytes allowed")
    }

    /// 429 `rate_limit_error`, with `Retry-After`.
    public static func rateLimited(retryAfterSeconds: Int) -> SimulatorError {
        SimulatorError(
            .tooManyRequests, code: "rate_limit_error",
            message: "too many requests; retry in \(retryAfterSeconds) s", retryAfterSeconds: retryAfterSeconds)
    }

    /// 500 or 503 `api_error`: the server failed (injected, or a bug).
    public static func serverFailure(unavailable: Bool) -> SimulatorError {
        unavailable
            ? SimulatorError(.serviceUnavailable, code: "api_error", message: "the service is temporarily unavailable")
            : SimulatorError(.internalServerError, code: "api_error", message: "an internal error occurred")
    }

    // MARK: - Rendering

    public var description: String { "\(status.code) \(body.code ?? "-"): \(body.message ?? "")" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        let data = (try? Self.encoder.encode(body)) ?? Data("{}".utf8)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private static let encoder = KoyebJSON.encoder()
}
