import NIOCore
import NIOPosix

/// HTTP/1.1 written byte for byte on a socket, for requests an HTTP client would correct before sending
/// (a malformed percent-escape, say).
enum RawSocketHTTP {
    /// Sends `method target` with a JSON `body` to `127.0.0.1:port`, `target` exactly as given, and returns the
    /// status code of the answer.
    static func status(port: Int, method: String, target: String, body: String) async throws -> Int {
        let request =
            "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        let channel = try await connect(port: port)
        let answer = try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: request))
            var text = ""
            for try await chunk in inbound { text += String(buffer: chunk) }
            return text
        }
        let statusLine = answer.prefix { $0 != "\r" }.split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw Unreadable(answer: answer) }
        return status
    }

    /// Sends `head` (a request line and headers announcing a body) and `partialBody`, then nothing more, and
    /// returns what the server wrote before it closed the connection, with how long that took. Gives up, closing
    /// the connection itself, after `limit`.
    static func stall(
        port: Int, head: String, partialBody: String, giveUpAfter limit: Duration = .seconds(30)
    ) async throws -> (answer: String, after: Duration) {
        let channel = try await connect(port: port)
        let watchdog = channel.channel.eventLoop.scheduleTask(in: TimeAmount(limit)) {
            channel.channel.close(promise: nil)
        }
        defer { watchdog.cancel() }
        let started = ContinuousClock.now
        let answer = try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: head + partialBody))
            var text = ""
            for try await chunk in inbound { text += String(buffer: chunk) }
            return text
        }
        return (answer, ContinuousClock.now - started)
    }

    private static func connect(port: Int) async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
    }

    struct Unreadable: Error, CustomStringConvertible {
        var answer: String
        var description: String { "not an HTTP answer: \(answer.prefix(200))" }
    }
}
