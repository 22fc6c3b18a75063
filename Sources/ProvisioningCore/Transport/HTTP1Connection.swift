import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One keep-alive HTTP/1.1 connection to an origin, carrying one exchange at a time.
struct HTTP1Connection: Sendable {
    let channel: any Channel
    private let handler: NIOLoopBound<ExchangeHandler>

    /// Connects to `origin` — through a `CONNECT` tunnel when `proxy` is given, through TLS when `tls` is — and
    /// returns once the connection can carry a request; connecting, the tunnel and the TLS handshake together may
    /// take until `deadline`. A cancelled task stops connecting at once (NIO's connect alone would wait for its
    /// timeout), with `CancellationError`.
    static func open(
        to origin: HTTPOrigin, via proxy: HTTPProxy?, tls: NIOSSLContext?, on eventLoop: any EventLoop,
        deadline: NIODeadline
    ) async throws -> HTTP1Connection {
        let attempts = ConnectAttempts()
        return try await withTaskCancellationHandler {
            do {
                // The handler comes back with the channel that won the connection race (Happy Eyeballs may try
                // several addresses), as the pipeline is built.
                let (channel, handler, ready) = try await ClientBootstrap(group: eventLoop)
                    .connectTimeout(max(deadline - .now(), .zero))
                    .connect(host: proxy?.host ?? origin.host, port: proxy?.port ?? origin.port) { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try attempts.add(channel)
                            return try makePipeline(of: channel, to: origin, via: proxy, tls: tls)
                        }
                    }
                let handshakeTimeout = channel.eventLoop.scheduleTask(deadline: deadline) {
                    handler.value.readinessTimedOut()
                }
                defer { handshakeTimeout.cancel() }
                // A connection that never became ready is closed, whichever handler failed it.
                ready.futureResult.whenFailure { _ in channel.close(promise: nil) }
                try await ready.futureResult.get()
                return HTTP1Connection(channel: channel, handler: handler)
            } catch {
                // What closing the channels made of a cancellation is reported as the cancellation.
                try Task.checkCancellation()
                throw proxy.map { Self.reaching($0, failedWith: error) } ?? error
            }
        } onCancel: {
            attempts.cancel()
        }
    }

    /// Sets up `channel` for HTTP/1.1 to `origin`, through TLS when `tls` is given, once `proxy` (when given) has
    /// opened a tunnel to it; returns the channel with its exchange handler and the promise the handler fulfils
    /// once the connection can carry a request.
    private static func makePipeline(
        of channel: any Channel, to origin: HTTPOrigin, via proxy: HTTPProxy?, tls: NIOSSLContext?
    ) throws -> (any Channel, NIOLoopBound<ExchangeHandler>, EventLoopPromise<Void>) {
        let ready = channel.eventLoop.makePromise(of: Void.self)
        let handler = ExchangeHandler(ready: ready, usesTLS: tls != nil)
        let addHTTPHandlers = {
            let pipeline = channel.pipeline.syncOperations
            if let tls {
                try pipeline.addHandler(NIOSSLClientHandler(context: tls, serverHostname: origin.serverName))
            }
            try pipeline.addHTTPClientHandlers()
            try pipeline.addHandler(handler)
        }
        if let proxy {
            try openTunnel(on: channel, to: origin, through: proxy, then: addHTTPHandlers, failing: ready)
        } else {
            try addHTTPHandlers()
        }
        return (channel, NIOLoopBound(handler, eventLoop: channel.eventLoop), ready)
    }

    /// Asks `proxy`, at the other end of `channel`, for a tunnel to `origin`. Once the proxy has agreed and the
    /// handlers that asked are gone — the reply's decoder only after it has read that reply — runs `next`, which
    /// sets up TLS and HTTP inside the tunnel; fails `ready` when either fails.
    private static func openTunnel(
        on channel: any Channel, to origin: HTTPOrigin, through proxy: HTTPProxy,
        then next: @escaping () throws -> Void, failing ready: EventLoopPromise<Void>
    ) throws {
        let established = channel.eventLoop.makePromise(of: Void.self)
        let tunnel: [any RemovableChannelHandler] = [
            HTTPRequestEncoder(), ByteToMessageHandler(HTTPResponseDecoder(leftOverBytesStrategy: .forwardBytes)),
            ProxyTunnelHandler(proxy: proxy, origin: origin, established: established),
        ]
        try channel.pipeline.syncOperations.addHandlers(tunnel)
        established.futureResult.assumeIsolated().flatMap { () -> EventLoopFuture<Void> in
            let removals = tunnel.map { part in
                let removed = channel.eventLoop.makePromise(of: Void.self)
                channel.pipeline.syncOperations.removeHandler(part, promise: removed)
                return removed.futureResult
            }
            return EventLoopFuture.andAllSucceed(removals, on: channel.eventLoop)
        }.whenComplete { result in
            do {
                try result.get()
                try next()
            } catch {
                ready.fail(error)
            }
        }
    }

    /// `error`, which ended connecting through `proxy`: a failure to reach the proxy itself is the proxy's.
    private static func reaching(_ proxy: HTTPProxy, failedWith error: any Error) -> any Error {
        guard case .unreachable(let detail)? = TransportErrorClassifier.classify(error).transportFailure else {
            return error
        }
        return APIError.transport(.proxyFailed(detail: "the proxy \(proxy) could not be reached: \(detail)"))
    }

    /// Sends `head` and `body` and returns the reply; fails after `timeout`, on a reply larger than
    /// `maximumBodyBytes`, and with `CancellationError` when the task is cancelled (closing the connection when
    /// the request was under way). Fails with `StaleConnection` when the connection had closed before sending.
    func exchange(
        head: HTTPRequestHead, body: ByteBuffer?, timeout: TimeAmount, maximumBodyBytes: Int
    ) async throws -> HTTPReply {
        try Task.checkCancellation()
        let promise = channel.eventLoop.makePromise(of: HTTPReply.self)
        let (channel, handler) = (self.channel, self.handler)
        return try await withTaskCancellationHandler {
            channel.eventLoop.execute {
                handler.value.start(
                    head: head, body: body, timeout: timeout, maximumBodyBytes: maximumBodyBytes, promise: promise)
            }
            return try await promise.futureResult.get()
        } onCancel: {
            channel.eventLoop.execute { handler.value.cancel(promise.futureResult) }
        }
    }

    /// Closes the connection; an exchange under way fails.
    func close() {
        channel.close(promise: nil)
    }
}

/// The channels of one connect, which may be several (Happy Eyeballs), so that cancelling the task that opens the
/// connection closes them.
private final class ConnectAttempts: Sendable {
    private struct State {
        var channels: [any Channel] = []
        var isCancelled = false
    }

    private let state = NIOLockedValueBox(State())

    /// Records `channel`; throws `CancellationError` when the connect was cancelled before it was created.
    func add(_ channel: any Channel) throws {
        try state.withLockedValue { state in
            guard !state.isCancelled else { throw CancellationError() }
            state.channels.append(channel)
        }
    }

    /// Closes the channels created so far, and refuses those still to come.
    func cancel() {
        let channels = state.withLockedValue { state in
            state.isCancelled = true
            return state.channels
        }
        for channel in channels { channel.close(promise: nil) }
    }
}
