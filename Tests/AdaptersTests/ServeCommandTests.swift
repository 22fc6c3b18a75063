import Foundation
import KoyebSimulator
import ProvisioningCore
import Testing

/// `kprov serve` as a user runs it: flags, the token lookup, the announced URLs, the warning beyond loopback,
/// and a clean exit on SIGTERM.
@Suite("kprov serve")
struct ServeCommandTests {
    typealias H = AdapterHarness

    @Test func servesBothAdaptersOnFreePortsAndStopsOnSIGTERM() async throws {
        try await H.withSimulator { simulator in
            let serve = try ServeProcess(
                ["--rest-port", "0", "--mcp-port", "0", "--url", simulator.baseURL],
                environment: ["KOYEB_API_KEY": H.upstreamToken])
            let rest = try await serve.announcedURL("REST adapter on")
            let mcp = try await serve.announcedURL("MCP server on")
            #expect(mcp.hasSuffix("/mcp"))
            let created = try await TestHTTP.send(
                .POST, rest + H.restPath(attempt: "5"), json: #"{"secret": "\#(H.secret)", "status": "RUNNING"}"#)
            #expect(created.status == 200, "\(created.text)")
            #expect(await simulator.attempt("build", 5)?.status == .running)
            #expect(try await TestHTTP.send(.GET, mcp).status == 405)
            #expect(await serve.terminate() == 0)
            #expect(serve.errors.contains("route=/v1/v1/provisioning/{deployment-id}/status/{stage}/{attempt}"))
            #expect(!serve.errors.contains(H.upstreamToken))
        }
    }

    @Test func authTokenFromTheEnvironmentGuardsTheAdapters() async throws {
        try await FakeUpstream.run { upstream, _ in
            let serve = try ServeProcess(
                ["--rest-port", "0", "--no-mcp", "--url", upstream, "--token", H.upstreamToken],
                environment: ["KPROV_SERVE_TOKEN": "from-env"])
            let rest = try await serve.announcedURL("REST adapter on")
            let body = #"{"status": "RUNNING"}"#
            #expect(try await TestHTTP.send(.PATCH, rest + H.restPath(), json: body).status == 401)
            let authorized = try await TestHTTP.send(
                .PATCH, rest + H.restPath(), json: body, headers: [("Authorization", "Bearer from-env")])
            #expect(authorized.status == 200)
            #expect(!serve.output.contains("MCP server"))
            #expect(await serve.terminate() == 0)
        }
    }

    @Test func warnsWhenListeningBeyondLoopbackWithoutAuthToken() async throws {
        // 192.0.2.1 (TEST-NET-1) is not an address of this machine: the bind fails locally, after the warning.
        let serve = try ServeProcess(
            [
                "--host", "192.0.2.1", "--rest-port", "0", "--mcp-port", "0", "--token", "t", "--url",
                "http://127.0.0.1:1",
            ])
        #expect(await serve.exitStatus() != 0)
        #expect(serve.errors.contains("warning: listening on 192.0.2.1 without --auth-token"))
    }

    /// Flags that cannot work, and the message each must give.
    static let usageErrors: [([String], String)] = [
        (["--no-rest", "--no-mcp", "--token", "t"], "leave nothing to serve"),
        (
            ["--rest-port", "70000", "--token", "t"],
            "--rest-port: 70000 is not allowed; allowed: a port from 1 to 65535"
        ),
        (["--rest-port", "abc", "--token", "t"], "--rest-port: abc is not allowed; allowed: a port from 1 to 65535"),
        (["--rest-port", "8111", "--mcp-port", "8111", "--token", "t"], "give them different ports"),
        (["--log-level", "loud", "--token", "t"], "--log-level: loud is not allowed; allowed: trace,"),
        (
            ["--max-body-size", "10", "--token", "t"],
            "--max-body-size: 10 is not allowed; allowed: whole bytes from 1024"
        ),
        (["--auth-token", "a b", "--token", "t"], "--auth-token: the token contains a space"),
        (["--host", "not a host", "--token", "t"], "--host: \"not a host\" is not an address to listen on; allowed:"),
        (["--auth-token", " ", "--token", "t"], "--auth-token is empty"),
        (["--rest-port", "0", "--mcp-port", "0"], "no API token"),
    ]

    @Test func refusesACallerTokenNoHeaderCanCarry() async throws {
        let serve = try ServeProcess(["--token", "t"], environment: ["KPROV_SERVE_TOKEN": "line-one\nsecret-two"])
        #expect(await serve.exitStatus() == 2, "\(serve.errors)")
        #expect(
            serve.errors.hasPrefix("error: KPROV_SERVE_TOKEN: the token contains a line break"), "\(serve.errors)")
        #expect(!serve.errors.contains("secret-two") && !serve.output.contains("secret-two"))
    }

    @Test func aBusyPortIsOneUsageErrorAndNothingIsAnnounced() async throws {
        try await H.withSimulator { simulator in
            let first = try ServeProcess(
                ["--rest-port", "0", "--no-mcp", "--url", simulator.baseURL, "--token", H.upstreamToken])
            let busy = try #require(try await first.announcedURL("REST adapter on").split(separator: ":").last)
            let second = try ServeProcess(
                ["--rest-port", String(busy), "--mcp-port", "0", "--url", simulator.baseURL, "--token", "t"])
            #expect(await second.exitStatus() == 2)
            #expect(second.output.isEmpty, "\(second.output)")
            let errors = second.errors.split(separator: "\n").filter { $0.contains("error") }
            #expect(
                errors == ["error: cannot listen on 127.0.0.1 (REST port \(busy), MCP port 0): Address already in use"],
                "\(second.errors)")
            #expect(await first.terminate() == 0)
        }
    }

    @Test(arguments: usageErrors)
    func refusesFlagsThatCannotWork(_ arguments: [String], _ message: String) async throws {
        let serve = try ServeProcess(arguments)
        #expect(await serve.exitStatus() == 2, "\(serve.errors)")
        #expect(serve.errors.contains(message), "\(serve.errors)")
    }
}
