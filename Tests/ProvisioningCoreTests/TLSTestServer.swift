import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// A throwaway HTTPS server on 127.0.0.1 (SwiftNIO + NIOSSL) that answers every request with 200 and a fixed JSON
/// body, and records the request heads it received. Use it through `withServer`, which always stops it.
final class TLSTestServer: Sendable {
    /// The head of one request the server received.
    struct Received: Sendable, Equatable {
        var method: String
        var uri: String
        /// The `Host` header, e.g. `127.0.0.1:54321`.
        var host: String?
        /// The `Authorization` header, when there was one.
        var authorization: String?
    }

    /// The ephemeral port the server listens on.
    let port: Int
    private let channel: any Channel
    private let log: RequestLog

    /// Every request head received so far, in order.
    var received: [Received] { log.entries.withLock { $0 } }

    private init(channel: any Channel, log: RequestLog) {
        self.channel = channel
        self.port = channel.localAddress?.port ?? 0
        self.log = log
    }

    /// Starts a server presenting the fixture `certificate` (and its key) that answers `replyBody`, runs `body`
    /// with it, and stops it afterwards, also when `body` throws.
    static func withServer<Result>(
        certificate: TLSFixture, replyBody: String = "{}", _ body: (TLSTestServer) async throws -> Result
    ) async throws -> Result {
        let server = try await start(certificate: certificate, replyBody: replyBody)
        let result: Result
        do {
            result = try await body(server)
        } catch {
            try? await server.stop()
            throw error
        }
        try await server.stop()
        return result
    }

    private static func start(certificate: TLSFixture, replyBody: String) async throws -> TLSTestServer {
        let tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificate.certificatePath).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: certificate.privateKeyPath, format: .pem)))
        let context = try NIOSSLContext(configuration: tls)
        let log = RequestLog()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    let pipeline = child.pipeline.syncOperations
                    try pipeline.addHandler(NIOSSLServerHandler(context: context))
                    try pipeline.configureHTTPServerPipeline()
                    try pipeline.addHandler(Responder(replyBody: replyBody, log: log))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return TLSTestServer(channel: channel, log: log)
    }

    /// Stops listening. Connections still open are closed by the client's shutdown, or by the `Connection: close`
    /// of each reply.
    private func stop() async throws {
        try await channel.close()
    }

    /// The request heads, shared by the connections' pipelines and the test.
    private final class RequestLog: Sendable {
        let entries = Mutex<[Received]>([])
    }

    /// Records each request head and answers 200 with the fixed body, then closes the connection. A failed
    /// handshake (or any other error) closes the connection too.
    private final class Responder: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        private let replyBody: String
        private let log: RequestLog

        init(replyBody: String, log: RequestLog) {
            self.replyBody = replyBody
            self.log = log
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                let received = Received(
                    method: head.method.rawValue, uri: head.uri, host: head.headers.first(name: "Host"),
                    authorization: head.headers.first(name: "Authorization"))
                log.entries.withLock { $0.append(received) }
            case .body:
                break
            case .end:
                let body = ByteBuffer(string: replyBody)
                let headers: HTTPHeaders = [
                    "Content-Type": "application/json", "Content-Length": "\(body.readableBytes)",
                    "Connection": "close",
                ]
                let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: headers)
                context.write(wrapOutboundOut(.head(head)), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                    context.close(promise: nil)
                }
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}

/// A certificate and its key among the PEM files in `Fixtures/tls` (see the README there; test only).
struct TLSFixture: Sendable {
    /// The file name's stem: `server` for `server.cert.pem` and `server.key.pem`.
    let name: String

    /// `localhost` and 127.0.0.1, signed by the test CA.
    static let trustedServer = TLSFixture(name: "server")
    /// `localhost` and 127.0.0.1, self-signed: no client trusts it.
    static let selfSigned = TLSFixture(name: "self-signed")
    /// `localhost` only (no IP address), signed by the test CA.
    static let localhostName = TLSFixture(name: "localhost-name")
    /// `other.invalid` only, signed by the test CA: trusted, but for another host.
    static let otherHost = TLSFixture(name: "other-host")
    /// The test certificate authority that signed the others but `selfSigned`.
    static let testCA = TLSFixture(name: "ca")

    var certificatePath: String { Self.path(of: "\(name).cert.pem") }
    var privateKeyPath: String { Self.path(of: "\(name).key.pem") }

    private static func path(of file: String) -> String {
        guard let url = Bundle.module.url(forResource: "Fixtures/tls/\(file)", withExtension: nil) else {
            fatalError("the test fixture Fixtures/tls/\(file) is missing from the bundle")
        }
        return url.path
    }
}
