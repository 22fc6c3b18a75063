import Adapters
import Foundation
import KoyebSimulator
import Logging
import ProvisioningCore

/// Starts what the tests need: the simulator with a known deployment, a `KoyebClient` for an upstream, and
/// the adapters over that client on ephemeral ports.
enum AdapterHarness {
    /// The deployment every simulator run holds, with no stages yet.
    static let deploymentID = "7c1e2a90-0000-4000-8000-000000000001"
    /// The provisioning secret it requires.
    static let secret = "builder-secret-123"
    /// The token the adapters use upstream.
    static let upstreamToken = SimulatorConfiguration.developmentToken

    /// A client for `upstream` without retries, so failures show at once.
    static func client(upstream: String, timeout: Duration = .seconds(10)) throws -> KoyebClient {
        KoyebClient(
            configuration: KoyebClientConfiguration(
                baseURL: try APIBaseURL(parsing: upstream), token: APIToken(upstreamToken),
                connectTimeout: .seconds(2), requestTimeout: timeout, retryPolicy: .none))
    }

    /// Runs the simulator, holding `deploymentID`, while `body` runs.
    static func withSimulator<Result: Sendable>(_ body: (SimulatorServer) async throws -> Result) async throws -> Result
    {
        let simulator = try await SimulatorServer.start(SimulatorConfiguration(port: 0, deploymentCount: 0, seed: 1))
        do {
            try await simulator.store.insert(
                Deployment(id: deploymentID, status: .provisioning, provisioningInfo: ProvisioningInfo()),
                secret: secret)
            let result = try await body(simulator)
            await simulator.stop()
            return result
        } catch {
            await simulator.stop()
            throw error
        }
    }

    /// Runs the REST adapter over `upstream` while `body` runs; `body` gets the adapter's base URL.
    static func withREST<Result: Sendable>(
        upstream: String, configuration: AdapterConfiguration = AdapterConfiguration(port: 0),
        timeout: Duration = .seconds(10), logger: Logger = Logger(label: "test.rest"),
        _ body: (String) async throws -> Result
    ) async throws -> Result {
        let client = try client(upstream: upstream, timeout: timeout)
        return try await client.closing {
            try await LiveApplication.run({
                buildRESTApplication(configuration: configuration, client: client, logger: logger, onListening: $0)
            }) { port in try await body("http://127.0.0.1:\(port)") }
        }
    }

    /// Runs the MCP server over `upstream` while `body` runs; `body` gets the endpoint's URL.
    static func withMCP<Result: Sendable>(
        upstream: String, configuration: AdapterConfiguration = AdapterConfiguration(port: 0),
        logger: Logger = Logger(label: "test.mcp"), _ body: (String) async throws -> Result
    ) async throws -> Result {
        let client = try client(upstream: upstream)
        return try await client.closing {
            try await LiveApplication.run({
                buildMCPApplication(configuration: configuration, client: client, logger: logger, onListening: $0)
            }) { port in try await body("http://127.0.0.1:\(port)/mcp") }
        }
    }

    /// The REST path of a provisioning call, each segment percent-encoded.
    static func restPath(
        _ stage: String = "build", attempt: String = "1", step: String? = nil,
        deployment: String = deploymentID
    ) -> String {
        "/v1/v1/provisioning/" + [deployment, "status", stage, attempt].map(PathSegment.encode).joined(separator: "/")
            + (step.map { "/" + PathSegment.encode($0) } ?? "")
    }
}

extension KoyebClient {
    /// Runs `body`, then shuts the client down whatever happened.
    func closing<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        do {
            let result = try await body()
            await shutdown()
            return result
        } catch {
            await shutdown()
            throw error
        }
    }
}
