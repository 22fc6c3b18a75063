import Adapters
import Foundation
import KoyebSimulator
import ProvisioningCore
import TestSupport
import Testing

/// The MCP server end to end: the official Python MCP client drives it against the simulator, and raw HTTP
/// checks the transport's rules.
@Suite("MCP server")
struct MCPServerTests {
    typealias H = AdapterHarness

    @Test func officialPythonClientInitializesListsAndCallsEachTool() async throws {
        let python = try #require(PackageFiles.venvTool("python"))
        try await H.withSimulator { simulator in
            try await H.withMCP(upstream: simulator.baseURL) { endpoint in
                let path: [String: Any] = ["deployment_id": H.deploymentID, "stage": "build", "attempt": "1"]
                let calls: [[String: Any]] = [
                    [
                        "name": "create-attempt-stage",
                        "arguments": path.merging([
                            "body": ["secret": H.secret, "status": "RUNNING", "steps": ["git-clone", "build"]]
                        ]) { $1 },
                    ],
                    [
                        "name": "declare-step-progress",
                        "arguments": path.merging([
                            "step": "git-clone",
                            "body": ["secret": H.secret, "status": "COMPLETED", "messages": ["cloned"]],
                        ]) { $1 },
                    ],
                    [
                        "name": "declare-stage-progress",
                        "arguments": path.merging([
                            "body": ["secret": H.secret, "status": "FAILED", "internal_failure": true]
                        ]) { $1 },
                    ],
                    [
                        "name": "declare-step-progress",
                        "arguments": [
                            "deployment_id": 7, "stage": "", "attempt": "one", "step": "x", "colour": "red",
                            "body": ["status": "DONE", "messages": "not a list"],
                        ],
                    ],
                    [
                        "name": "declare-step-progress",
                        "arguments": path.merging([
                            "step": "no-such-step", "body": ["secret": H.secret, "status": "RUNNING"],
                        ]) { $1 },
                    ],
                    ["name": "create-attempt-stage", "arguments": path.merging(["body": ["secret": "wrong"]]) { $1 }],
                    ["name": "delete-deployment", "arguments": [:]],
                ]
                let plan = try JSONSerialization.data(withJSONObject: ["url": endpoint, "calls": calls])
                let run = try await TestTools.run(python, [try TestTools.fixture("mcp_client.py")], input: plan)
                try #require(run.exitCode == 0, "mcp_client.py failed: \(run.errors)")
                #expect(
                    !run.errors.contains("Error parsing SSE message"), "the client choked on an event: \(run.errors)")
                let report = try JSONDecoder().decode(JSONValue.self, from: Data(run.output.utf8))

                #expect(report["server"]?["name"] == .string("kprov"))
                let tools = try #require(report["tools"].flatMap(Self.array))
                #expect(
                    tools.map { $0["name"]?.stringValue } == [
                        "create-attempt-stage", "declare-stage-progress", "declare-step-progress",
                    ])
                for tool in tools {
                    let schema = tool["inputSchema"]
                    #expect(schema?["properties"]?["body"]?["type"] == .string("object"))
                    #expect(schema?["properties"]?["attempt"]?["type"] == .string("string"))
                    #expect(
                        schema?["properties"]?["body"]?["properties"]?["status"]?["enum"]
                            == .array(ProvisioningStatus.recognized.map { .string($0.rawValue) }))
                    #expect(tool["outputSchema"]?["type"] == .string("object"))
                }
                #expect(
                    tools[2]["inputSchema"]?["required"]
                        == .array(
                            ["deployment_id", "stage", "attempt", "step", "body"].map(JSONValue.string)))

                let results = try #require(report["calls"].flatMap(Self.array))
                try #require(results.count == calls.count)
                for index in 0..<3 {
                    #expect(results[index]["isError"] == .bool(false), "\(results[index])")
                    #expect(results[index]["text"] == .string("{}"))
                    #expect(results[index]["structuredContent"] == .object([:]))
                }
                for index in 3..<6 {
                    #expect(results[index]["structuredContent"] == .null, "an error is not Koyeb's reply")
                }
                let invalid = results[3]["text"]?.stringValue ?? ""
                #expect(results[3]["isError"] == .bool(true))
                for argument in ["deployment_id", "stage", "attempt", "colour", "body.status", "body.messages"] {
                    #expect(invalid.contains(argument + ":"), "\(argument) not named in: \(invalid)")
                }
                #expect(results[4]["isError"] == .bool(true))
                #expect(results[4]["text"]?.stringValue?.contains("HTTP 404") == true, "\(results[4])")
                #expect(results[5]["isError"] == .bool(true))
                #expect(results[5]["text"]?.stringValue?.contains("Koyeb refused the call") == true)
                #expect(results[6]["protocolError"]?.stringValue?.contains("unknown tool") == true)

                let attempt = try #require(await simulator.attempt("build", 1))
                #expect(attempt.status == .failed)
                #expect(attempt.internalFailure == true)
                #expect(attempt.step(named: "git-clone")?.status == .completed)
                #expect(attempt.step(named: "git-clone")?.messages == ["cloned"])

                let session = try #require(report["sessionId"]?.stringValue)
                let afterEnd = try await RawMCP(url: endpoint).post(
                    #"{"jsonrpc": "2.0", "id": 9, "method": "tools/list"}"#, session: session)
                #expect(afterEnd.status == 404, "the client's DELETE should have ended the session")
            }
        }
    }

    @Test func sessionsStartWithInitializeAndEndWithDelete() async throws {
        try await FakeUpstream.run { upstream, _ in
            try await H.withMCP(upstream: upstream) { endpoint in
                let mcp = RawMCP(url: endpoint)
                let withoutSession = try await mcp.post(#"{"jsonrpc": "2.0", "id": 1, "method": "tools/list"}"#)
                #expect(withoutSession.status == 400)

                let session = try await mcp.openSession()
                let listed = try await mcp.request("tools/list", session: session)
                #expect(listed["result"]?["tools"].flatMap(Self.array)?.count == 3)
                let stream = try await mcp.post(
                    #"{"jsonrpc": "2.0", "id": 2, "method": "tools/list"}"#, session: session)
                #expect(stream.headers.first(name: "Content-Type") == "text/event-stream")
                #expect(!stream.text.contains("data: \n"), "no event without data (nothing to resume): \(stream.text)")

                let batch = try await mcp.post(
                    #" [{"jsonrpc": "2.0", "id": 5, "method": "tools/list"}]"#, session: session)
                #expect(batch.status == 400)
                #expect(batch.json["error"]?["code"] == .number(-32600), "\(batch.text)")
                #expect(batch.json["error"]?["message"]?.stringValue?.contains("one message per POST") == true)

                let unknown = try await mcp.post(
                    #"{"jsonrpc": "2.0", "id": 3, "method": "tools/list"}"#, session: UUID().uuidString)
                #expect(unknown.status == 404)

                let ended = try await TestHTTP.send(.DELETE, endpoint, headers: [("Mcp-Session-Id", session)])
                #expect(ended.status == 200)
                let afterwards = try await mcp.post(
                    #"{"jsonrpc": "2.0", "id": 4, "method": "tools/list"}"#, session: session)
                #expect(afterwards.status == 404)
            }
        }
    }

    @Test func toolCallAnswersWithUpstreamJSONAsStructuredContentAndText() async throws {
        try await FakeUpstream.run(FakeUpstream.Reply(body: #"{"ok": true}"#)) { upstream, recorder in
            try await H.withMCP(upstream: upstream) { endpoint in
                let mcp = RawMCP(url: endpoint)
                let session = try await mcp.openSession()
                let response = try await mcp.request(
                    "tools/call",
                    params: """
                        {"name": "declare-step-progress", "arguments": {"deployment_id": "d", "stage": "build/arm 64",
                         "attempt": "2", "step": "git clone", "body": {"status": "RUNNING"}}}
                        """, session: session)
                let result = try #require(response["result"])
                #expect(result["isError"] == .bool(false))
                #expect(result["structuredContent"] == .object(["ok": .bool(true)]))
                #expect(
                    result["content"] == .array([.object(["type": .string("text"), "text": .string(#"{"ok":true}"#)])]))
                let forwarded = try #require(await recorder.requests.first)
                #expect(forwarded.method == "PATCH")
                #expect(forwarded.path == "/v1/provisioning/d/status/build%2Farm%2064/2/git%20clone")
                #expect(forwarded.body == .object(["status": .string("RUNNING")]))
            }
        }
    }

    /// `tools/call` parameters of the wrong shape are invalid params (-32602) that say what was wrong, not the
    /// swift-sdk's internal error (-32603).
    @Test(arguments: [
        (#"{"name": "declare-stage-progress", "arguments": []}"#, "arguments must be an object"),
        (#"{"name": "declare-stage-progress", "arguments": "{}"}"#, "arguments must be an object"),
        (#"[]"#, "params must be an object with name and arguments; got an array"),
        (#"null"#, "params is required"),
        (#"{"arguments": {}}"#, "name is required: the tool to call, one of create-attempt-stage"),
        (#"{"name": 7}"#, "name must be a string, one of create-attempt-stage"),
    ])
    func malformedToolCallParametersAreInvalidParams(params: String, message: String) async throws {
        try await FakeUpstream.run { upstream, recorder in
            try await H.withMCP(upstream: upstream) { endpoint in
                let mcp = RawMCP(url: endpoint)
                let session = try await mcp.openSession()
                let response = try await mcp.request("tools/call", params: params, session: session)
                #expect(response["error"]?["code"] == .number(-32602), "\(response)")
                let text = response["error"]?["message"]?.stringValue ?? ""
                #expect(text.contains(message), "\(text)")
                #expect(await recorder.requests.isEmpty)
            }
        }
    }

    /// Calls `declare-step-progress` with `arguments` (the JSON text of the arguments object) on a new session,
    /// expects a tool error with nothing sent to Koyeb, and hands `inspect` the error's text and the session.
    private func refusedStepCall(
        _ arguments: String, inspect: (_ text: String, _ mcp: RawMCP, _ session: String) async throws -> Void
    ) async throws {
        try await FakeUpstream.run { upstream, recorder in
            try await H.withMCP(upstream: upstream) { endpoint in
                let mcp = RawMCP(url: endpoint)
                let session = try await mcp.openSession()
                let response = try await mcp.request(
                    "tools/call", params: #"{"name": "declare-step-progress", "arguments": "# + arguments + "}",
                    session: session)
                #expect(response["result"]?["isError"] == .bool(true), "\(response)")
                let text = response["result"]?["content"].flatMap(Self.array)?.first?["text"]?.stringValue ?? ""
                try await inspect(text, mcp, session)
                #expect(await recorder.requests.isEmpty)
            }
        }
    }

    /// A body field Koyeb's request schema does not list is refused, not dropped: a misspelt `Status` would
    /// otherwise make the call a silent no-op.
    @Test func unknownBodyFieldsAreRefusedNamingTheFieldMeant() async throws {
        let arguments =
            #"{"deployment_id": "d", "stage": "b", "attempt": "1", "step": "s", "body": {"secret": "s3cr3t", "#
            + #""Status": "COMPLETED", "startedAt": "2026-05-19T10:00:00Z", "note": "x"}}"#
        try await refusedStepCall(arguments) { text, mcp, session in
            let fields = "the fields are: finished_at, messages, secret, started_at, status"
            for problem in [
                "body.Status: is not a field of Koyeb's DeclareStepProgress_request; did you mean status? ",
                "body.startedAt: is not a field of Koyeb's DeclareStepProgress_request; did you mean started_at? ",
                "body.note: is not a field of Koyeb's DeclareStepProgress_request; " + fields,
            ] {
                #expect(text.contains(problem), "\(text)")
            }
            #expect(!text.contains("s3cr3t"))
            let tools = try await mcp.request("tools/list", session: session)
            for tool in tools["result"]?["tools"].flatMap(Self.array) ?? [] {
                #expect(tool["inputSchema"]?["properties"]?["body"]?["additionalProperties"] == .bool(false))
            }
        }
    }

    /// What agents commonly get wrong is refused with the fix spelled out: the attempt as a number, a status in
    /// lower case, a time without a time zone.
    @Test func nearMissesAreRefusedWithTheFix() async throws {
        let arguments =
            #"{"deployment_id": "d", "stage": "b", "attempt": 1, "step": "s", "body": {"status": "running", "#
            + #""started_at": "2026-05-19T10:00:00"}}"#
        try await refusedStepCall(arguments) { text, _, _ in
            for problem in [
                #"attempt: must be a string; got the number 1, send "1" instead"#,
                #"body.status: must be one of UNKNOWN, PENDING, RUNNING, FAILED, COMPLETED, ABORTED; "#
                    + #"got "running" (statuses are upper case: RUNNING)"#,
                #"got "2026-05-19T10:00:00" (it has no time zone: add Z for UTC, or an offset such as +02:00)"#,
            ] {
                #expect(text.contains(problem), "\(text)")
            }
        }
    }

    /// A path argument longer than the schema's `maxLength` is refused before a request line of that size goes
    /// to Koyeb (a server refusing it early made AsyncHTTPClient stop the whole process).
    @Test func overlongPathArgumentsAreRefused() async throws {
        let step = String(repeating: "x", count: 100_000)
        let arguments =
            #"{"deployment_id": "d", "stage": "b", "attempt": "1", "step": "\#(step)", "body": {"status": "RUNNING"}}"#
        try await refusedStepCall(arguments) { text, mcp, session in
            #expect(text.contains("step: must be at most 256 characters long; got 100000"), "\(text)")
            let tools = try await mcp.request("tools/list", session: session)
            let tool = tools["result"]?["tools"].flatMap(Self.array)?.first
            #expect(tool?["inputSchema"]?["properties"]?["stage"]?["maxLength"] == .number(256))
        }
    }

    /// The swift-sdk reads strings that look like data URLs as binary data; tool arguments still reach Koyeb as
    /// the text sent, including ones that start with the shield's own mark.
    @Test func argumentsThatLookLikeDataURLsReachKoyebAsSent() async throws {
        try await FakeUpstream.run(FakeUpstream.Reply(body: "{}")) { upstream, recorder in
            try await H.withMCP(upstream: upstream) { endpoint in
                let mcp = RawMCP(url: endpoint)
                let session = try await mcp.openSession()
                let messages = [
                    "data: migrating schema, please wait", "data:,Hello%2C%20World", "data:text/plain;base64,SGk=",
                    "\u{0}data: marked", "\u{0}", "plain",
                ]
                let arguments: JSONValue = .object([
                    "deployment_id": .string("d"), "stage": .string("data:,x"), "attempt": .string("1"),
                    "step": .string("build"),
                    "body": .object([
                        "secret": .string("data:;base64,c2VjcmV0"), "messages": .array(messages.map(JSONValue.string)),
                    ]),
                ])
                let call: JSONValue = .object(["name": .string("declare-step-progress"), "arguments": arguments])
                let response = try await mcp.request(
                    "tools/call", params: String(decoding: try JSONEncoder().encode(call), as: UTF8.self),
                    session: session)
                #expect(response["result"]?["isError"] == .bool(false))
                let forwarded = try #require(await recorder.requests.first)
                #expect(forwarded.path == "/v1/provisioning/d/status/data%3A%2Cx/1/build")
                #expect(
                    forwarded.body
                        == .object([
                            "secret": .string("data:;base64,c2VjcmV0"),
                            "messages": .array(messages.map(JSONValue.string)),
                        ]))
            }
        }
    }

    @Test func transportRules() async throws {
        try await FakeUpstream.run { upstream, _ in
            try await H.withMCP(upstream: upstream) { endpoint in
                let stream = try await TestHTTP.send(.GET, endpoint, headers: [("Accept", "text/event-stream")])
                #expect(stream.status == 405)
                #expect(stream.headers.first(name: "Allow") == "POST, DELETE")

                let elsewhere = try await TestHTTP.send(
                    .POST, endpoint.replacingOccurrences(of: "/mcp", with: "/other"))
                #expect(elsewhere.status == 404)
                #expect(elsewhere.json["code"] == .string("not_found"))

                let notAccepting = try await TestHTTP.send(
                    .POST, endpoint, headers: [("Content-Type", "application/json"), ("Accept", "application/json")],
                    body: Data(RawMCP.initialize.utf8))
                #expect(notAccepting.status == 406)
            }
        }
    }

    static func array(_ value: JSONValue) -> [JSONValue]? {
        if case .array(let elements) = value { return elements }
        return nil
    }
}
