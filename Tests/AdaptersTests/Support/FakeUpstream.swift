import Foundation
import Hummingbird
import Logging
import ProvisioningCore

/// A stand-in for Koyeb that records every request and answers with one scripted reply, for what the
/// simulator cannot show: exactly what the adapter forwarded, error bodies of any shape, slowness.
enum FakeUpstream {
    /// What the adapter sent.
    struct Recorded: Sendable {
        var method: String
        /// The raw, still percent-encoded path.
        var path: String
        var authorization: String?
        var body: JSONValue
    }

    /// What the stand-in answers.
    struct Reply: Sendable {
        var status: Int = 200
        var contentType = "application/json"
        var headers: [String: String] = [:]
        var body = "{}"
        /// Waits this long before answering.
        var delay: Duration = .zero
    }

    /// Every request received so far.
    actor Recorder {
        private(set) var requests = [Recorded]()
        func append(_ request: Recorded) { requests.append(request) }
    }

    /// Runs the stand-in while `body` runs; `body` gets its base URL and its recorder.
    static func run<Result: Sendable>(
        _ reply: Reply = Reply(), _ body: (String, Recorder) async throws -> Result
    ) async throws -> Result {
        let recorder = Recorder()
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            var request = request
            let data = try await request.collectBody(upTo: 4 << 20)
            await recorder.append(
                Recorded(
                    method: request.method.rawValue, path: request.uri.path,
                    authorization: request.headers[.authorization],
                    body: (try? JSONDecoder().decode(JSONValue.self, from: Data(data.readableBytesView))) ?? .null))
            try await Task.sleep(for: reply.delay)
            var headers: HTTPFields = [.contentType: reply.contentType]
            for (name, value) in reply.headers {
                if let fieldName = HTTPFields.Element.Name(name) { headers[fieldName] = value }
            }
            return Response(
                status: .init(code: reply.status), headers: headers,
                body: ResponseBody(byteBuffer: ByteBuffer(string: reply.body)))
        }
        return try await LiveApplication.run({ onListening in
            Application(
                responder: responder,
                configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { await onListening($0.localAddress?.port ?? 0) },
                logger: Logger(label: "test.upstream"))
        }) { port in
            try await body("http://127.0.0.1:\(port)", recorder)
        }
    }
}
