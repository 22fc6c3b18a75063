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
        /// A connection closed: the waiter may open one of its own.
        case openNew
    }

    private struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<Grant, any Error>
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
    }

    private let origin: HTTPOrigin
    private let tls: Result<NIOSSLContext, any Error>?
    private let maximumConnections: Int
    private let connectTimeout: Duration
    private let idleTimeout: TimeAmount
    private let eventLoopGroup: any EventLoopGroup
    private let state = NIOLockedValueBox(State())

    init(
        origin: HTTPOrigin, tls: TLSConfiguration, maximumConnections: Int, connectTimeout: Duration,
        idleTimeout: Duration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.origin = origin
        self.tls = origin.usesTLS ? Result { try NIOSSLContext(configuration: tls) } : nil
        self.maximumConnections = max(1, maximumConnections)
        self.connectTimeout = connectTimeout
        self.idleTimeout = TimeAmount(idleTimeout)
        self.eventLoopGroup = eventLoopGroup
    }

    /// Sends `request` on a free connection, opening one when none is idle and the limit allows, and returns the
    /// reply (see `HTTP1Connection.exchange`).
    func execute(_ request: HTTPRequest, timeout: Duration, maximumBodyBytes: Int) async throws -> HTTPReply {
        var headers = request.headers
        headers.replaceOrAdd(name: "Host", value: origin.hostHeader)
        if let body = request.body { headers.replaceOrAdd(name: "Content-Length", value: String(body.readableBytes)) }
        let head = HTTPRequestHead(
            version: .http1_1, method: request.method, uri: origin.basePath + request.path, headers: headers)
        let connection = try await lease()
        do {
            let reply = try await connection.exchange(
                head: head, body: request.body, timeout: timeout, maximumBodyBytes: maximumBodyBytes)
            release(connection, reusable: reply.keepsConnection)
            return reply
        } catch {
            release(connection, reusable: false)
            throw error
        }
    }

    /// Closes the idle connections, fails the waiting requests, and refuses new ones; a connection in use closes
    /// when its exchange ends.
    func shutdown() {
        let (idle, waiters) = state.withLockedValue { state in
            state.isShutDown = true
            state.open -= state.idle.count
            defer { (state.idle, state.waiters) = ([], []) }
            return (state.idle, state.waiters)
        }
        for waiter in waiters { waiter.continuation.resume(throwing: Self.shutDownError) }
        for entry in idle { entry.connection.close() }
    }

    private static let shutDownError = APIError.transport(.notSent(reason: "the client was shut down"))

    // MARK: - Leasing

    private enum Lease {
        case use(HTTP1Connection)
        case openNew
        case wait
        case refuse
    }

    private func lease() async throws -> HTTP1Connection {
        var stale: [HTTP1Connection] = []
        let lease = state.withLockedValue { state -> Lease in
            guard !state.isShutDown else { return .refuse }
            let now = NIODeadline.now()
            let isFresh = { (entry: IdleConnection) in
                entry.connection.channel.isActive && now - entry.since < self.idleTimeout
            }
            stale = state.idle.filter { !isFresh($0) }.map(\.connection)
            state.idle.removeAll { !isFresh($0) }
            state.open -= stale.count
            if let newest = state.idle.popLast() { return .use(newest.connection) }
            guard state.open < maximumConnections else { return .wait }
            state.open += 1
            return .openNew
        }
        for connection in stale { connection.close() }
        switch lease {
        case .use(let connection): return connection
        case .openNew: return try await openConnection()
        case .refuse: throw Self.shutDownError
        case .wait:
            switch try await waitForConnection() {
            case .connection(let connection): return connection
            case .openNew: return try await openConnection()
            }
        }
    }

    /// Opens a connection counted in `open` already; on failure, gives its place to a waiting request.
    private func openConnection() async throws -> HTTP1Connection {
        do {
            let context = try tls?.get()
            return try await HTTP1Connection.open(
                to: origin, tls: context, on: eventLoopGroup.next(), connectTimeout: connectTimeout)
        } catch {
            connectionClosed()
            throw error
        }
    }

    private func waitForConnection() async throws -> Grant {
        let id = state.withLockedValue { state in
            defer { state.nextWaiterID += 1 }
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let refusal: (any Error)? = state.withLockedValue { state in
                    if state.isShutDown { return Self.shutDownError }
                    if Task.isCancelled { return CancellationError() }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                if let refusal { continuation.resume(throwing: refusal) }
            }
        } onCancel: {
            let waiter = state.withLockedValue { state in
                state.waiters.firstIndex { $0.id == id }.map { state.waiters.remove(at: $0) }
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    // MARK: - Returning

    private enum Return {
        case handTo(Waiter)
        case keepIdle
        case close
    }

    private func release(_ connection: HTTP1Connection, reusable: Bool) {
        guard reusable else {
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
        case .handTo(let waiter): waiter.continuation.resume(returning: .connection(connection))
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
        waiter?.continuation.resume(returning: .openNew)
    }
}
