import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One keep-alive HTTP/1.1 connection to an origin, carrying one exchange at a time.
struct HTTP1Connection: Sendable {
    let channel: any Channel
    private let handler: NIOLoopBound<ExchangeHandler>

    /// Connects to `origin`, through TLS when `tls` is given, and returns once the connection can carry a request;
    /// connecting and the TLS handshake together may take until `deadline`. A cancelled task stops connecting at
    /// once (NIO's connect alone would wait for its timeout), with `CancellationError`.
    static func open(
        to origin: HTTPOrigin, tls: NIOSSLContext?, on eventLoop: any EventLoop, deadline: NIODeadline
    ) async throws -> HTTP1Connection {
        let attempts = ConnectAttempts()
        return try await withTaskCancellationHandler {
            do {
                // The handler comes back with the channel that won the connection race (Happy Eyeballs may try
                // several addresses), as the pipeline is built.
                let (channel, handler, ready) = try await ClientBootstrap(group: eventLoop)
                    .connectTimeout(max(deadline - .now(), .zero))
                    .connect(host: origin.host, port: origin.port) { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try attempts.add(channel)
                            return try makePipeline(of: channel, tls: tls, serverName: origin.serverName)
                        }
                    }
                let handshakeTimeout = channel.eventLoop.scheduleTask(deadline: deadline) {
                    handler.value.readinessTimedOut()
                }
                defer { handshakeTimeout.cancel() }
                try await ready.futureResult.get()
                return HTTP1Connection(channel: channel, handler: handler)
            } catch {
                // What closing the channels made of a cancellation is reported as the cancellation.
                try Task.checkCancellation()
                throw error
            }
        } onCancel: {
            attempts.cancel()
        }
    }

    /// Sets up `channel` for HTTP/1.1, through TLS when `tls` is given; returns it with its exchange handler and
    /// the promise the handler fulfils once the connection can carry a request.
    private static func makePipeline(
        of channel: any Channel, tls: NIOSSLContext?, serverName: String?
    ) throws -> (any Channel, NIOLoopBound<ExchangeHandler>, EventLoopPromise<Void>) {
        let pipeline = channel.pipeline.syncOperations
        if let tls { try pipeline.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName)) }
        try pipeline.addHTTPClientHandlers()
        let ready = channel.eventLoop.makePromise(of: Void.self)
        let handler = ExchangeHandler(ready: ready, usesTLS: tls != nil)
        try pipeline.addHandler(handler)
        return (channel, NIOLoopBound(handler, eventLoop: channel.eventLoop), ready)
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
