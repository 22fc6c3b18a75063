import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// A forward proxy on 127.0.0.1 that answers `CONNECT host:port` as the test says and, when it agrees, passes
/// bytes both ways between the client and that host: what an HTTP proxy does for HTTPS. Records each `CONNECT`.
final class TunnelProxy: Sendable {
    /// One `CONNECT` the proxy received.
    struct Request: Sendable, Equatable {
        /// `host:port`, as the request line names it.
        var target: String
        /// The `Proxy-Authorization` header, when there was one.
        var proxyAuthorization: String?
    }

    /// How the proxy answers a `CONNECT`.
    enum Answer: Sendable {
        /// 200, then the tunnel.
        case tunnel
        /// This status, with an empty body, and the connection closed.
        case refuse(status: Int, reason: String)
        /// Nothing: the connection stays open and silent.
        case silence
    }

    /// The ephemeral port the proxy listens on.
    let port: Int
    private let channel: any Channel
    private let log: RequestLog

    /// Every `CONNECT` received so far, in order.
    var requests: [Request] { log.entries.withLock { $0 } }

    /// The proxy as `HTTPS_PROXY` would name it.
    var url: String { "http://127.0.0.1:\(port)" }

    private init(channel: any Channel, log: RequestLog) {
        self.channel = channel
        port = channel.localAddress?.port ?? 0
        self.log = log
    }

    /// Starts a proxy answering every `CONNECT` with `answer`.
    static func start(answer: Answer = .tunnel) async throws -> TunnelProxy {
        let log = RequestLog()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(
                        ConnectReader(answer: answer) { request in log.entries.withLock { $0.append(request) } })
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return TunnelProxy(channel: channel, log: log)
    }

    /// Stops listening; tunnels end when their client closes them.
    func stop() async {
        try? await channel.close()
    }

    /// The `CONNECT`s, shared by the connections' pipelines and the test.
    private final class RequestLog: Sendable {
        let entries = Mutex<[Request]>([])
    }

    /// Reads a `CONNECT` head, answers it, and on `.tunnel` joins the client's connection to the target's.
    private final class ConnectReader: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        private let answer: Answer
        private let record: @Sendable (Request) -> Void
        private var head = ""

        init(answer: Answer, record: @escaping @Sendable (Request) -> Void) {
            self.answer = answer
            self.record = record
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var bytes = unwrapInboundIn(data)
            head += bytes.readString(length: bytes.readableBytes) ?? ""
            guard head.contains("\r\n\r\n") else { return }
            let lines = head.components(separatedBy: "\r\n")
            let target = lines[0].split(separator: " ").dropFirst().first.map(String.init) ?? ""
            let authorization = lines.first { $0.lowercased().hasPrefix("proxy-authorization:") }
                .map { String($0.dropFirst("proxy-authorization:".count)).trimmingCharacters(in: .whitespaces) }
            record(Request(target: target, proxyAuthorization: authorization))
            switch answer {
            case .refuse(let status, let reason):
                reply("HTTP/1.1 \(status) \(reason)\r\nContent-Length: 0\r\n\r\n", context: context)
                context.close(promise: nil)
            case .tunnel:
                openTunnel(to: target, context: context)
            case .silence:
                break
            }
        }

        private func openTunnel(to target: String, context: ChannelHandlerContext) {
            guard let colon = target.lastIndex(of: ":"), let port = Int(target[target.index(after: colon)...]) else {
                context.close(promise: nil)
                return
            }
            let host = String(target[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            let client = context.channel
            ClientBootstrap(group: context.eventLoop).connect(host: host, port: port).assumeIsolated().whenComplete {
                result in
                guard case .success(let upstream) = result else {
                    client.close(promise: nil)
                    return
                }
                self.reply("HTTP/1.1 200 Connection established\r\n\r\n", context: context)
                let (toUpstream, toClient) = (Glue(partner: upstream), Glue(partner: client))
                try? upstream.pipeline.syncOperations.addHandler(toClient)
                try? client.pipeline.syncOperations.addHandler(toUpstream)
                client.pipeline.syncOperations.removeHandler(self, promise: nil)
            }
        }

        private func reply(_ text: String, context: ChannelHandlerContext) {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
        }
    }

    /// Writes what one side of a tunnel reads to the other side, and closes that side when this one closes.
    private final class Glue: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer

        private let partner: any Channel

        init(partner: any Channel) { self.partner = partner }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            partner.writeAndFlush(unwrapInboundIn(data), promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            partner.close(promise: nil)
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}
