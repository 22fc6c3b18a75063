import Foundation
import Hummingbird
import Logging
import MCP

/// The MCP server's HTTP side: serves the Streamable HTTP endpoint `/mcp` through Hummingbird, translating
/// between Hummingbird's requests and responses and the swift-sdk's framework-neutral ones. Logs one line per
/// request.
///
/// `POST` carries JSON-RPC messages (answered as a server-sent event stream that ends with the reply) and
/// `DELETE` ends a session. `GET`, the optional stream of server-initiated messages, answers 405 as the
/// specification allows: these tools send nothing unprompted, and no long-lived stream then stands in the way of
/// a graceful shutdown.
struct MCPResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    /// The endpoint's path.
    static let endpoint = "/mcp"
    static let allowedMethods: [HTTPRequest.Method] = [.post, .delete]

    let registry: MCPSessionRegistry
    let authenticator: BearerAuthenticator?
    let bodyReader: RequestBodyReader
    let log: RequestLog

    func respond(to request: Request, context: Context) async throws -> Response {
        let start = ContinuousClock.now
        let (route, response) = await handle(request)
        log.record(method: request.method, route: route, status: response.status, since: start)
        return response
    }

    private func handle(_ request: Request) async -> (String, Response) {
        guard request.uri.path == Self.endpoint else {
            return (
                "(unmatched)",
                JSONResponse.error(.notFound, code: "not_found", message: "the MCP endpoint is \(Self.endpoint)")
            )
        }
        guard Self.allowedMethods.contains(request.method) else {
            let allow = Self.allowedMethods.map(\.rawValue).joined(separator: ", ")
            return (
                Self.endpoint,
                JSONResponse.error(
                    .methodNotAllowed, code: "method_not_allowed",
                    message: "\(request.method.rawValue) is not allowed on \(Self.endpoint); allowed: \(allow)",
                    headers: [.allow: allow])
            )
        }
        if let rejection = authenticator?.rejection(of: request) { return (Self.endpoint, rejection) }
        let body: Data
        do {
            body = try await bodyReader.read(request)
        } catch is RequestBodyReader.TooLarge {
            return (Self.endpoint, bodyReader.tooLargeResponse)
        } catch is RequestBodyReader.TooDeep {
            return (Self.endpoint, bodyReader.tooDeepResponse)
        } catch {
            return (
                Self.endpoint,
                JSONResponse.invalidBody("the request body could not be read completely")
            )
        }
        if Self.isBatch(body) { return (Self.endpoint, Self.batchRefusal) }
        let response = await registry.handle(Self.mcpRequest(request, body: ToolArgumentShield.shield(body)))
        return (Self.endpoint, Self.response(response))
    }

    // MARK: - Batches

    /// Whether `body` is a JSON array: a JSON-RPC batch, which MCP 2025-06-18 no longer allows. The swift-sdk
    /// would call it invalid JSON (-32700), which sends a client looking for a syntax error that is not there.
    static func isBatch(_ body: Data) -> Bool {
        body.first { !jsonWhitespace.contains($0) } == UInt8(ascii: "[")
    }

    private static let jsonWhitespace = Set(" \t\r\n".utf8)

    /// 400 with JSON-RPC's "invalid request" (-32600), saying what to send instead.
    static var batchRefusal: Response {
        let message = "JSON-RPC batches are not supported (MCP 2025-06-18 removed them); send one message per POST"
        return JSONResponse.make(
            status: .badRequest,
            data: Data(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"\#(message)"}}"#.utf8))
    }

    // MARK: - Translation

    /// The swift-sdk's view of `request`. Hummingbird keeps `Host` as the `:authority` pseudo-header, out of
    /// `headers`; it is copied back so the DNS-rebinding check sees it.
    static func mcpRequest(_ request: Request, body: Data) -> MCP.HTTPRequest {
        var headers = [String: String]()
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { "\($0), \(field.value)" } ?? field.value
        }
        if let authority = request.head.authority {
            headers[HTTPHeaderName.host] = authority
        }
        return MCP.HTTPRequest(
            method: request.method.rawValue, headers: headers, body: body.isEmpty ? nil : body, path: request.uri.path)
    }

    /// Hummingbird's response for the swift-sdk's; an event stream is relayed chunk by chunk until it ends, without
    /// its priming events.
    static func response(_ response: MCP.HTTPResponse) -> Response {
        var headers = HTTPFields()
        for (name, value) in response.headers {
            guard let fieldName = HTTPFields.Element.Name(name) else { continue }
            headers[fieldName] = value
        }
        let status = HTTPResponse.Status(code: response.statusCode)
        switch response {
        case .stream(let events, _):
            return Response(
                status: status, headers: headers,
                body: ResponseBody { writer in
                    for try await chunk in events where !isPrimingEvent(chunk) {
                        try await writer.write(ByteBuffer(bytes: chunk))
                    }
                    try await writer.finish(nil)
                })
        default:
            let body = response.bodyData.map { ResponseBody(byteBuffer: ByteBuffer(bytes: $0)) } ?? ResponseBody()
            return Response(status: status, headers: headers, body: body)
        }
    }

    /// Whether `chunk` is the event with empty data the swift-sdk opens each stream with, so that a client can
    /// resume it with `GET` and `Last-Event-ID`.
    ///
    /// This endpoint answers `GET` with 405, so there is nothing to resume; and clients of protocol 2025-06-18,
    /// which predates priming events (the Python SDK 1.12, for one), report the empty data as a parse error on
    /// every call. The swift-sdk writes one event per chunk and a message event never has empty data.
    static func isPrimingEvent(_ chunk: Data) -> Bool {
        chunk.suffix(8).elementsEqual("data: \n\n".utf8)
    }
}
