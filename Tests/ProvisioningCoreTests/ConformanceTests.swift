import AsyncHTTPClient
import Foundation
import KoyebSimulator
import NIOCore
import NIOHTTP1
import TestSupport
import Testing

@testable import ProvisioningCore

/// Holds both sides of the wire to `koyeb-openapi-subset.yaml`: every request `KoyebClient` sends and every
/// answer the local Koyeb API gives, recorded by a proxy and checked by an independent validator (openapi-core,
/// from PyPI, in the `.venv` that `scripts/test` makes).
@Suite("Conformance to Koyeb's OpenAPI spec")
struct ConformanceTests {
    @Test func clientRequestsAndSimulatorAnswersMatchTheSpec() async throws {
        let simulator = try await SimulatorServer.start(SimulatorConfiguration(port: 0, deploymentCount: 30, seed: 7))
        let proxy = try await RecordingProxy.start(upstream: simulator.baseURL)
        let client = KoyebClient(
            configuration: KoyebClientConfiguration(
                baseURL: proxy.baseURL, token: APIToken(SimulatorConfiguration.developmentToken),
                retryPolicy: .none))
        do {
            try await exercise(client, proxy: proxy)
        } catch {
            Issue.record("scenario failed: \(error)")
        }
        await client.shutdown()
        let exchanges = await proxy.exchanges
        await proxy.stop()
        await simulator.stop()
        #expect(exchanges.count >= 15)
        #expect(Set(exchanges.map(\.status)).isSuperset(of: [200, 400, 401, 404]))
        let report = try await OpenAPIValidator.validate(exchanges)
        #expect(report.exitCode == 0, "\(report.output)")
    }

    /// Every endpoint, success and error answers.
    private func exercise(_ client: KoyebClient, proxy: RecordingProxy) async throws {
        let all = try await client.allDeployments(filter: DeploymentFilter(pageSize: 10))
        let first = try #require(all.first)
        _ = try await client.deploymentsPage(
            filter: DeploymentFilter(statuses: [.healthy, .error], pageSize: 5), offset: 0)
        _ = try await client.deploymentsPage(
            filter: DeploymentFilter(appID: first.appID, serviceID: first.serviceID), offset: 0)
        _ = try await client.deployment(id: first.id)

        let nextAttempt = (first.provisioningInfo?.stage(named: "build")?.buildAttempts.map(\.id).max() ?? 0) + 1
        let attempt = ProvisioningTarget(deploymentID: first.id, stage: "build", attempt: nextAttempt)
        _ = try await client.createStageAttempt(
            attempt,
            CreateStageAttemptRequest(
                status: .running, startedAt: Date(), messages: ["conformance"], steps: ["git-clone", "build"]))
        var step = attempt
        step.step = "git-clone"
        _ = try await client.declareStepProgress(step, DeclareStepProgressRequest(status: .running, startedAt: Date()))
        _ = try await client.declareStepProgress(
            step, DeclareStepProgressRequest(status: .completed, finishedAt: Date(), messages: ["cloned"]))
        _ = try await client.declareStageProgress(
            attempt, DeclareStageProgressRequest(status: .completed, finishedAt: Date(), imagePushed: true))
        _ = try await client.deployment(id: first.id)

        // Error answers: each must have the spec's error shape.
        await expectAPIError(404) { try await client.deployment(id: "no-such-deployment") }
        await expectAPIError(400) {
            try await client.createStageAttempt(attempt, CreateStageAttemptRequest(status: .running))
        }
        var unknownStep = attempt
        unknownStep.step = "not-planned"
        await expectAPIError(404) {
            try await client.declareStepProgress(unknownStep, DeclareStepProgressRequest(status: .running))
        }
        let anonymous = KoyebClient(
            configuration: KoyebClientConfiguration(baseURL: proxy.baseURL, token: nil, retryPolicy: .none))
        await expectAPIError(401) { try await anonymous.deployment(id: first.id) }
        await anonymous.shutdown()
        await proxy.markLastRequestUnchecked()
        try await sendRaw(
            proxy: proxy, method: .PATCH, path: step.path, body: #"{"status": "SOMEWHERE"}"#, expect: 400)
        try await sendRaw(proxy: proxy, method: .PATCH, path: step.path, body: #"{"status": "#, expect: 400)
        try await sendRaw(proxy: proxy, method: .GET, path: "/v1/deployments?limit=1000", body: nil, expect: 400)
    }

    private func expectAPIError(_ status: Int, _ body: () async throws -> some Sendable) async {
        do {
            _ = try await body()
            Issue.record("expected \(status), got success")
        } catch let error as APIError {
            #expect(error.httpStatus == status, "\(error)")
        } catch {
            Issue.record("expected APIError \(status), got \(error)")
        }
    }

    /// Sends a request kprov's client would refuse to build, so only the answer is held to the spec.
    private func sendRaw(proxy: RecordingProxy, method: HTTPMethod, path: String, body: String?, expect status: Int)
        async throws
    {
        var request = HTTPClientRequest(url: proxy.baseURL.text + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(SimulatorConfiguration.developmentToken)")
        request.headers.add(name: "Content-Type", value: "application/json")
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 20)
        #expect(Int(response.status.code) == status, "\(method) \(path)")
        await proxy.markLastRequestUnchecked()
    }
}

/// Runs `scripts/conformance/validate_exchanges.py` with the `.venv` made by `scripts/test`.
enum OpenAPIValidator {
    struct Report {
        var exitCode: Int32
        var output: String
    }

    /// Validates `exchanges`; the wait for Python happens on a Dispatch thread, never on one of the (two, on
    /// this machine) cooperative threads that in-process servers need.
    static func validate(_ exchanges: [RecordingProxy.Exchange]) async throws -> Report {
        guard let python = PackageFiles.venvTool("python") else { return Report(exitCode: -1, output: "no venv") }
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try validateBlocking(exchanges, python: python) })
            }
        }
    }

    private static func validateBlocking(_ exchanges: [RecordingProxy.Exchange], python: String) throws -> Report {
        let root = PackageFiles.root
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("exchanges-\(UUID().uuidString).jsonl")
        let encoder = JSONEncoder()
        let lines = try exchanges.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [
            root + "/scripts/conformance/validate_exchanges.py",
            root + "/Tests/ProvisioningCoreTests/Fixtures/koyeb-openapi-subset.yaml", file.path,
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return Report(exitCode: process.terminationStatus, output: output)
    }
}
