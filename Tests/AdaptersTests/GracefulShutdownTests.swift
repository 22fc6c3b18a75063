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
}
