import Foundation
import Hummingbird
import ProvisioningCore

/// Builds the adapters' JSON responses.
enum JSONResponse {
    /// Koyeb's JSON rules, one encoder for every response (it is safe to share).
    static let encoder = KoyebJSON.encoder()

    /// `value` encoded with Koyeb's JSON rules, with `status`.
    static func make(
        status: HTTPResponse.Status, _ value: some Encodable, headers: HTTPFields = [:]
    ) -> Response {
        // Encoding these value types cannot fail; an empty object is the safe fallback all the same.
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return make(status: status, data: data, headers: headers)
    }

    /// Raw JSON bytes with `status`.
    static func make(status: HTTPResponse.Status, data: Data, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A Koyeb-shaped `Error {status, code, message}` body.
    static func error(
        _ status: HTTPResponse.Status, code: String, message: String, headers: HTTPFields = [:]
    ) -> Response {
        make(status: status, ErrorBody(status: status.code, code: code, message: message), headers: headers)
    }

    /// A Koyeb-shaped 400 `ErrorWithFields` about the request body as a whole: `message`, and `fields` naming
    /// `body` with the same words.
    static func invalidBody(_ message: String) -> Response {
        make(
            status: .badRequest,
            ErrorBody(
                status: 400, code: "invalid_argument", message: message,
                fields: [ErrorField(field: "body", description: message)]))
    }
}
