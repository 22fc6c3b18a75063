import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One keep-alive HTTP/1.1 connection to an origin, carrying one exchange at a time.
struct HTTP1Connection: Sendable {
    let channel: any Channel
    private let handler: NIOLoopBound<ExchangeHandler>

    /// Connects to `origin`, through TLS when `tls` is given, within `connectTimeout`.
    static func open(
        to origin: HTTPOrigin, tls: NIOSSLContext?, on eventLoop: any EventLoop, connectTimeout: Duration
    ) async throws -> HTTP1Connection {
        // The handler comes back with the channel that won the connection race (Happy Eyeballs may try several
        // addresses), as the pipeline is built: a connection that fails at once, a TLS handshake refused, has it
        // removed again before anyone could look it up, and it holds the reason.
        let (channel, handler) = try await ClientBootstrap(group: eventLoop)
            .connectTimeout(TimeAmount(connectTimeout))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: origin.host, port: origin.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let tls {
                        try pipeline.addHandler(NIOSSLClientHandler(context: tls, serverHostname: origin.serverName))
                    }
                    try pipeline.addHTTPClientHandlers()
                    let handler = ExchangeHandler()
                    try pipeline.addHandler(handler)
                    return (channel, NIOLoopBound(handler, eventLoop: channel.eventLoop))
                }
            }
        return HTTP1Connection(channel: channel, handler: handler)
    }

    /// Sends `head` and `body` and returns the reply; fails after `timeout`, on a reply larger than
    /// `maximumBodyBytes`, and with `CancellationError` when the task is cancelled (closing the connection).
    func exchange(
        head: HTTPRequestHead, body: ByteBuffer?, timeout: Duration, maximumBodyBytes: Int
    ) async throws -> HTTPReply {
        let promise = channel.eventLoop.makePromise(of: HTTPReply.self)
        let handler = self.handler
        return try await withTaskCancellationHandler {
            try Task.checkCancellation()
            channel.eventLoop.execute {
                handler.value.start(
                    head: head, body: body, timeout: TimeAmount(timeout), maximumBodyBytes: maximumBodyBytes,
                    promise: promise)
            }
            return try await promise.futureResult.get()
        } onCancel: {
            channel.eventLoop.execute { handler.value.cancel() }
        }
    }

    /// Closes the connection; an exchange under way fails.
    func close() {
        channel.close(promise: nil)
    }
}
