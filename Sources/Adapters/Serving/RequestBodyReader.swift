import Foundation
import Hummingbird
import ProvisioningCore

/// Reads a request body up to a size limit, and refuses JSON nested deeper than a limit before anything decodes
/// it.
struct RequestBodyReader: Sendable {
    /// The largest body accepted, in bytes.
    let maximumBytes: Int
    /// The deepest nesting of JSON arrays and objects accepted.
    let maximumDepth: Int

    /// The body was larger than `maximumBytes`.
    struct TooLarge: Error {}

    /// The body nests arrays or objects deeper than `maximumDepth`.
    struct TooDeep: Error {}

    /// The whole body; `TooLarge` as soon as the declared length or the bytes received pass the limit, `TooDeep`
    /// when it nests deeper than allowed.
    func read(_ request: Request) async throws -> Data {
        let data = try await readBytes(request)
        guard !JSONNesting.exceeds(maximumDepth, in: data) else { throw TooDeep() }
        return data
    }

    private func readBytes(_ request: Request) async throws -> Data {
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

    /// The 400 for a body nested too deep.
    var tooDeepResponse: Response {
        JSONResponse.invalidBody(
            "the request body nests arrays or objects deeper than \(maximumDepth) levels; allowed: at most "
                + "\(maximumDepth)")
    }
}
