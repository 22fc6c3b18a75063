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

    @Test func afterStopTheServerNoLongerAnswers() async throws {
        let server = try await SimulatorServer.start(SimulatorConfiguration())
        let port = server.port
        await server.stop()
        let reply = try? await RawHTTP.exchange(
            port: port, RawHTTP.request("GET", "/v1/deployments", token: SimulatorConfiguration.developmentToken))
        #expect(reply == nil || reply == "")
    }
}
