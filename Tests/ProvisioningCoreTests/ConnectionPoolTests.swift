import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import ProvisioningCore

/// How `KoyebClient` uses connections: kept alive and shared up to its limit, never reused once closed or
/// broken, and closed when a request is cancelled.
@Suite("KoyebClient's connections", .timeLimit(.minutes(1)))
struct ConnectionPoolTests {
    private let target = ProvisioningTarget(deploymentID: "d1", stage: "build", attempt: 1)

    private func client(
        for server: RawHTTPServer, path: String = "", maximumConnections: Int = 32, maximumReplyBytes: Int = 1 << 20,
        requestTimeout: Duration = .seconds(30)
    ) throws -> KoyebClient {
        try client(
            at: server.baseURL.text + path, maximumConnections: maximumConnections,
            maximumReplyBytes: maximumReplyBytes, requestTimeout: requestTimeout)
    }

    private func client(
        at baseURL: String, maximumConnections: Int = 32, maximumReplyBytes: Int = 1 << 20,
        requestTimeout: Duration = .seconds(30)
    ) throws -> KoyebClient {
        KoyebClient(
            configuration: KoyebClientConfiguration(
                baseURL: try APIBaseURL(parsing: baseURL), token: APIToken("t0ken"), requestTimeout: requestTimeout,
                retryPolicy: .none, maximumReplyBytes: maximumReplyBytes, maximumConnections: maximumConnections))
    }

    /// Waits until `condition` holds, for up to 5 s; the expectation fails if it never does.
    private func eventually(
        _ what: Comment, sourceLocation: SourceLocation = #_sourceLocation, _ condition: () -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while !condition() && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(condition(), what, sourceLocation: sourceLocation)
    }

    private func declare(_ client: KoyebClient) async throws {
        _ = try await client.declareStageProgress(target, DeclareStageProgressRequest(status: .running))
    }

    @Test func requestsOneAfterAnotherShareOneConnection() async throws {
        let server = try await RawHTTPServer.start(.ok())
        let client = try client(for: server)
        for _ in 0..<5 { try await declare(client) }
        await client.shutdown()
        await server.stop()
        #expect(server.seen.requests.count == 5)
        #expect(server.seen.connectionsOpened == 1)
    }

    @Test func concurrentRequestsOpenNoMoreConnectionsThanTheLimit() async throws {
        let server = try await RawHTTPServer.start(.ok(delay: .milliseconds(30)))
        let client = try client(for: server, maximumConnections: 3)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<12 { group.addTask { try await declare(client) } }
            try await group.waitForAll()
        }
        await client.shutdown()
        await server.stop()
        #expect(server.seen.requests.count == 12)
        #expect((1...3).contains(server.seen.connectionsOpened), "\(server.seen.connectionsOpened) connections")
    }

    @Test func aReplyThatClosesItsConnectionIsReadToTheEndAndTheNextRequestOpensAnother() async throws {
        // No Content-Length: the body ends where the connection does.
        let server = try await RawHTTPServer.start(
            .init(
                reply: "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{\"deployment\":{\"id\":\"d1\"}}",
                closesAfterReply: true))
        let client = try client(for: server, maximumConnections: 1)
        try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<4 { group.addTask { try await client.deployment(id: "d1").id } }
            for try await id in group { #expect(id == "d1") }
        }
        await client.shutdown()
        await server.stop()
        #expect(server.seen.connectionsOpened == 4)
    }

    @Test func aConnectionTheServerClosedIsReplacedWithoutLosingTheRequest() async throws {
        // The server closes after each reply without saying so: the next request, sent at once, finds its
        // connection closed either before leasing it or as it starts, and goes on a new one, with no retry policy.
        let server = try await RawHTTPServer.start(
            .init(reply: RawHTTPServer.Script.ok().reply, closesAfterReply: true))
        let client = try client(for: server)
        for _ in 0..<20 { try await declare(client) }
        await client.shutdown()
        await server.stop()
        #expect(server.seen.requests.count == 20)
        #expect(server.seen.connectionsOpened == 20)
    }

    @Test func aReplyThatEndsWithItsConnectionIsNotReusedByAWaitingRequest() async throws {
        // Keep-alive by default (HTTP/1.1), but no length: the body ends where the connection does.
        let server = try await RawHTTPServer.start(
            .init(reply: "HTTP/1.1 200 OK\r\n\r\n{}", delay: .milliseconds(20), closesAfterReply: true))
        let client = try client(for: server, maximumConnections: 1)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 { group.addTask { try await declare(client) } }
            try await group.waitForAll()
        }
        await client.shutdown()
        await server.stop()
        #expect(server.seen.connectionsOpened == 4)
    }

    @Test func aMalformedReplyIsALostConnectionThatMayHaveReachedTheServer() async throws {
        let server = try await RawHTTPServer.start(
            .init(reply: RawHTTPServer.Script.ok().reply, firstReplies: ["HTTP/1.1 200 OK\r\nBad Header: x\r\n\r\n"]))
        let client = try client(for: server, maximumConnections: 1)
        let error = try #require(await #expect(throws: APIError.self) { try await declare(client) })
        guard case .connectionLost(let detail)? = error.transportFailure else {
            Issue.record("expected a lost connection, got \(error)")
            return
        }
        #expect(detail.hasPrefix("the reply is not valid HTTP"))
        #expect(KoyebClient.mayHaveReachedServer(error), "the request was sent")
        // The broken connection gave its place back: with one allowed, the next request opens another.
        try await declare(client)
        await client.shutdown()
        await server.stop()
        #expect(server.seen.connectionsOpened == 2)
    }

    @Test func anIdleConnectionIsClosedAfterTheIdleTimeout() async throws {
        let server = try await RawHTTPServer.start(.ok())
        let pool = ConnectionPool(
            origin: HTTPOrigin(server.baseURL), proxy: nil, tls: .makeClientConfiguration(), maximumConnections: 4,
            connectTimeout: .seconds(5), idleTimeout: .milliseconds(200))
        let request = HTTPRequest(method: .GET, path: "/", headers: [:], body: nil, isIdempotent: true)
        _ = try await pool.execute(request, timeout: .seconds(5), maximumBodyBytes: 1 << 10)
        try await eventually("the client closes the idle connection") { server.seen.connectionsClosed == 1 }
        _ = try await pool.execute(request, timeout: .seconds(5), maximumBodyBytes: 1 << 10)
        await pool.shutdown()
        await server.stop()
        #expect(server.seen.connectionsOpened == 2)
    }

    @Test func aChunkedReplyIsJoined() async throws {
        let body = #"{"deployment":{"id":"d-chunked"}}"#
        let half = body.utf8.count / 2
        let (first, second) = (String(body.prefix(half)), String(body.dropFirst(half)))
        let chunk = { (text: String) in String(text.utf8.count, radix: 16) + "\r\n" + text + "\r\n" }
        let server = try await RawHTTPServer.start(
            .init(
                reply: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk(first) + chunk(second)
                    + "0\r\n\r\n"))
        let client = try client(for: server)
        #expect(try await client.deployment(id: "d").id == "d-chunked")
        await client.shutdown()
        await server.stop()
    }

    @Test func aReplyLargerThanTheLimitIsAnErrorAndItsConnectionIsClosed() async throws {
        let server = try await RawHTTPServer.start(
            .ok(#"{"padding":""# + String(repeating: "x", count: 1_000) + #""}"#))
        let client = try client(for: server, maximumReplyBytes: 100)
        let error = await #expect(throws: APIError.self) { try await declare(client) }
        #expect(error?.description == "200: the API's reply could not be read (the reply is larger than 100 bytes)")
        try await eventually("the connection is closed") { server.seen.connectionsClosed == 1 }
        await client.shutdown()
        await server.stop()
    }

    @Test func cancellingARequestEndsItAtOnceAndClosesItsConnection() async throws {
        let server = try await RawHTTPServer.start(.ok(delay: .seconds(30)))
        let client = try client(for: server)
        let request = Task { try await declare(client) }
        while server.seen.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        let cancelled = ContinuousClock.now
        request.cancel()
        await #expect(throws: CancellationError.self) { try await request.value }
        #expect(ContinuousClock.now - cancelled < .seconds(2))
        try await eventually("the connection is closed") { server.seen.connectionsClosed == 1 }
        await client.shutdown()
        await server.stop()
    }

    @Test func cancellingARequestWhileItConnectsEndsItAtOnce() async throws {
        // A listener that never accepts, its queue of one filled: the kernel answers no further connect, which
        // hangs as one to an unreachable host does.
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 0)
            .serverChannelOption(.autoRead, value: false)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(listener.localAddress?.port)
        let queued = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port).get()
        let client = try client(at: "http://127.0.0.1:\(port)")
        let request = Task { try await declare(client) }
        try await Task.sleep(for: .milliseconds(300))
        let cancelled = ContinuousClock.now
        request.cancel()
        await #expect(throws: CancellationError.self) { try await request.value }
        #expect(ContinuousClock.now - cancelled < .seconds(2))
        await client.shutdown()
        try await queued.close()
        try await listener.close()
    }

    @Test func aRequestCancelledWhileWaitingForAConnectionGivesUpItsTurn() async throws {
        let server = try await RawHTTPServer.start(.ok(delay: .milliseconds(300)))
        let client = try client(for: server, maximumConnections: 1)
        let first = Task { try await declare(client) }
        while server.seen.requests.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        let waiting = Task { try await declare(client) }
        try await Task.sleep(for: .milliseconds(20))
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        try await first.value
        try await declare(client)
        await client.shutdown()
        await server.stop()
        #expect(server.seen.requests.count == 2)
        #expect(server.seen.connectionsOpened == 1)
    }

    @Test func aCancellationThatArrivesLateNeverFailsALaterRequest() async throws {
        let server = try await RawHTTPServer.start(.ok())
        let client = try client(for: server, maximumConnections: 1)
        for round in 0..<200 {
            let request = Task { try await declare(client) }
            if round % 3 != 0 { try await Task.sleep(for: .microseconds(50 * (round % 7))) }
            request.cancel()
            _ = await request.result
            // Not cancelled: must succeed, whatever the cancellation before it hit.
            try await declare(client)
        }
        await client.shutdown()
        await server.stop()
    }

    @Test func waitingForAConnectionCountsAgainstTheRequestTimeout() async throws {
        // One connection, each reply 1.2 s: the second request waits 1.2 s, then has 0.8 s left of its 2 s.
        let server = try await RawHTTPServer.start(.ok(delay: .milliseconds(1_200)))
        let client = try client(for: server, maximumConnections: 1, requestTimeout: .seconds(2))
        async let first: Void = declare(client)
        while server.seen.requests.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        let error = await #expect(throws: APIError.self) { try await declare(client) }
        #expect(error?.transportFailure == .timedOut(phase: "waiting for the reply"))
        try await first
        await client.shutdown()
        await server.stop()
    }

    @Test func aRequestThatNeverGotAConnectionTimesOutWithoutHavingReachedTheServer() async throws {
        let server = try await RawHTTPServer.start(.ok(delay: .seconds(1)))
        let pool = ConnectionPool(
            origin: HTTPOrigin(server.baseURL), proxy: nil, tls: .makeClientConfiguration(), maximumConnections: 1,
            connectTimeout: .seconds(5), idleTimeout: .seconds(60))
        let request = HTTPRequest(method: .GET, path: "/", headers: [:], body: nil, isIdempotent: true)
        let first = Task { try await pool.execute(request, timeout: .seconds(5), maximumBodyBytes: 1 << 10) }
        while server.seen.requests.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        let error = await #expect(throws: APIError.self) {
            try await pool.execute(request, timeout: .milliseconds(300), maximumBodyBytes: 1 << 10)
        }
        #expect(error?.transportFailure == .timedOut(phase: "waiting for a free connection"))
        #expect(error.map(KoyebClient.mayHaveReachedServer) == false)
        _ = try await first.value
        await pool.shutdown()
        await server.stop()
        #expect(server.seen.requests.count == 1)
    }

    @Test func everyRequestCarriesTheBaseURLsPathAndTheHostHeader() async throws {
        let server = try await RawHTTPServer.start(.ok())
        let client = try client(for: server, path: "/proxy/koyeb")
        try await declare(client)
        await client.shutdown()
        await server.stop()
        let head = try #require(server.seen.requests.first)
        #expect(head.first == "PATCH /proxy/koyeb/v1/provisioning/d1/status/build/1 HTTP/1.1")
        #expect(head.contains("Host: 127.0.0.1:\(server.port)"))
        #expect(head.contains("Content-Length: 20"))
    }

    @Test func aClientThatWasShutDownSendsNothing() async throws {
        let server = try await RawHTTPServer.start(.ok())
        let client = try client(for: server)
        try await declare(client)
        await client.shutdown()
        let error = await #expect(throws: APIError.self) { try await declare(client) }
        #expect(error?.transportFailure == .notSent(reason: "the client was shut down"))
        try await eventually("the idle connection is closed at shutdown") { server.seen.connectionsClosed == 1 }
        await server.stop()
        #expect(server.seen.requests.count == 1)
    }

    @Test(
        arguments: [
            ("https://app.koyeb.com", true, "app.koyeb.com", 443, "app.koyeb.com", "", "app.koyeb.com"),
            ("http://127.0.0.1:8000/base", false, "127.0.0.1", 8000, "127.0.0.1:8000", "/base", nil),
            ("http://[::1]:9000", false, "::1", 9000, "[::1]:9000", "", nil),
            ("http://localhost", false, "localhost", 80, "localhost", "", "localhost"),
        ] as [(String, Bool, String, Int, String, String, String?)])
    func anOriginIsTakenFromTheBaseURL(
        url: String, usesTLS: Bool, host: String, port: Int, hostHeader: String, basePath: String, serverName: String?
    ) throws {
        let origin = HTTPOrigin(try APIBaseURL(parsing: url))
        #expect(origin.usesTLS == usesTLS)
        #expect(origin.host == host)
        #expect(origin.port == port)
        #expect(origin.hostHeader == hostHeader)
        #expect(origin.basePath == basePath)
        #expect(origin.serverName == serverName)
    }
}
