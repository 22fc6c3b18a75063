import Foundation
import Hummingbird
import Logging
import NIOCore
import ProvisioningCore
import Synchronization

/// A throwaway HTTP server on 127.0.0.1 that answers each request with the next scripted reply and records
/// what it received, for testing how `KoyebClient` reacts to specific answers.
final class ScriptedServer: Sendable {
    /// One scripted answer.
    struct Reply: Sendable {
        var status: HTTPResponse.Status
        var body: String
        var headers: [String: String] = [:]
        var delay: Duration = .zero

        static func json(_ status: HTTPResponse.Status, _ body: String, headers: [String: String] = [:]) -> Reply {
            Reply(status: status, body: body, headers: ["Content-Type": "application/json"].merging(headers) { $1 })
        }
    }

    /// What the server received.
    struct Received: Sendable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: String
    }

    private actor Script {
        var replies: [Reply]
        var received: [Received] = []
        let fallback: Reply
        init(replies: [Reply], fallback: Reply) {
            self.replies = replies
            self.fallback = fallback
        }
        func next(after request: Received) -> Reply {
            received.append(request)
            return replies.isEmpty ? fallback : replies.removeFirst()
        }
    }

    private let script: Script
    private let task: Task<Void, any Error>
    let port: Int

    var baseURL: APIBaseURL { try! APIBaseURL(parsing: "http://127.0.0.1:\(port)") }

    /// Starts a server that answers with `replies` in order, then with `fallback`.
    static func start(_ replies: [Reply], fallback: Reply = .json(.ok, "{}")) async throws -> ScriptedServer {
        let script = Script(replies: replies, fallback: fallback)
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            var headers: [String: String] = [:]
            // Keys are lowercased (canonical names).
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let body = try await request.body.collect(upTo: 1 << 20)
            let received = Received(
                method: request.method.rawValue, path: request.uri.description, headers: headers,
                body: String(buffer: body))
            let reply = await script.next(after: received)
            if reply.delay > .zero { try await Task.sleep(for: reply.delay) }
            var fields = HTTPFields()
            for (name, value) in reply.headers { fields[.init(name)!] = value }
            return Response(
                status: reply.status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: reply.body)))
        }
        let app = Application(
            responder: responder, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) },
            logger: Logger(label: "scripted-server", factory: { _ in SwiftLogNoOpLogHandler() }))
        let task = Task { try await app.run() }
        var iterator = portStream.makeAsyncIterator()
        let port = await iterator.next() ?? 0
        return ScriptedServer(script: script, task: task, port: port)
    }

    private init(script: Script, task: Task<Void, any Error>, port: Int) {
        self.script = script
        self.task = task
        self.port = port
    }

    /// Every request received so far, in order.
    var received: [Received] { get async { await script.received } }

    func stop() { task.cancel() }
}

/// A `Sleeper` that records each requested wait and returns at once.
final class RecordingSleeper: Sendable {
    private let storage = Mutex<[Duration]>([])
    var waits: [Duration] { storage.withLock { $0 } }
    var sleeper: Sleeper { Sleeper { duration in self.storage.withLock { $0.append(duration) } } }
}
