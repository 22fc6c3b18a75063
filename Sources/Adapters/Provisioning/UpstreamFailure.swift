import Hummingbird
import Logging
import ProvisioningCore

/// How an adapter reports a call to Koyeb that did not succeed: the status and JSON error body a REST caller
/// gets, and the sentence an MCP tool result carries.
///
/// An error Koyeb answered keeps its status and its error body, except a 401: that refuses the adapter's own
/// API token, which no caller can fix, so it becomes 502 and says so (a caller's 401 means its own token).
/// Koyeb out of reach becomes 502, Koyeb too slow 504, each with a JSON error that says so. Details of the network failure go to the log, not to the
/// caller; the API token is never part of either.
struct UpstreamFailure: Sendable {
    let status: HTTPResponse.Status
    let body: ErrorBody
    /// Koyeb's error body exactly as it came, when it was a JSON object: what a REST caller gets.
    let originalBody: JSONValue?
    /// `Retry-After` from Koyeb, passed on to REST callers.
    let retryAfterSeconds: Double?
    /// The failure in words, for an MCP tool result.
    let sentence: String
    /// What went wrong in full, for the server's log.
    let logDetail: String

    /// Builds the failure for whatever a call through `KoyebClient` threw.
    static func from(_ error: any Error) -> UpstreamFailure {
        (error as? APIError).map(UpstreamFailure.init) ?? UpstreamFailure(unexpected: error)
    }

    /// Logs the failure of `operation`: a refusal (4xx) as a notice, anything else as a warning.
    func log(_ operation: ProvisioningOperation, to logger: Logger) {
        logger.log(
            level: (400..<500).contains(status.code) ? .notice : .warning, "Koyeb call failed",
            metadata: ["operation": .string(operation.operationID), "error": .string(logDetail)])
    }

    init(_ error: APIError) {
        logDetail = error.description
        retryAfterSeconds = error.retryAfterSeconds
        originalBody = error.httpStatus == 401 ? nil : error.originalBody
        if error.httpStatus == 401 {
            status = .badGateway
            body = ErrorBody(
                status: 502, code: "upstream_authentication_error",
                message: "the Koyeb API refused this server's API token; nothing was declared (the server's "
                    + "operator must give it a valid token)")
            sentence =
                "The Koyeb API refused the server's own API token, so nothing was declared. This is not "
                + "about the call's arguments: the server's operator must give it a valid token."
        } else if let upstreamStatus = error.httpStatus, (400..<600).contains(upstreamStatus) {
            status = HTTPResponse.Status(code: upstreamStatus)
            body =
                error.body
                ?? ErrorBody(
                    status: upstreamStatus, code: "upstream_error",
                    message: "the Koyeb API answered \(upstreamStatus) without a JSON body")
            sentence = Self.sentence(status: upstreamStatus, body: body)
        } else if case .timedOut? = error.transportFailure {
            status = .gatewayTimeout
            body = ErrorBody(status: 504, code: "upstream_timeout", message: "the Koyeb API did not answer in time")
            sentence = "The Koyeb API did not answer in time; the call may or may not have taken effect."
        } else if error.isTransportFailure {
            status = .badGateway
            body = ErrorBody(status: 502, code: "upstream_unreachable", message: "the Koyeb API could not be reached")
            sentence = "The Koyeb API could not be reached. Try again later."
        } else {
            // A success status with a body that is not a JSON object, or a status that is not an error at all.
            status = .badGateway
            body = ErrorBody(
                status: 502, code: "upstream_bad_reply", message: "the Koyeb API's reply could not be read")
            sentence = "The Koyeb API's reply could not be read; the call may or may not have taken effect."
        }
    }

    /// A failure that is not an `APIError`: a bug, reported as a bare 500.
    init(unexpected error: any Error) {
        status = .internalServerError
        body = ErrorBody(status: 500, code: "internal", message: "the adapter failed to handle the request")
        originalBody = nil
        retryAfterSeconds = nil
        sentence = "The adapter failed to handle the call."
        logDetail = String(describing: error)
    }

    private static func sentence(status: Int, body: ErrorBody) -> String {
        var text = "Koyeb refused the call with HTTP \(status)"
        if let code = body.code { text += " (\(TerminalText.sanitized(code, limit: 60)))" }
        let message = body.message.map { TerminalText.sanitized($0, limit: 300) }
        if let message { text += ": " + message }
        let fields = body.fields.filter { message?.contains($0.description) != true }.map {
            "\($0.field): \(TerminalText.sanitized($0.description, limit: 120))"
        }
        if !fields.isEmpty { text += " [" + fields.joined(separator: "; ") + "]" }
        return text + "."
    }
}
