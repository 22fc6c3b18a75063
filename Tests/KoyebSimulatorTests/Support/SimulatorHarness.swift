import AsyncHTTPClient
import Foundation
import KoyebSimulator
import NIOCore
import NIOHTTP1
import ProvisioningCore
import Testing

/// A simulator started in-process on an ephemeral port for one test, with a `KoyebClient` (no retries) and a
/// raw HTTP helper for what the typed client cannot send.
struct SimulatorHarness {
    let server: SimulatorServer
    let client: KoyebClient

    var store: SimulatorStore { server.store }

    /// Starts a simulator for `configuration`, runs `body`, and stops it whatever happens.
    static func with<T>(
        _ configuration: SimulatorConfiguration = SimulatorConfiguration(),
        _ body: (SimulatorHarness) async throws -> T
    ) async throws -> T {
        let server = try await SimulatorServer.start(configuration)
        let harness = SimulatorHarness(server: server, client: try makeClient(server))
        do {
            let result = try await body(harness)
            await harness.client.shutdown()
            await server.stop()
            return result
        } catch {
            await harness.client.shutdown()
            await server.stop()
            throw error
        }
    }

    /// A client for `server` with `token` and no retries, so each test sees each answer.
    static func makeClient(_ server: SimulatorServer, token: String = SimulatorConfiguration.developmentToken) throws
        -> KoyebClient
    {
        KoyebClient(
            configuration: KoyebClientConfiguration(
                baseURL: try APIBaseURL(parsing: server.baseURL), token: APIToken(token), retryPolicy: .none))
    }

    // MARK: - Raw HTTP

    /// One raw answer.
    struct Answer {
        var status: Int
        var headers: [String: String]
        var body: Data

        /// The body as an error body; fails the test when it is not one.
        func errorBody(sourceLocation: SourceLocation = #_sourceLocation) throws -> ErrorBody {
            try #require(try? KoyebJSON.decoder().decode(ErrorBody.self, from: body), sourceLocation: sourceLocation)
        }

        /// The body as JSON.
        var json: Any? { try? JSONSerialization.jsonObject(with: body) }
    }

    /// Sends `method path` with `body` and the development token (or `token`, or none when `nil`).
    func send(
        _ method: HTTPMethod, _ path: String, body: String? = nil, bodyBytes: Data? = nil,
        token: String? = SimulatorConfiguration.developmentToken, headers extra: [(String, String)] = []
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: server.baseURL + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in extra { request.headers.add(name: name, value: value) }
        if let bytes = bodyBytes ?? body.map({ Data($0.utf8) }) {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: bytes))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let collected = try await response.body.collect(upTo: 16 << 20)
        var headers: [String: String] = [:]
        for header in response.headers { headers[header.name.lowercased()] = header.value }
        return Answer(status: Int(response.status.code), headers: headers, body: Data(collected.readableBytesView))
    }

    // MARK: - Fixtures

    /// Inserts a PENDING deployment with a fixed id, app and service.
    @discardableResult
    func insertDeployment(
        id: String = "dep-1", appID: String = "app-1", serviceID: String = "svc-1", status: DeploymentStatus = .pending,
        createdAt: Date = Date(timeIntervalSince1970: 1_800_000_000), secret: String? = nil
    ) async throws -> Deployment {
        let deployment = Deployment(
            id: id, status: status, appID: appID, serviceID: serviceID, createdAt: createdAt, updatedAt: createdAt,
            provisioningInfo: ProvisioningInfo(sha: "0123456789abcdef0123456789abcdef01234567"))
        try await store.insert(deployment, secret: secret)
        return deployment
    }

    /// The deployment `id` as the API returns it.
    func deployment(_ id: String = "dep-1") async throws -> Deployment {
        try await client.deployment(id: id)
    }
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
func eventually(
    timeout: Duration = .seconds(10), interval: Duration = .milliseconds(20), _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return try await condition()
}

/// Waits for `task` at most `timeout`: its result, or `nil` when it has not finished by then. The task is left
/// running then, so a test that would hang fails instead.
func finished<Success: Sendable>(
    _ task: Task<Success, any Error>, within timeout: Duration
) async -> Result<Success, any Error>? {
    let (outcomes, outcome) = AsyncStream<Result<Success, any Error>?>.makeStream()
    Task { outcome.yield(await task.result) }
    let deadline = Task {
        try await Task.sleep(for: timeout)
        outcome.yield(nil)
    }
    defer { deadline.cancel() }
    return await outcomes.first { _ in true } ?? nil
}

extension APIError {
    /// The single field an `ErrorWithFields` answer names.
    var field: String? { fieldErrors.first?.field }
}
