import Adapters
import Foundation
import ProvisioningCore
import Testing

/// Bad input never reaches Koyeb: each case gets its JSON error, and the recording stand-in sees nothing.
@Suite("REST adapter refuses bad input")
struct RESTValidationTests {
    typealias H = AdapterHarness

    /// A request, the status it must get, and the fields its `ErrorWithFields` body must name.
    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var method: String = "PATCH"
        var path: String = AdapterHarness.restPath(step: "git-clone")
        var body: String? = #"{"status": "RUNNING"}"#
        var status = 400
        var fields: [String] = []
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(label: "body that is not JSON", body: "status=RUNNING", fields: ["body"]),
        Case(label: "no body", body: nil, fields: ["body"]),
        Case(label: "body that is an array", body: #"[{"status": "RUNNING"}]"#, fields: ["body"]),
        Case(label: "body that is a string", body: #""RUNNING""#, fields: ["body"]),
        Case(label: "unknown status", body: #"{"status": "DONE"}"#, fields: ["status"]),
        Case(label: "status in lower case", body: #"{"status": "running"}"#, fields: ["status"]),
        Case(label: "status that is a number", body: #"{"status": 2}"#, fields: ["status"]),
        Case(label: "time that is not RFC 3339", body: #"{"started_at": "2026-05-19 10:00"}"#, fields: ["started_at"]),
        Case(label: "messages that is a string", body: #"{"messages": "cloned"}"#, fields: ["messages"]),
        Case(label: "a message that is a number", body: #"{"messages": ["ok", 3]}"#, fields: ["messages[1]"]),
        Case(
            label: "flag that is a string", method: "PATCH", path: AdapterHarness.restPath(),
            body: #"{"image_pushed": "yes"}"#, fields: ["image_pushed"]),
        Case(
            label: "every problem at once", body: #"{"status": "X", "finished_at": 5, "messages": [true]}"#,
            fields: ["status", "finished_at", "messages[0]"]),
        Case(label: "attempt that is a word", path: AdapterHarness.restPath(attempt: "first"), fields: ["attempt"]),
        Case(label: "negative attempt", path: AdapterHarness.restPath(attempt: "-1"), fields: ["attempt"]),
        Case(
            label: "attempt too large for int64", path: AdapterHarness.restPath(attempt: "99999999999999999999"),
            fields: ["attempt"]),
        Case(
            label: "attempt just beyond int64", path: AdapterHarness.restPath(attempt: "9223372036854775808"),
            fields: ["attempt"]),
        Case(label: "empty deployment id", path: AdapterHarness.restPath(deployment: ""), fields: ["deployment-id"]),
        Case(label: "empty stage", path: AdapterHarness.restPath(""), fields: ["stage"]),
        Case(label: "blank step", path: AdapterHarness.restPath(step: " "), fields: ["step"]),
        Case(label: "empty step (trailing slash)", path: AdapterHarness.restPath() + "/", fields: ["step"]),
        Case(label: "dot-dot stage", path: "/v1/v1/provisioning/d/status/%2E%2E/1", fields: ["stage"]),
        Case(
            label: "step of 257 characters", path: AdapterHarness.restPath(step: String(repeating: "é", count: 257)),
            fields: ["step"]),
        Case(label: "unknown path", path: "/v1/provisioning/d/status/build/1", status: 404),
        Case(label: "path one segment too long", path: AdapterHarness.restPath(step: "a") + "/b", status: 404),
        Case(label: "GET on a provisioning route", method: "GET", body: nil, status: 405),
        Case(label: "POST on the step route", method: "POST", status: 405),
        Case(label: "DELETE on the attempt route", method: "DELETE", path: AdapterHarness.restPath(), status: 405),
        Case(label: "POST on /healthz", method: "POST", path: "/healthz", status: 405),
    ]

    @Test(arguments: cases)
    func isRefusedWithoutCallingKoyeb(_ testCase: Case) async throws {
        try await FakeUpstream.run { upstream, recorder in
            try await H.withREST(upstream: upstream) { rest in
                let reply = try await TestHTTP.send(
                    .init(rawValue: testCase.method), rest + testCase.path,
                    headers: [("Content-Type", "application/json")], body: testCase.body.map { Data($0.utf8) })
                #expect(reply.status == testCase.status, "\(reply.text)")
                #expect(reply.headers.first(name: "Content-Type") == "application/json")
                #expect(reply.json["status"] == .number(Double(testCase.status)))
                #expect(reply.json["message"]?.stringValue?.isEmpty == false)
                if testCase.status == 400 {
                    #expect(reply.json["code"] == .string("invalid_argument"))
                    #expect(reply.errorFields == testCase.fields)
                }
                #expect(await recorder.requests.isEmpty)
            }
        }
    }

    @Test func wrongMethodListsTheAllowedOnes() async throws {
        try await FakeUpstream.run { upstream, _ in
            try await H.withREST(upstream: upstream) { rest in
                let onAttempt = try await TestHTTP.send(.GET, rest + H.restPath())
                #expect(onAttempt.status == 405)
                #expect(onAttempt.headers.first(name: "Allow") == "POST, PATCH")
                let onStep = try await TestHTTP.send(.DELETE, rest + H.restPath(step: "build"))
                #expect(onStep.headers.first(name: "Allow") == "PATCH")
                let onHealth = try await TestHTTP.send(.PUT, rest + "/healthz")
                #expect(onHealth.headers.first(name: "Allow") == "GET, HEAD")
            }
        }
    }

    @Test func malformedPercentEncodingIsRefused() async throws {
        try await FakeUpstream.run { upstream, recorder in
            try await H.withREST(upstream: upstream) { rest in
                let port = try #require(Int(rest.split(separator: ":").last ?? ""))
                let status = try await RawSocketHTTP.status(
                    port: port, method: "PATCH", target: "/v1/v1/provisioning/d%zz/status/build/1", body: "{}")
                #expect(status == 400)
                #expect(await recorder.requests.isEmpty)
            }
        }
    }

    @Test func bodyOverTheLimitIs413() async throws {
        try await FakeUpstream.run { upstream, recorder in
            let configuration = AdapterConfiguration(port: 0, maximumBodyBytes: 1024)
            try await H.withREST(upstream: upstream, configuration: configuration) { rest in
                let messages = (0..<100).map { "\"message number \($0)\"" }.joined(separator: ",")
                let large = try await TestHTTP.send(.PATCH, rest + H.restPath(), json: #"{"messages": [\#(messages)]}"#)
                #expect(large.status == 413)
                #expect(large.json["code"] == .string("payload_too_large"))
                let small = try await TestHTTP.send(.PATCH, rest + H.restPath(), json: #"{"messages": ["ok"]}"#)
                #expect(small.status == 200)
                #expect(await recorder.requests.count == 1)
            }
        }
    }

    @Test func bodiesNestedDeeperThanTheLimitAre400OnBothAdaptersAndNeverForwarded() async throws {
        try await FakeUpstream.run { upstream, recorder in
            let configuration = AdapterConfiguration(port: 0, maximumNestingDepth: 8)
            let deep = #"{"messages": "# + String(repeating: "[", count: 20) + String(repeating: "]", count: 20) + "}"
            let atTheLimit = #"{"status": "RUNNING", "x": [[[[[["deep"]]]]]]}"#
            try await H.withREST(upstream: upstream, configuration: configuration) { rest in
                let refused = try await TestHTTP.send(.PATCH, rest + H.restPath(), json: deep)
                #expect(refused.status == 400)
                let message = "the request body nests arrays or objects deeper than 8 levels; allowed: at most 8"
                #expect(refused.json["message"] == .string(message))
                #expect(
                    refused.json["fields"]
                        == .array([.object(["field": .string("body"), "description": .string(message)])]))
                let hostile = try await TestHTTP.send(
                    .PATCH, rest + H.restPath(), json: String(repeating: "[", count: 200_000))
                #expect(hostile.status == 400)
                #expect(await recorder.requests.isEmpty)
                #expect(try await TestHTTP.send(.PATCH, rest + H.restPath(), json: atTheLimit).status == 200)
            }
            try await H.withMCP(upstream: upstream, configuration: configuration) { mcp in
                let refused = try await TestHTTP.send(
                    .POST, mcp, json: #"{"jsonrpc": "2.0", "id": 1, "method": "ping", "params": "# + deep + "}",
                    headers: [("Accept", "application/json, text/event-stream")])
                #expect(refused.status == 400)
                #expect(refused.json["code"] == .string("invalid_argument"))
            }
        }
    }

    @Test func theLargestInt64AttemptIsForwarded() async throws {
        try await FakeUpstream.run { upstream, recorder in
            try await H.withREST(upstream: upstream) { rest in
                let reply = try await TestHTTP.send(
                    .PATCH, rest + H.restPath(attempt: "9223372036854775807"), json: #"{"status": "RUNNING"}"#)
                #expect(reply.status == 200)
                #expect(await recorder.requests.first?.path.hasSuffix("/build/9223372036854775807") == true)
            }
        }
    }

    /// `null` fields are absent, as Koyeb's gateway reads them.
    @Test func knownFieldsAreForwardedAndUnknownAndNullOnesDropped() async throws {
        try await FakeUpstream.run { upstream, recorder in
            try await H.withREST(upstream: upstream) { rest in
                let reply = try await TestHTTP.send(
                    .POST, rest + H.restPath("build/arm 64", attempt: "2"),
                    json: """
                        {"secret": "s", "status": "RUNNING", "started_at": "2026-05-19T12:00:00+02:00",
                         "steps": ["a b"], "colour": "blue", "image_pushed": true, "messages": null}
                        """)
                #expect(reply.status == 200)
                let forwarded = try #require(await recorder.requests.first)
                #expect(forwarded.method == "POST")
                #expect(forwarded.path == "/v1/provisioning/\(H.deploymentID)/status/build%2Farm%2064/2")
                #expect(forwarded.authorization == "Bearer \(H.upstreamToken)")
                #expect(
                    forwarded.body
                        == .object([
                            "secret": .string("s"), "status": .string("RUNNING"),
                            "started_at": .string("2026-05-19T10:00:00.000000Z"), "steps": .array([.string("a b")]),
                        ]))
            }
        }
    }

    @Test func theReplyIsKoyebsObjectAsItCame() async throws {
        let reply = FakeUpstream.Reply(body: #"{"accepted": true, "detail": {"queue": [1, 2]}}"#)
        try await FakeUpstream.run(reply) { upstream, _ in
            try await H.withREST(upstream: upstream) { rest in
                let answer = try await TestHTTP.send(.PATCH, rest + H.restPath(), json: #"{"status": "RUNNING"}"#)
                #expect(answer.status == 200)
                #expect(
                    answer.json
                        == .object([
                            "accepted": .bool(true), "detail": .object(["queue": .array([.number(1), .number(2)])]),
                        ]))
            }
        }
    }
}
