import Adapters
import Foundation
import NIOCore
import NIOPosix
import ProvisioningCore
import Testing

/// What a REST caller gets when Koyeb fails: Koyeb's own errors keep their status and body; Koyeb out of
/// reach is 502, too slow 504, each with a JSON error saying so.
@Suite("REST adapter when Koyeb fails")
struct RESTUpstreamFailureTests {
    typealias H = AdapterHarness

    @Test func upstreamThatIsDownGives502() async throws {
        // Port 1 on loopback: nothing listens there (a freshly closed ephemeral port may be reused meanwhile).
        try await H.withREST(upstream: "http://127.0.0.1:1") { rest in
            let reply = try await TestHTTP.send(.PATCH, rest + H.restPath(), json: #"{"status": "RUNNING"}"#)
            #expect(reply.status == 502)
            #expect(reply.json["code"] == .string("upstream_unreachable"))
            #expect(reply.json["message"]?.stringValue?.contains("could not be reached") == true)
        }
    }

    /// Koyeb refusing the adapter's token is not the caller's 401: no token the caller sends would help.
    @Test func upstreamRefusingTheServersTokenGives502() async throws {
        let refusal = FakeUpstream.Reply(
            status: 401, body: #"{"status": 401, "code": "authentication_error", "message": "bad token"}"#)
        try await FakeUpstream.run(refusal) { upstream, _ in
            try await H.withREST(upstream: upstream) { rest in
                let reply = try await TestHTTP.send(.PATCH, rest + H.restPath(), json: #"{"status": "RUNNING"}"#)
                #expect(reply.status == 502)
                #expect(reply.json["code"] == .string("upstream_authentication_error"))
                #expect(reply.json["message"]?.stringValue?.contains("refused this server's API token") == true)
            }
        }
    }

    @Test func upstreamThatIsTooSlowGives504() async throws {
        try await FakeUpstream.run(FakeUpstream.Reply(delay: .seconds(3))) { upstream, _ in
            try await H.withREST(upstream: upstream, timeout: .seconds(1)) { rest in
                let reply = try await TestHTTP.send(.PATCH, rest + H.restPath(), json: #"{"status": "RUNNING"}"#)
                #expect(reply.status == 504)
                #expect(reply.json["code"] == .string("upstream_timeout"))
            }
        }
    }

    @Test func errorWithFieldsPassesThroughUnchanged() async throws {
        let body = """
            {"status": 400, "code": "invalid_argument", "message": "validation failed",
             "fields": [{"field": "status", "description": "cannot go back"}]}
            """
        try await FakeUpstream.run(FakeUpstream.Reply(status: 400, body: body)) { upstream, _ in
            try await H.withREST(upstream: upstream) { rest in
                let reply = try await TestHTTP.send(.PATCH, rest + H.restPath(), json: #"{"status": "PENDING"}"#)
                #expect(reply.status == 400)
                let expected = try JSONDecoder().decode(JSONValue.self, from: Data(body.utf8))
                #expect(reply.json == expected)
            }
        }
    }

    @Test func rateLimitWithoutJSONKeepsStatusAndRetryAfter() async throws {
        let limited = FakeUpstream.Reply(
            status: 429, contentType: "text/plain", headers: ["Retry-After": "7"], body: "slow down")
        try await FakeUpstream.run(limited) { upstream, _ in
            try await H.withREST(upstream: upstream) { rest in
                let reply = try await TestHTTP.send(.PATCH, rest + H.restPath(), json: #"{"status": "RUNNING"}"#)
                #expect(reply.status == 429)
                #expect(reply.headers.first(name: "Retry-After") == "7")
                #expect(reply.headers.first(name: "Content-Type") == "application/json")
                #expect(reply.json["status"] == .number(429))
                #expect(reply.json["code"] == .string("upstream_error"))
            }
        }
    }

    @Test func successThatIsNotAnObjectGives502() async throws {
        try await FakeUpstream.run(FakeUpstream.Reply(body: "[1, 2]")) { upstream, _ in
            try await H.withREST(upstream: upstream) { rest in
                let reply = try await TestHTTP.send(.PATCH, rest + H.restPath(), json: #"{"status": "RUNNING"}"#)
                #expect(reply.status == 502)
                #expect(reply.json["code"] == .string("upstream_bad_reply"))
            }
        }
    }
}
