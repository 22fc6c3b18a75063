import Adapters
import Foundation
import Hummingbird
import Logging
import ProvisioningCore
import ServiceLifecycle
import Testing

/// Shutting `kprov serve` down (what SIGINT and SIGTERM trigger) lets the calls in flight on both adapters
/// finish, then stops listening.
@Suite("Graceful shutdown")
struct GracefulShutdownTests {
    typealias H = AdapterHarness

    @Test func callsInFlightFinishBeforeTheAdaptersStop() async throws {
        try await FakeUpstream.run(FakeUpstream.Reply(delay: .milliseconds(800))) { upstream, recorder in
            let client = try H.client(upstream: upstream)
            try await client.closing {
                let (ports, portContinuation) = AsyncStream<(String, Int)>.makeStream()
                let logger = Logger(label: "test.shutdown")
                let configuration = AdapterConfiguration(port: 0)
                let group = ServiceGroup(
                    configuration: ServiceGroupConfiguration(
                        services: [
                            buildRESTApplication(configuration: configuration, client: client, logger: logger) {
                                portContinuation.yield(("rest", $0))
                            },
                            buildMCPApplication(configuration: configuration, client: client, logger: logger) {
                                portContinuation.yield(("mcp", $0))
                            },
                        ], logger: logger))
                let running = Task { try await group.run() }
                var listening = [String: Int]()
                for await (adapter, port) in ports {
                    listening[adapter] = port
                    if listening.count == 2 { break }
                }
                let restPort = try #require(listening["rest"])
                let rest = "http://127.0.0.1:\(restPort)"
                let mcp = RawMCP(url: "http://127.0.0.1:\(try #require(listening["mcp"]))/mcp")
                let session = try await mcp.openSession()

                async let restReply = TestHTTP.send(.PATCH, rest + H.restPath(), json: #"{"status": "RUNNING"}"#)
                async let toolReply = mcp.request(
                    "tools/call",
                    params: #"{"name": "declare-stage-progress", "arguments": {"deployment_id": "d", "stage": "b", "#
                        + #""attempt": "1", "body": {"status": "RUNNING"}}}"#, session: session)
                let deadline = ContinuousClock.now + .seconds(10)
                while await recorder.requests.count < 2, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                }
                #expect(await recorder.requests.count == 2, "both calls should be waiting on Koyeb")
                await group.triggerGracefulShutdown()

                #expect(try await restReply.status == 200)
                #expect(try await toolReply["result"]?["isError"] == .bool(false))
                try await running.value
                await #expect(throws: (any Error).self, "the adapter still listens") {
                    try await RawSocketHTTP.status(port: restPort, method: "GET", target: "/healthz", body: "")
                }
            }
        }
    }

    /// The idle timeout closes a client stalled inside a request (so it cannot hold up a shutdown either), and
    /// never cuts a request being answered, however long Koyeb takes.
    @Test func aStalledClientIsClosedAndASlowAnswerIsNot() async throws {
        try await FakeUpstream.run(FakeUpstream.Reply(delay: .milliseconds(1500))) { upstream, _ in
            let configuration = AdapterConfiguration(port: 0, connectionIdleTimeout: .seconds(1))
            try await H.withREST(upstream: upstream, configuration: configuration) { rest in
                let slow = try await TestHTTP.send(.PATCH, rest + H.restPath(), json: #"{"status": "RUNNING"}"#)
                #expect(slow.status == 200, "a call slower than the idle timeout is answered")
                let port = try #require(Int(rest.split(separator: ":").last ?? ""))
                let stalled = try await RawSocketHTTP.stall(
                    port: port,
                    head: "PATCH \(H.restPath()) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 100\r\n\r\n",
                    partialBody: "{")
                #expect(stalled.after < .seconds(10), "the stalled connection stayed open \(stalled.after)")
                #expect(!stalled.answer.contains("200"), "\(stalled.answer)")
            }
        }
    }
}
