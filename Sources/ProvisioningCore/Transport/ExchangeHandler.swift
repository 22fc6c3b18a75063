import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import NIOTLS

/// The last handler of a connection's pipeline: says when the connection is ready (its TLS handshake done), then
/// writes one request at a time and reads its reply into an `HTTPReply`. Whatever ends an exchange early — the
/// connection closing, an error in the pipeline, the deadline, cancellation — fails it and closes the connection,
/// which then carries nothing more.
///
/// Lives on the connection's event loop; `HTTP1Connection` reaches it there only.
final class ExchangeHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    /// The exchange under way.
    private struct Exchange {
        let promise: EventLoopPromise<HTTPReply>
        let maximumBodyBytes: Int
        let deadline: Scheduled<Void>
        var head: HTTPResponseHead?
        var body: ByteBuffer?
        /// Whether the reply's body ends where the connection does (no `Content-Length`, not chunked).
        var endsWithConnection = false
    }

    /// Succeeds once the connection can carry a request: at once over plain TCP, after the handshake over TLS.
    let ready: EventLoopPromise<Void>
    private let usesTLS: Bool
    private var exchange: Exchange?
    /// Whether `ready` succeeded.
    private var isReady = false
    private var context: ChannelHandlerContext?
    /// False once the connection must carry no further request.
    private var isReusable = true
    /// Whether an exchange completed on this connection: a keep-alive connection the server may close at any time.
    private var wasUsed = false
    /// The exchange whose task was cancelled before it began here.
    private var cancelledBeforeStart: EventLoopFuture<HTTPReply>?

    init(ready: EventLoopPromise<Void>, usesTLS: Bool) {
        self.ready = ready
        self.usesTLS = usesTLS
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        // Added to a connection that is up already (the tunnel through a proxy stands): plain TCP is ready now.
        if !usesTLS, context.channel.isActive { becomeReady() }
    }
    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        fail(APIError.transport(.connectionLost(detail: "the connection closed")))
    }

    func channelActive(context: ChannelHandlerContext) {
        if !usesTLS { becomeReady() }
        context.fireChannelActive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted? = event as? TLSUserEvent { becomeReady() }
        context.fireUserInboundEventTriggered(event)
    }

    private func becomeReady() {
        guard !isReady else { return }
        isReady = true
        ready.succeed()
    }

    /// Fails `ready` and closes the connection, unless it is ready already: connecting took too long.
    func readinessTimedOut() {
        if !isReady { fail(APIError.transport(.timedOut(phase: "connect"))) }
    }

    /// Writes `head` and `body`, and completes `promise` with the reply, or fails it after `timeout`.
    ///
    /// When the connection turns out to be closed, or the request cannot be written, nothing reached the server:
    /// the promise fails with `StaleConnection`, or with a `.notSent` `APIError` for a header HTTP does not allow.
    func start(
        head: HTTPRequestHead, body: ByteBuffer?, timeout: TimeAmount, maximumBodyBytes: Int,
        promise: EventLoopPromise<HTTPReply>
    ) {
        let wasCancelled = cancelledBeforeStart === promise.futureResult
        cancelledBeforeStart = nil
        if wasCancelled { return promise.fail(CancellationError()) }
        guard let context, isReusable, context.channel.isActive, exchange == nil else {
            return promise.fail(StaleConnection(requestWasWritten: false))
        }
        let deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            self.fail(APIError.transport(.timedOut(phase: "waiting for the reply")))
        }
        exchange = Exchange(promise: promise, maximumBodyBytes: maximumBodyBytes, deadline: deadline)
        let headWritten = context.eventLoop.makePromise(of: Void.self)
        headWritten.futureResult.assumeIsolated().whenFailure { error in
            // Refused by the header validator, or the connection closed under the write: no request arrived.
            self.fail(error is HTTPParserError ? HTTPRequest.headerRefused : StaleConnection(requestWasWritten: false))
        }
        context.write(NIOAny(HTTPClientRequestPart.head(head)), promise: headWritten)
        if let body { context.write(NIOAny(HTTPClientRequestPart.body(.byteBuffer(body))), promise: nil) }
        context.writeAndFlush(NIOAny(HTTPClientRequestPart.end(nil)), promise: nil)
    }

    /// Ends the exchange of `future` with `CancellationError`: at once when it is under way, when it starts if it
    /// has not yet; nothing when it is over.
    func cancel(_ future: EventLoopFuture<HTTPReply>) {
        if let exchange, exchange.promise.futureResult === future {
            fail(CancellationError())
        } else if exchange == nil {
            cancelledBeforeStart = future
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard exchange != nil else {
            // A reply nobody asked for: the connection is out of step.
            return fail(APIError.transport(.connectionLost(detail: "the server sent a reply to no request")))
        }
        switch unwrapInboundIn(data) {
        case .head(let head):
            exchange!.head = head
            exchange!.endsWithConnection = Self.bodyEndsWithConnection(head)
            if !head.isKeepAlive || exchange!.endsWithConnection { isReusable = false }
        case .body(var part):
            let size = (exchange!.body?.readableBytes ?? 0) + part.readableBytes
            guard size <= exchange!.maximumBodyBytes else {
                let status = Int(exchange!.head?.status.code ?? 200)
                return fail(
                    APIError.unreadableReply(
                        status: status, detail: "the reply is larger than \(exchange!.maximumBodyBytes) bytes"))
            }
            if exchange!.body == nil { exchange!.body = part } else { exchange!.body!.writeBuffer(&part) }
        case .end:
            guard let finished = exchange, let head = finished.head else {
                return fail(APIError.transport(.connectionLost(detail: "the reply had no status line")))
            }
            exchange = nil
            wasUsed = true
            finished.deadline.cancel()
            finished.promise.succeed(
                HTTPReply(
                    status: head.status, headers: head.headers, body: finished.body ?? ByteBuffer(),
                    keepsConnection: isReusable && context.channel.isActive))
            if !isReusable { context.close(promise: nil) }
        }
    }

    /// Whether the body of the reply `head` introduces ends where the connection does: it has one (not a 1xx, 204
    /// or 304), and neither a `Content-Length` nor chunked encoding delimits it.
    private static func bodyEndsWithConnection(_ head: HTTPResponseHead) -> Bool {
        let status = head.status.code
        guard status >= 200, status != 204, status != 304 else { return false }
        let chunked = head.headers["transfer-encoding"].contains { $0.lowercased().contains("chunked") }
        return head.headers["content-length"].isEmpty && !chunked
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(closedBeforeTheReply ?? APIError.transport(.connectionLost(detail: "the server closed it")))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A TLS peer that closes without saying so: harmless for a reply whose length is known (`channelInactive`
        // fails one cut short), but a reply that ends with the connection could have been cut by anyone.
        if case .uncleanShutdown? = error as? NIOSSLError, exchange?.endsWithConnection != true { return }
        if let error = error as? IOError, [ECONNRESET, EPIPE].contains(error.errnoCode),
            let stale = closedBeforeTheReply
        {
            return fail(stale)
        }
        fail(error)
    }

    /// When a connection that carried an exchange before closes before any of the reply came, the server most
    /// likely closed it as idle just as the request went out, and never read it: `StaleConnection`, for the pool
    /// to send the request again if it may.
    private var closedBeforeTheReply: StaleConnection? {
        guard wasUsed, let exchange, exchange.head == nil else { return nil }
        return StaleConnection(requestWasWritten: true)
    }

    /// Fails the exchange under way with `error`, if there is one, and the wait for readiness; closes the
    /// connection.
    private func fail(_ error: any Error) {
        isReusable = false
        ready.fail(error)
        if let exchange {
            self.exchange = nil
            exchange.deadline.cancel()
            exchange.promise.fail(error)
        }
        context?.close(promise: nil)
    }
}

/// The keep-alive connection a request was given had closed: before the request was written, or, as the server
/// closed it while idle, before any of the reply came. The pool sends the request on another connection: always in
/// the first case, only when the request is idempotent in the second.
struct StaleConnection: Error {
    let requestWasWritten: Bool
}
