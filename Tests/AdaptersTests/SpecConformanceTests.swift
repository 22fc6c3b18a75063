import Adapters
import Foundation
import ProvisioningCore
import Testing
import Yams

/// Holds the served surface to the capability spec (`Fixtures/koyeb-provisioning.yaml`): every REST route and
/// MCP tool its `exposes` block declares is served, under the declared name, method, path and hints, and calls
/// the consumed operation it names.
@Suite("Served surface matches koyeb-provisioning.yaml")
struct SpecConformanceTests {
    typealias H = AdapterHarness

    /// The parts of the spec the adapters implement.
    struct Spec {
        /// A consumed operation: method and Koyeb path template, by `namespace.name`.
        var consumed: [String: (method: String, path: String)] = [:]
        var restOperations: [(path: String, method: String, name: String, description: String, call: String)] = []
        var tools: [(name: String, description: String, hints: [String: Bool], call: String, arguments: [String])] = []
        var restPort = 0
        var mcpPort = 0

        init(yaml: String) throws {
            let root = try #require(try Yams.load(yaml: yaml) as? [String: Any])
            let capability = try #require(root["capability"] as? [String: Any])
            for consumes in try #require(capability["consumes"] as? [[String: Any]]) {
                let namespace = try #require(consumes["namespace"] as? String)
                for resource in try #require(consumes["resources"] as? [[String: Any]]) {
                    for operation in try #require(resource["operations"] as? [[String: Any]]) {
                        let name = try #require(operation["name"] as? String)
                        consumed["\(namespace).\(name)"] = (
                            try #require(operation["method"] as? String), try #require(resource["path"] as? String)
                        )
                    }
                }
            }
            for exposed in try #require(capability["exposes"] as? [[String: Any]]) {
                switch exposed["type"] as? String {
                case "rest":
                    restPort = try #require(exposed["port"] as? Int)
                    for resource in try #require(exposed["resources"] as? [[String: Any]]) {
                        for operation in try #require(resource["operations"] as? [[String: Any]]) {
                            restOperations.append(
                                (
                                    try #require(resource["path"] as? String),
                                    try #require(operation["method"] as? String),
                                    try #require(operation["name"] as? String),
                                    try #require(operation["description"] as? String),
                                    try #require(operation["call"] as? String)
                                ))
                        }
                    }
                case "mcp":
                    mcpPort = try #require(exposed["port"] as? Int)
                    for tool in try #require(exposed["tools"] as? [[String: Any]]) {
                        tools.append(
                            (
                                try #require(tool["name"] as? String), try #require(tool["description"] as? String),
                                try #require(tool["hints"] as? [String: Bool]), try #require(tool["call"] as? String),
                                try #require(tool["with"] as? [String: Any]).keys.sorted()
                            ))
                    }
                default:
                    Issue.record("unexpected exposes type \(exposed["type"] ?? "none")")
                }
            }
        }

        static func load() throws -> Spec {
            try Spec(yaml: String(contentsOfFile: try TestTools.fixture("koyeb-provisioning.yaml"), encoding: .utf8))
        }
    }

    @Test func kprovServeListensOnTheDeclaredPortsByDefault() async throws {
        let spec = try Spec.load()
        let help = try ServeProcess(["--help"])
        #expect(await help.exitStatus() == 0)
        let text = help.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("The REST adapter's port (0 picks a free one). (default: \(spec.restPort))"), "\(text)")
        #expect(text.contains("The MCP server's port (0 picks a free one). (default: \(spec.mcpPort))"), "\(text)")
    }

    @Test func everyDeclaredRESTOperationIsServedAndCallsItsKoyebOperation() async throws {
        let spec = try Spec.load()
        try await FakeUpstream.run { upstream, recorder in
            try await H.withREST(upstream: upstream) { rest in
                let document = try await TestHTTP.send(.GET, rest + "/openapi.json").json
                var served = 0
                if case .object(let paths)? = document["paths"] {
                    served = paths.values.reduce(0) { count, item in
                        guard case .object(let operations) = item else { return count }
                        return count + operations.keys.filter { ["post", "patch"].contains($0) }.count
                    }
                }
                #expect(served == spec.restOperations.count, "the document lists exactly the declared operations")
                for declared in spec.restOperations {
                    let operation = document["paths"]?[declared.path]?[declared.method.lowercased()]
                    #expect(operation?["operationId"] == .string(declared.name), "\(declared.method) \(declared.path)")
                    #expect(operation?["summary"] == .string(declared.description))

                    let values = ["deployment-id": "dep-9", "stage": "build", "attempt": "4", "step": "export"]
                    let path = values.reduce(declared.path) {
                        $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value)
                    }
                    let reply = try await TestHTTP.send(.init(rawValue: declared.method), rest + path, json: "{}")
                    #expect(reply.status == 200, "\(declared.method) \(declared.path): \(reply.text)")

                    let consumed = try #require(spec.consumed[declared.call], "unknown call \(declared.call)")
                    let forwarded = try #require(await recorder.requests.last)
                    let expectedPath = values.reduce(consumed.path) {
                        $0.replacingOccurrences(
                            of: "{\($1.key.replacingOccurrences(of: "-", with: "_"))}", with: $1.value)
                    }
                    #expect(forwarded.method == consumed.method)
                    #expect(forwarded.path == expectedPath)
                }
            }
        }
    }

    @Test func everyDeclaredToolIsServedWithItsHintsAndArguments() async throws {
        let spec = try Spec.load()
        try await FakeUpstream.run { upstream, recorder in
            try await H.withMCP(upstream: upstream) { endpoint in
                let mcp = RawMCP(url: endpoint)
                let session = try await mcp.openSession()
                let listed = try await mcp.request("tools/list", session: session)
                guard case .array(let tools)? = listed["result"]?["tools"] else {
                    Issue.record("tools/list gave no tools: \(listed)")
                    return
                }
                #expect(tools.count == spec.tools.count)
                for declared in spec.tools {
                    let tool = try #require(tools.first { $0["name"] == .string(declared.name) }, "\(declared.name)")
                    #expect(tool["description"] == .string(declared.description))
                    let annotations = tool["annotations"]
                    for (hint, annotation) in [
                        ("readOnly", "readOnlyHint"), ("destructive", "destructiveHint"),
                        ("idempotent", "idempotentHint"),
                    ] {
                        guard let declaredHint = declared.hints[hint] else {
                            Issue.record("\(declared.name) declares no \(hint) hint")
                            continue
                        }
                        #expect(annotations?[annotation] == .bool(declaredHint), "\(declared.name) \(annotation)")
                    }
                    let required = tool["inputSchema"]?["required"]
                    #expect(required.map { Set(Self.strings($0)) } == Set(declared.arguments), "\(declared.name)")

                    let consumed = try #require(spec.consumed[declared.call])
                    let arguments = declared.arguments.map { name in
                        name == "body" ? #""body": {}"# : #""\#(name)": "v-\#(name)""#
                    }
                    let called = try await mcp.request(
                        "tools/call",
                        params: #"{"name": "\#(declared.name)", "arguments": {\#(arguments.joined(separator: ", "))}}"#
                            .replacingOccurrences(of: #""v-attempt""#, with: #""3""#),
                        session: session)
                    #expect(called["result"]?["isError"] == .bool(false), "\(called)")
                    let forwarded = try #require(await recorder.requests.last)
                    #expect(forwarded.method == consumed.method)
                    let expectedPath = declared.arguments.filter { $0 != "body" }.reduce(consumed.path) {
                        $0.replacingOccurrences(of: "{\($1)}", with: $1 == "attempt" ? "3" : "v-\($1)")
                    }
                    #expect(forwarded.path == expectedPath)
                }
            }
        }
    }

    static func strings(_ value: JSONValue) -> [String] {
        if case .array(let elements) = value { return elements.compactMap(\.stringValue) }
        return []
    }
}
