import Foundation
import KoyebSimulator
import ProvisioningCore
import Testing

/// Starting and stopping the in-process server.
@Suite struct ServerLifecycleTests {
    @Test func portZeroPicksAFreePortReportedInTheBaseURL() async throws {
        try await SimulatorHarness.with { harness in
            #expect(harness.server.port > 0)
            #expect(harness.server.baseURL == "http://127.0.0.1:\(harness.server.port)")
            let answer = try await harness.send(.GET, "/v1/deployments")
            #expect(answer.status == 200)
        }
    }

    @Test func aTakenPortIsAOneLineConfigurationError() async throws {
        try await SimulatorHarness.with { harness in
            let error = await #expect(throws: ConfigurationError.self) {
                _ = try await SimulatorServer.start(SimulatorConfiguration(port: harness.server.port))
            }
            #expect(error?.description.hasPrefix("cannot listen on 127.0.0.1:\(harness.server.port): ") == true)
            #expect(error?.description.lowercased().contains("in use") == true)
        }
    }

    @Test func anOutOfRangeConfigurationIsRefusedBeforeStarting() async throws {
        for configuration in [
            SimulatorConfiguration(port: 70_000), SimulatorConfiguration(acceptedTokens: []),
            SimulatorConfiguration(speed: 0), SimulatorConfiguration(deploymentCount: -1),
            SimulatorConfiguration(provisioningSecret: ""),
        ] {
            await #expect(throws: ConfigurationError.self) { _ = try await SimulatorServer.start(configuration) }
        }
    }

    /// A start cancelled before its server listens (as when the test starting it is cancelled) stops that server
    /// and returns; it used to wait forever for a server nobody could stop.
    @Test func aCancelledStartStopsItsServerAndReturns() async throws {
        let port = try await SimulatorHarness.with { $0.server.port }
        let starting = Task { try await SimulatorServer.start(SimulatorConfiguration(port: port)) }
        starting.cancel()
        let outcome = try #require(
            await finished(starting, within: .seconds(20)), "start still waits after being cancelled")
        switch outcome {
        case .success(let server):
            await server.stop()  // it listened before the cancellation arrived
        case .failure(let error):
            #expect(error is CancellationError)
        }
        try await SimulatorHarness.with(SimulatorConfiguration(port: port)) { harness in
            #expect(harness.server.port == port, "the cancelled start's server still holds the port")
        }
    }

    @Test func aClientStalledInsideARequestIsClosedAndCannotHoldUpStop() async throws {
        let server = try await SimulatorServer.start(SimulatorConfiguration(connectionIdleTimeout: .seconds(1)))
        // Headers announce 100 bytes of body; one comes, then nothing.
        let connection = try await RawHTTP.openConnection(
            port: server.port,
            sending: "PATCH /v1/provisioning/d/status/build/1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer \(SimulatorConfiguration.developmentToken)\r\n"
                + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
            timeoutSeconds: 60)
        let stalled = Task { await RawHTTP.readToClose(connection) }
        let stopping = Task { () async throws in await server.stop() }
        #expect(await finished(stopping, within: .seconds(15)) != nil, "stop still waits on the stalled client")
        #expect(!(await stalled.value).contains("200 OK"))
    }

    @Test func afterStopTheServerNoLongerAnswers() async throws {
        let server = try await SimulatorServer.start(SimulatorConfiguration())
        let port = server.port
        await server.stop()
        let reply = try? await RawHTTP.exchange(
            port: port, RawHTTP.request("GET", "/v1/deployments", token: SimulatorConfiguration.developmentToken))
        #expect(reply == nil || reply == "")
    }
}
