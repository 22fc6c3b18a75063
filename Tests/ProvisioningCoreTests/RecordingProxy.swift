import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import ProvisioningCore

/// An HTTP proxy on 127.0.0.1 that forwards every request to `upstream` unchanged and records both sides, so a
/// test can hold the traffic between `KoyebClient` and the local Koyeb API to the OpenAPI spec.
final class RecordingProxy: Sendable {
    /// One request and its answer, in the shape `scripts/conformance/validate_exchanges.py` reads.
    struct Exchange: Codable, Sendable {
        var method: String
        var path: String
        var query: [[String]]
        var requestHeaders: [String: String]
        var requestBody: String
        var status: Int
        var responseHeaders: [String: String]
        var responseBody: String
        /// `false` for requests a test sends malformed on purpose: only the answer is checked.
        var checkRequest = true

        enum CodingKeys: String, CodingKey {
            case method, path, query, status
            case requestHeaders = "request_headers"
            case requestBody = "request_body"
            case responseHeaders = "response_headers"
            case responseBody = "response_body"
            case checkRequest = "check_request"
        }
    }

    private actor Log {
        var exchanges: [Exchange] = []
        func record(_ exchange: Exchange) { exchanges.append(exchange) }
        func markLastUnchecked() {
            guard !exchanges.isEmpty else { return }
            exchanges[exchanges.count - 1].checkRequest = false
        }
    }

    private let log: Log
    private let task: Task<Void, any Error>
    private let client: HTTPClient
    let port: Int

    var baseURL: APIBaseURL { try! APIBaseURL(parsing: "http://127.0.0.1:\(port)") }

    /// Every exchange so far.
    var exchanges: [Exchange] { get async { await log.exchanges } }

    static func start(upstream: String) async throws -> RecordingProxy {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let log = Log()
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            let body = try await request.body.collect(upTo: 1 << 22)
            var outbound = HTTPClientRequest(url: upstream + request.uri.description)
            outbound.method = .init(rawValue: request.method.rawValue)
            var requestHeaders: [String: String] = [:]
            for field in request.headers {
                requestHeaders[field.name.canonicalName] = field.value
                outbound.headers.add(name: field.name.rawName, value: field.value)
            }
            outbound.body = .bytes(body)
            let response = try await client.execute(outbound, timeout: .seconds(30))
            let responseBody = try await response.body.collect(upTo: 1 << 26)
            var responseHeaders: [String: String] = [:]
            var fields = HTTPFields()
            for header in response.headers {
                responseHeaders[header.name.lowercased()] = header.value
                if header.name.lowercased() != "content-length" { fields[.init(header.name)!] = header.value }
            }
            let components = URLComponents(string: request.uri.description)
            await log.record(
                Exchange(
                    method: request.method.rawValue, path: request.uri.path,
                    query: (components?.queryItems ?? []).map { [$0.name, $0.value ?? ""] },
                    requestHeaders: requestHeaders, requestBody: String(buffer: body),
                    status: Int(response.status.code), responseHeaders: responseHeaders,
                    responseBody: String(buffer: responseBody)))
            return Response(
                status: .init(code: Int(response.status.code)), headers: fields, body: .init(byteBuffer: responseBody))
        }
        let app = Application(
            responder: responder, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { portContinuation.yield($0.localAddress?.port ?? 0) },
            logger: Logger(label: "recording-proxy", factory: { _ in SwiftLogNoOpLogHandler() }))
        let task = Task { try await app.run() }
        var iterator = portStream.makeAsyncIterator()
        let port = await iterator.next() ?? 0
        return RecordingProxy(log: log, task: task, client: client, port: port)
    }

    private init(log: Log, task: Task<Void, any Error>, client: HTTPClient, port: Int) {
        self.log = log
        self.task = task
        self.client = client
        self.port = port
    }

    /// Marks the last recorded exchange as sent malformed on purpose.
    func markLastRequestUnchecked() async { await log.markLastUnchecked() }

    func stop() async {
        task.cancel()
        try? await client.shutdown()
    }
}
