import Foundation
import Hummingbird

/// Reads a request body up to a size limit.
struct RequestBodyReader: Sendable {
    /// The largest body accepted, in bytes.
    let maximumBytes: Int

    /// The body was larger than `maximumBytes`.
    struct TooLarge: Error {}

    /// The whole body, or `TooLarge` as soon as the declared length or the bytes received pass the limit.
    func read(_ request: Request) async throws -> Data {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maximumBytes {
            throw TooLarge()
        }
        var data = Data()
        for try await buffer in request.body {
            guard data.count + buffer.readableBytes <= maximumBytes else { throw TooLarge() }
            data.append(contentsOf: buffer.readableBytesView)
        }
        return data
    }

    /// The 413 for a body over the limit.
    var tooLargeResponse: Response {
        JSONResponse.error(
            .contentTooLarge, code: "payload_too_large",
            message: "the request body is larger than \(maximumBytes) bytes, the limit of this server")
    }
}
