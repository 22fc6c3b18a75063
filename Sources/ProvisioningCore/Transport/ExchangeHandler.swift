import NIOCore
import NIOHTTP1
import NIOSSL

/// The last handler of a connection's pipeline: writes one request at a time and reads its reply into an
/// `HTTPReply`. Whatever ends the exchange early — the connection closing, an error in the pipeline, the timeout,
/// cancellation — fails it and closes the connection, which then carries nothing more.
///
/// Lives on the connection's event loop; `HTTP1Connection` reaches it there only.
final class ExchangeHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    /// The exchange under way.
    private struct Exchange {
        let promise: EventLoopPromise<HTTPReply>
        let maximumBodyBytes: Int
        let timeout: Scheduled<Void>
        var head: HTTPResponseHead?
        var body: ByteBuffer?
    }

    private var exchange: Exchange?
    private var context: ChannelHandlerContext?
    /// False once the connection must carry no further request.
    private var isReusable = true
    /// What closed the connection while no exchange was under way (a failed TLS handshake …), for the next one.
    private var closedBy: (any Error)?
    /// Set when the task waiting for an exchange was cancelled before the exchange began.
    private var cancelledBeforeStart = false

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    /// Writes `head` and `body`, and completes `promise` with the reply, or fails it after `timeout`.
    func start(
        head: HTTPRequestHead, body: ByteBuffer?, timeout: TimeAmount, maximumBodyBytes: Int,
        promise: EventLoopPromise<HTTPReply>
    ) {
        guard !cancelledBeforeStart else { return promise.fail(CancellationError()) }
        guard let context, isReusable, exchange == nil else {
            return promise.fail(
                closedBy ?? APIError.transport(.connectionLost(detail: "the connection closed before sending")))
        }
        let timeoutTask = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            self.fail(APIError.transport(.timedOut(phase: "waiting for the reply")))
        }
        exchange = Exchange(promise: promise, maximumBodyBytes: maximumBodyBytes, timeout: timeoutTask)
        // A refused write (a header HTTP does not allow) fails the exchange at once.
        write(.head(head), flush: false, in: context)
        if let body { context.write(NIOAny(HTTPClientRequestPart.body(.byteBuffer(body))), promise: nil) }
        write(.end(nil), flush: true, in: context)
    }

    private func write(_ part: HTTPClientRequestPart, flush: Bool, in context: ChannelHandlerContext) {
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.assumeIsolated().whenFailure { self.fail($0) }
        if flush {
            context.writeAndFlush(NIOAny(part), promise: written)
        } else {
            context.write(NIOAny(part), promise: written)
        }
    }

    /// Ends the exchange under way, or the next one to start, with `CancellationError`.
    func cancel() {
        guard exchange != nil else {
            cancelledBeforeStart = true
            return
        }
        fail(CancellationError())
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard var exchange else {
            // A reply nobody asked for: the connection is out of step.
            return fail(APIError.transport(.connectionLost(detail: "the server sent a reply to no request")))
        }
        switch unwrapInboundIn(data) {
        case .head(let head):
            exchange.head = head
            if !head.isKeepAlive { isReusable = false }
        case .body(var part):
            let size = (exchange.body?.readableBytes ?? 0) + part.readableBytes
            guard size <= exchange.maximumBodyBytes else {
                let status = Int(exchange.head?.status.code ?? 200)
                return fail(
                    APIError.unreadableReply(
                        status: status, detail: "the reply is larger than \(exchange.maximumBodyBytes) bytes"))
            }
            if exchange.body == nil { exchange.body = part } else { exchange.body!.writeBuffer(&part) }
        case .end:
            guard let head = exchange.head, head.status.code >= 200 else {
                // The end of an informational (1xx) reply: the real one follows.
                exchange.head = nil
                self.exchange = exchange
                return
            }
            self.exchange = nil
            exchange.timeout.cancel()
            exchange.promise.succeed(
                HTTPReply(
                    status: head.status, headers: head.headers, body: exchange.body ?? ByteBuffer(),
                    keepsConnection: isReusable))
            if !isReusable { context.close(promise: nil) }
            return
        }
        self.exchange = exchange
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(APIError.transport(.connectionLost(detail: "the server closed it")))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A TLS peer that closes without saying so first: a reply read to the end of the connection is complete
        // all the same, and `channelInactive` fails one that is not.
        if case .uncleanShutdown? = error as? NIOSSLError { return }
        fail(error)
    }

    /// Fails the exchange under way with `error`, if there is one, and closes the connection.
    private func fail(_ error: any Error) {
        isReusable = false
        if let exchange {
            self.exchange = nil
            exchange.timeout.cancel()
            exchange.promise.fail(error)
        } else if closedBy == nil {
            closedBy = error
        }
        context?.close(promise: nil)
    }
}
