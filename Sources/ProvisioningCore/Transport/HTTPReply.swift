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
