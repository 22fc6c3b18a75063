import Adapters
import Foundation
import ProvisioningCore
import Testing

/// `--auth-token` guards both adapters; the MCP endpoint keeps its DNS-rebinding protection; no token or
/// secret reaches a log line or a reply.
@Suite("Adapter security")
struct SecurityTests {
    typealias H = AdapterHarness

    static let serveToken = "serve-token-4f9a1c"

    @Test func restRequiresTheBearerTokenOnProvisioningRoutes() async throws {
        try await FakeUpstream.run { upstream, recorder in
            let configuration = AdapterConfiguration(port: 0, authToken: APIToken(Self.serveToken))
            try await H.withREST(upstream: upstream, configuration: configuration) { rest in
                let body = #"{"status": "RUNNING"}"#
                for headers in [
                    [], [("Authorization", "Bearer wrong")], [("Authorization", "Basic \(Self.serveToken)")],
                ] {
                    let refused = try await TestHTTP.send(.PATCH, rest + H.restPath(), json: body, headers: headers)
                    #expect(refused.status == 401)
                    #expect(refused.json["code"] == .string("authentication_error"))
                    #expect(refused.headers.first(name: "WWW-Authenticate")?.hasPrefix("Bearer") == true)
                }
                #expect(await recorder.requests.isEmpty)
                let accepted = try await TestHTTP.send(
                    .PATCH, rest + H.restPath(), json: body, headers: [("Authorization", "Bearer \(Self.serveToken)")])
                #expect(accepted.status == 200)
                #expect(await recorder.requests.first?.authorization == "Bearer \(H.upstreamToken)")
                #expect(try await TestHTTP.send(.GET, rest + "/healthz").status == 200)
                let document = try await TestHTTP.send(.GET, rest + "/openapi.json")
                #expect(document.json["components"]?["securitySchemes"]?["bearerAuth"]?["scheme"] == .string("bearer"))
            }
        }
    }

    @Test func mcpRequiresTheBearerToken() async throws {
        try await FakeUpstream.run { upstream, _ in
            let configuration = AdapterConfiguration(port: 0, authToken: APIToken(Self.serveToken))
            try await H.withMCP(upstream: upstream, configuration: configuration) { endpoint in
                let refused = try await RawMCP(url: endpoint).post(RawMCP.initialize)
                #expect(refused.status == 401)
                #expect(refused.json["code"] == .string("authentication_error"))
                let authorized = RawMCP(url: endpoint, headers: [("Authorization", "Bearer \(Self.serveToken)")])
                let session = try await authorized.openSession()
                let listed = try await authorized.request("tools/list", session: session)
                #expect(listed["result"]?["tools"] != nil)
                let withoutToken = try await RawMCP(url: endpoint).post(
                    #"{"jsonrpc": "2.0", "id": 5, "method": "tools/list"}"#, session: session)
                #expect(withoutToken.status == 401, "a session id is no substitute for the token")
            }
        }
    }

    @Test func mcpRefusesForeignHostAndOrigin() async throws {
        try await FakeUpstream.run { upstream, _ in
            let configuration = AdapterConfiguration(port: 0, allowedHosts: ["builds.example.com"])
            try await H.withMCP(upstream: upstream, configuration: configuration) { endpoint in
                let mcp = RawMCP(url: endpoint)
                let rebound = try await mcp.post(RawMCP.initialize, extraHeaders: [("Host", "attacker.example:9090")])
                #expect(rebound.status == 421)
                let foreignPage = try await mcp.post(
                    RawMCP.initialize, extraHeaders: [("Origin", "http://attacker.example")])
                #expect(foreignPage.status == 403)
                let allowed = try await mcp.post(
                    RawMCP.initialize, extraHeaders: [("Host", "builds.example.com:9090")])
                #expect(allowed.status == 200)
                let local = try await mcp.post(RawMCP.initialize, extraHeaders: [("Origin", "http://localhost:3000")])
                #expect(local.status == 200)
            }
        }
    }

    @Test func noTokenOrSecretReachesTheLog() async throws {
        let capture = LogCapture()
        let secret = "provisioning-secret-77"
        try await FakeUpstream.run(FakeUpstream.Reply(status: 403, body: #"{"code": "authorization_error"}"#)) {
            upstream, _ in
            let configuration = AdapterConfiguration(port: 0, authToken: APIToken(Self.serveToken))
            let authorization = [("Authorization", "Bearer \(Self.serveToken)")]
            let body = #"{"secret": "\#(secret)", "status": "RUNNING"}"#
            try await H.withREST(upstream: upstream, configuration: configuration, logger: capture.logger()) { rest in
                _ = try await TestHTTP.send(.PATCH, rest + H.restPath(), json: body, headers: authorization)
                _ = try await TestHTTP.send(.PATCH, rest + H.restPath(), json: body)
                _ = try await TestHTTP.send(.PATCH, rest + H.restPath() + "?token=\(Self.serveToken)", json: body)
            }
            try await H.withMCP(upstream: upstream, configuration: configuration, logger: capture.logger()) {
                endpoint in
                let mcp = RawMCP(url: endpoint, headers: authorization)
                let session = try await mcp.openSession()
                _ = try await mcp.request(
                    "tools/call",
                    params: #"{"name": "declare-stage-progress", "arguments": {"deployment_id": "d", "stage": "b", "#
                        + #""attempt": "1", "body": \#(body)}}"#, session: session)
            }
        }
        let lines = capture.all
        let requestLines = lines.filter { $0.hasSuffix(" request") }
        #expect(requestLines.count == 3 + 3, "one line per request: \(requestLines)")
        #expect(
            requestLines.contains {
                $0.contains("adapter=rest") && $0.contains("status=403") && $0.contains("duration_ms=")
            })
        #expect(requestLines.contains { $0.contains("adapter=mcp") && $0.contains("route=/mcp") })
        for line in lines {
            for forbidden in [Self.serveToken, H.upstreamToken, secret] {
                #expect(!line.contains(forbidden), "log line leaks a secret: \(line)")
            }
        }
    }
}
