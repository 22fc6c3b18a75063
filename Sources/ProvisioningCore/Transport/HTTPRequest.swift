import NIOCore
import NIOHTTP1

/// A request as `ConnectionPool` sends it; the pool adds `Host` and `Content-Length`.
struct HTTPRequest: Sendable {
    var method: HTTPMethod
    /// The path and query, after the origin's base path: `/v1/deployments?limit=100`.
    var path: String
    var headers: HTTPHeaders
    var body: ByteBuffer?
    /// Whether sending it twice has the effect of sending it once, so that it may go again after a connection
    /// closed under it.
    var isIdempotent: Bool
}

extension HTTPRequest {
    /// Whether a header value holds a byte HTTP does not allow there (a control character such as a line break),
    /// which NIO would refuse to write: such a request is refused before a connection is opened for it.
    var hasUnsendableHeader: Bool {
        headers.contains { header in
            header.value.utf8.contains { byte in (byte < 0x20 && byte != UInt8(ascii: "\t")) || byte == 0x7F }
        }
    }

    /// Why a request with a header HTTP does not allow was not sent.
    static let headerRefused = APIError.transport(
        .notSent(
            reason: "a header name or value has characters HTTP does not allow (check the API token: visible ASCII "
                + "only, no spaces or line breaks)"))
}
