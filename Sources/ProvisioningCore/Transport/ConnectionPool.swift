import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Keep-alive HTTP/1.1 connections to one origin: at most `maximumConnections` open at once, a request beyond
/// that waiting for the first to come free. A connection idle for `idleTimeout`, or closed by the server, is
/// dropped; one whose exchange failed is closed.
final class ConnectionPool: Sendable {
    /// What a waiting request is handed when a connection comes free.
    private enum Grant {
        case connection(HTTP1Connection)
        /// A place for a connection of its own.
        case openNew
    }

    private struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<Grant, any Error>
        let timeout: Scheduled<Void>
    }

    private struct IdleConnection {
        let connection: HTTP1Connection
        let since: NIODeadline
    }

    private struct State {
        var idle: [IdleConnection] = []
        /// Connections open or being opened, idle or not.
        var open = 0
        var waiters: [Waiter] = []
        var nextWaiterID = 0
        var isShutDown = false

        /// An idle connection to use, or a place to open one, if either is free now.
        mutating func takeFreeGrant(limit: Int) -> Grant? {
            if let newest = idle.popLast() { return .connection(newest.connection) }
            guard open < limit else { return nil }
            open += 1
            return .openNew
        }

        /// Removes and returns the idle connections `isStale` picks.
        mutating func removeIdle(where isStale: (IdleConnection) -> Bool) -> [HTTP1Connection] {
            let stale = idle.filter(isStale).map(\.connection)
            guard !stale.isEmpty else { return [] }
            idle.removeAll(where: isStale)
            open -= stale.count
            return stale
        }
    }

    private let origin: HTTPOrigin
    private let proxy: HTTPProxy?
    private let tls: Result<NIOSSLContext, any Error>?
    private let maximumConnections: Int
    private let connectTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    private let eventLoopGroup: any EventLoopGroup
    private let state = NIOLockedValueBox(State())
    /// Closes the connections idle for longer than `idleTimeout`, a few times per `idleTimeout`.
    private let idleSweep = NIOLockedValueBox<RepeatedTask?>(nil)

    /// How many times a request goes on another connection after finding the one it was given closed
    /// (`StaleConnection`).
    private static let staleConnectionRetries = 3

    init(
        origin: HTTPOrigin, proxy: HTTPProxy?, tls: TLSConfiguration, maximumConnections: Int, connectTimeout: Duration,
        idleTimeout: Duration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.origin = origin
        self.proxy = proxy
        self.tls = origin.usesTLS ? Result { try NIOSSLContext(configuration: tls) } : nil
        self.maximumConnections = max(1, maximumConnections)
        self.connectTimeout = TimeAmount(connectTimeout)
        self.idleTimeout = TimeAmount(idleTimeout)
        self.eventLoopGroup = eventLoopGroup
        let sweepInterval = TimeAmount.nanoseconds(self.idleTimeout.nanoseconds / 4)
        idleSweep.withLockedValue {
            $0 = eventLoopGroup.next().scheduleRepeatedTask(initialDelay: sweepInterval, delay: sweepInterval) {
                [weak self] _ in self?.closeExpiredIdleConnections()
            }
        }
    }

    deinit {
        idleSweep.withLockedValue { $0?.cancel() }
    }

    /// Sends `request` on a free connection, opening one when none is idle and the limit allows, and returns the
    /// reply. Waiting for a connection, connecting and the exchange together may take `timeout`; a connection the
    /// server closed while idle is replaced without the request being lost.
    func execute(_ request: HTTPRequest, timeout: Duration, maximumBodyBytes: Int) async throws -> HTTPReply {
        guard !request.hasUnsendableHeader else { throw HTTPRequest.headerRefused }
        let deadline = NIODeadline.now() + TimeAmount(timeout)
        var headers = request.headers
        headers.replaceOrAdd(name: "Host", value: origin.hostHeader)
        if let body = request.body { headers.replaceOrAdd(name: "Content-Length", value: String(body.readableBytes)) }
        let head = HTTPRequestHead(
            version: .http1_1, method: request.method, uri: origin.basePath + request.path, headers: headers)
        var staleRetries = 0
        while true {
            let connection = try await lease(deadline: deadline)
            guard deadline > .now() else {
                // Nothing is written once the time is up: a request that times out never left.
                release(connection, reusable: true)
                throw APIError.transport(.timedOut(phase: "connect"))
            }
            do {
                let reply = try await connection.exchange(
                    head: head, body: request.body, timeout: deadline - .now(), maximumBodyBytes: maximumBodyBytes)
                release(connection, reusable: reply.keepsConnection)
                return reply
            } catch let stale as StaleConnection {
                release(connection, reusable: false)
                guard !stale.requestWasWritten || request.isIdempotent, staleRetries < Self.staleConnectionRetries
                else {
                    throw stale.requestWasWritten
                        ? APIError.transport(.connectionLost(detail: "the server closed it"))
                        : APIError.transport(
                            .unreachable(detail: "the server closed each connection before a request was written"))
                }
                staleRetries += 1
            } catch {
                release(connection, reusable: false)
                throw Self.afterWriting(error)
            }
        }
    }

    /// `error`, which ended an exchange whose request was written: whatever broke, the request may have reached
    /// the server, so that a TLS alert or a reset is a lost connection, never a refusal to connect.
    private static func afterWriting(_ error: any Error) -> any Error {
        guard !(error is CancellationError) else { return error }
        let classified = TransportErrorClassifier.classify(error)
        switch classified.transportFailure {
        case .tls(let detail)?, .unreachable(let detail)?: return APIError.transport(.connectionLost(detail: detail))
        default: return classified
        }
    }

    /// `error`, which ended connecting: nothing was sent, so that a connection closed during the TLS handshake is
    /// a failure to reach the server, not a lost request.
    private static func whileConnecting(_ error: any Error) -> any Error {
        guard !(error is CancellationError) else { return error }
        let classified = TransportErrorClassifier.classify(error)
        guard case .connectionLost(let detail)? = classified.transportFailure else { return classified }
        return APIError.transport(.unreachable(detail: "the connection closed while connecting (\(detail))"))
    }

    /// Closes the idle connections, fails the waiting requests, and refuses new ones; a connection in use closes
    /// when its exchange ends.
    func shutdown() async {
        idleSweep.withLockedValue { $0?.cancel() }
        let (idle, waiters) = state.withLockedValue { state in
            state.isShutDown = true
            state.open -= state.idle.count
            defer { (state.idle, state.waiters) = ([], []) }
            return (state.idle, state.waiters)
        }
        for waiter in waiters {
            waiter.timeout.cancel()
            waiter.continuation.resume(throwing: Self.shutDownError)
        }
        for entry in idle { try? await entry.connection.channel.close() }
    }

    private static let shutDownError = APIError.transport(.notSent(reason: "the client was shut down"))
    private static let waitTimedOut = APIError.transport(.timedOut(phase: "waiting for a free connection"))

    // MARK: - Leasing

    private func lease(deadline: NIODeadline) async throws -> HTTP1Connection {
        let (grant, stale) = try state.withLockedValue { state -> (Grant?, [HTTP1Connection]) in
            guard !state.isShutDown else { throw Self.shutDownError }
            let stale = state.removeIdle { !$0.connection.channel.isActive }
            return (state.takeFreeGrant(limit: maximumConnections), stale)
        }
        for connection in stale { connection.close() }
        let granted: Grant
        if let grant { granted = grant } else { granted = try await waitForGrant(until: deadline) }
        switch granted {
        case .connection(let connection): return connection
        case .openNew: return try await openConnection(deadline: deadline)
        }
    }

    /// Waits until a connection comes free, or a place to open one, or `deadline` passes.
    private func waitForGrant(until deadline: NIODeadline) async throws -> Grant {
        let id = state.withLockedValue { state in
            defer { state.nextWaiterID += 1 }
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let timeout = eventLoopGroup.next().scheduleTask(deadline: deadline) { [self] in
                    resumeWaiter(id, throwing: Self.waitTimedOut)
                }
                // Decided again under the lock that enqueues: a connection freed since the first look is not missed.
                let answer: Result<Grant, any Error>? = state.withLockedValue { state in
                    if state.isShutDown { return .failure(Self.shutDownError) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if NIODeadline.now() >= deadline { return .failure(Self.waitTimedOut) }
                    if let grant = state.takeFreeGrant(limit: maximumConnections) { return .success(grant) }
                    state.waiters.append(Waiter(id: id, continuation: continuation, timeout: timeout))
                    return nil
                }
                if let answer {
                    timeout.cancel()
                    continuation.resume(with: answer)
                }
            }
        } onCancel: {
            resumeWaiter(id, throwing: CancellationError())
        }
    }

    /// Ends the wait of waiter `id` with `error`, if it still waits.
    private func resumeWaiter(_ id: Int, throwing error: any Error) {
        let waiter = state.withLockedValue { state in
            state.waiters.firstIndex { $0.id == id }.map { state.waiters.remove(at: $0) }
        }
        waiter?.timeout.cancel()
        waiter?.continuation.resume(throwing: error)
    }

    /// Opens a connection counted in `open` already; on failure, gives its place to a waiting request.
    private func openConnection(deadline: NIODeadline) async throws -> HTTP1Connection {
        let connection: HTTP1Connection
        do {
            connection = try await HTTP1Connection.open(
                to: origin, via: proxy, tls: try tls?.get(), on: eventLoopGroup.next(),
                deadline: min(deadline, .now() + connectTimeout))
        } catch {
            connectionClosed()
            throw Self.whileConnecting(error)
        }
        connection.channel.closeFuture.whenComplete { [weak self] _ in self?.dropIfIdle(connection) }
        if state.withLockedValue(\.isShutDown) {
            release(connection, reusable: false)
            throw Self.shutDownError
        }
        return connection
    }

    // MARK: - Returning

    private enum Return {
        case handTo(Waiter)
        case keepIdle
        case close
    }

    private func release(_ connection: HTTP1Connection, reusable: Bool) {
        guard reusable, connection.channel.isActive else {
            connection.close()
            return connectionClosed()
        }
        let outcome = state.withLockedValue { state -> Return in
            if state.isShutDown {
                state.open -= 1
                return .close
            }
            if !state.waiters.isEmpty { return .handTo(state.waiters.removeFirst()) }
            state.idle.append(IdleConnection(connection: connection, since: .now()))
            return .keepIdle
        }
        switch outcome {
        case .handTo(let waiter):
            waiter.timeout.cancel()
            waiter.continuation.resume(returning: .connection(connection))
        case .keepIdle: break
        case .close: connection.close()
        }
    }

    /// One connection fewer: the first waiting request, if any, may open its own.
    private func connectionClosed() {
        let waiter = state.withLockedValue { state -> Waiter? in
            guard !state.waiters.isEmpty else {
                state.open -= 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        waiter?.timeout.cancel()
        waiter?.continuation.resume(returning: .openNew)
    }

    /// Forgets `connection` if it waits idle: it closed.
    private func dropIfIdle(_ connection: HTTP1Connection) {
        _ = state.withLockedValue { state in
            state.removeIdle { $0.connection.channel === connection.channel }
        }
    }

    private func closeExpiredIdleConnections() {
        let now = NIODeadline.now()
        let expired = state.withLockedValue { state in
            state.removeIdle { now - $0.since >= idleTimeout }
        }
        for connection in expired { connection.close() }
    }
}
