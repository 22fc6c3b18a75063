import NIOCore
import NIOHTTP1

/// A complete HTTP reply, its body read into memory.
struct HTTPReply: Sendable {
    let status: HTTPResponseStatus
    let headers: HTTPHeaders
    let body: ByteBuffer
    /// Whether the connection it came on may carry another request (keep-alive, nothing went wrong).
    let keepsConnection: Bool
}

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
