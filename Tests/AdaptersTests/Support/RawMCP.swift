import Foundation
import ProvisioningCore

/// MCP over plain HTTP, for checks the official client hides: status codes, headers, session handling.
struct RawMCP {
    let url: String
    var headers: [(String, String)] = []

    /// The headers a Streamable HTTP client sends with a POST.
    static let postHeaders = [("Accept", "application/json, text/event-stream"), ("Content-Type", "application/json")]

    /// An `initialize` request.
    static let initialize = """
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18",
         "capabilities": {}, "clientInfo": {"name": "kprov-tests", "version": "1"}}}
        """

    /// POSTs one JSON-RPC message, in session `session` when given.
    func post(_ message: String, session: String? = nil, extraHeaders: [(String, String)] = []) async throws
        -> TestReply
    {
        let sessionHeader = session.map { [("Mcp-Session-Id", $0)] } ?? []
        return try await TestHTTP.send(
            .POST, url, headers: headers + Self.postHeaders + sessionHeader + extraHeaders, body: Data(message.utf8))
    }

    /// Opens a session: `initialize`, then `notifications/initialized`. Returns the session id.
    func openSession() async throws -> String {
        let reply = try await post(Self.initialize)
        guard reply.status == 200, let session = reply.headers.first(name: "Mcp-Session-Id") else {
            throw Failure(description: "initialize answered \(reply.status): \(reply.text)")
        }
        let initialized = try await post(
            #"{"jsonrpc": "2.0", "method": "notifications/initialized"}"#, session: session)
        guard initialized.status == 202 else {
            throw Failure(description: "initialized answered \(initialized.status)")
        }
        return session
    }

    /// Sends request `method` with `params` in `session` and returns the JSON-RPC response.
    func request(_ method: String, params: String = "{}", session: String) async throws -> JSONValue {
        let reply = try await post(
            #"{"jsonrpc": "2.0", "id": 2, "method": "\#(method)", "params": \#(params)}"#, session: session)
        guard let response = Self.messages(in: reply).last else {
            throw Failure(description: "\(method) answered \(reply.status) without a message: \(reply.text)")
        }
        return response
    }

    /// The JSON-RPC messages of a server-sent event stream (or of a plain JSON body).
    static func messages(in reply: TestReply) -> [JSONValue] {
        if reply.headers.first(name: "Content-Type")?.hasPrefix("application/json") == true { return [reply.json] }
        return reply.text.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("data:") else { return nil }
            let payload = line.dropFirst(5).trimmingCharacters(in: .whitespaces)
            guard !payload.isEmpty else { return nil }
            return try? JSONDecoder().decode(JSONValue.self, from: Data(payload.utf8))
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }
}
