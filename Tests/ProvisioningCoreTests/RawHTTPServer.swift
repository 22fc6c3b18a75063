import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ProvisioningCore

/// A throwaway server on 127.0.0.1 that answers every HTTP/1.1 request with the same bytes, written as they are,
/// and counts connections: for testing how `KoyebClient`'s connections are opened, reused and closed, below
/// anything a server framework would tidy up.
final class RawHTTPServer: Sendable {
    /// How the server answers each request.
    struct Script: Sendable {
        /// The whole reply, status line to body.
        var reply: String
        /// Replies to the first requests (counted over all connections) instead of `reply`.
        var firstReplies: [String] = []
        /// Waited before replying.
        var delay: TimeAmount = .zero
        /// Whether the server closes the connection after each reply.
        var closesAfterReply = false
        /// Whether the server closes a connection as soon as anything arrives on it, answering nothing.
        var closesOnFirstBytes = false

        /// `200 OK` with a `Content-Length` body.
        static func ok(_ body: String = "{}", delay: TimeAmount = .zero) -> Script {
            Script(reply: "HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)", delay: delay)
        }
    }

    /// What the server has seen.
    struct Record: Sendable {
        /// Request heads, first line and header lines, in order of arrival.
        var requests: [[String]] = []
        var connectionsOpened = 0
        var connectionsClosed = 0
    }

    private let channel: any Channel
    private let record: NIOLockedValueBox<Record>
    let port: Int

    var baseURL: APIBaseURL { try! APIBaseURL(parsing: "http://127.0.0.1:\(port)") }
    var seen: Record { record.withLockedValue { $0 } }

    static func start(_ script: Script) async throws -> RawHTTPServer {
        let record = NIOLockedValueBox(Record())
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Connection(script: script, record: record))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return RawHTTPServer(channel: channel, record: record, port: channel.localAddress?.port ?? 0)
    }

    private init(channel: any Channel, record: NIOLockedValueBox<Record>, port: Int) {
        self.channel = channel
        self.record = record
        self.port = port
    }

    /// Stops listening; open connections are left to the client.
    func stop() async {
        try? await channel.close()
    }

    /// Reads requests (a head, then as many body bytes as its `Content-Length` says) and answers each.
    private final class Connection: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        let script: Script
        let record: NIOLockedValueBox<Record>
        private var received = ByteBuffer()

        init(script: Script, record: NIOLockedValueBox<Record>) {
            self.script = script
            self.record = record
        }

        func channelActive(context: ChannelHandlerContext) {
            record.withLockedValue { $0.connectionsOpened += 1 }
            context.fireChannelActive()
        }

        func channelInactive(context: ChannelHandlerContext) {
            record.withLockedValue { $0.connectionsClosed += 1 }
            context.fireChannelInactive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard !script.closesOnFirstBytes else { return context.close(promise: nil) }
            var bytes = unwrapInboundIn(data)
            received.writeBuffer(&bytes)
            while let request = nextRequest() {
                let index = record.withLockedValue { record in
                    defer { record.requests.append(request) }
                    return record.requests.count
                }
                let text = index < script.firstReplies.count ? script.firstReplies[index] : script.reply
                let reply = context.channel.allocator.buffer(string: text)
                let closes = script.closesAfterReply
                let channel = context.channel
                channel.eventLoop.scheduleTask(in: script.delay) {
                    channel.writeAndFlush(reply).whenComplete { _ in
                        if closes { channel.close(promise: nil) }
                    }
                }
            }
        }

        /// The head lines of the next complete request in `received`, which it is removed from.
        private func nextRequest() -> [String]? {
            let text = String(buffer: received)
            guard let headEnd = text.range(of: "\r\n\r\n") else { return nil }
            let lines = text[..<headEnd.lowerBound].components(separatedBy: "\r\n")
            let length =
                lines.lazy.compactMap { line -> Int? in
                    let parts = line.split(separator: ":", maxSplits: 1)
                    guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                    return Int(parts[1].trimmingCharacters(in: .whitespaces))
                }.first ?? 0
            let headBytes = text[..<headEnd.upperBound].utf8.count
            guard received.readableBytes >= headBytes + length else { return nil }
            received.moveReaderIndex(forwardBy: headBytes + length)
            received.discardReadBytes()
            return lines
        }
    }
}
