import Foundation
import KoyebSimulator
import Logging
import Synchronization
import Testing

@testable import ProvisioningCore

/// The guarantee RELIABILITY.md states: against an API that fails 30 % of requests (answers 500/503, or drops
/// the connection before or after applying the change), every declaration queued in the outbox is applied
/// exactly once and none is lost.
@Suite("Delivery under faults")
struct ReliabilityTests {
    @Test func everyDeclarationIsAppliedExactlyOnceUnder30PercentFaults() async throws {
        let chaos = ChaosConfiguration(errorRate: 0.15, dropRate: 0.15)
        let simulator = try await SimulatorServer.start(SimulatorConfiguration(port: 0, seed: 11, chaos: chaos))
        let deployment = Deployment(id: "reliability", status: .pending, appID: "app", serviceID: "svc")
        try await simulator.store.insert(deployment)
        let statistics = await simulator.store.statistics
        let log = LogRecorder()
        let client = KoyebClient(
            configuration: KoyebClientConfiguration(
                baseURL: try APIBaseURL(parsing: simulator.baseURL),
                token: APIToken(SimulatorConfiguration.developmentToken), requestTimeout: .seconds(5),
                retryPolicy: RetryPolicy(
                    maximumAttempts: 4, initialDelay: .milliseconds(2), maximumDelay: .milliseconds(20),
                    maximumTotalDelay: .seconds(1))),
            logger: Logger(label: "reliability", factory: { _ in log }))
        let outbox = try Outbox(
            directory: FileManager.default.temporaryDirectory.appendingPathComponent("kprov-rel-\(UUID())").path)

        let attempts: [Int64] = Array(1...40)
        for attempt in attempts {
            let target = ProvisioningTarget(deploymentID: deployment.id, stage: "build", attempt: attempt)
            try await outbox.enqueue(
                .createAttempt(target, CreateStageAttemptRequest(status: .running, steps: ["git-clone", "build"])),
                baseURL: client.configuration.baseURL)
            var step = target
            step.step = "git-clone"
            try await outbox.enqueue(
                .stepProgress(step, DeclareStepProgressRequest(status: .completed, messages: ["attempt \(attempt)"])),
                baseURL: client.configuration.baseURL)
        }

        var flushes = 0
        var refused: [String] = []
        while try await outbox.pendingCount() > 0, flushes < 200 {
            let report = try await outbox.flush(using: client)
            refused += report.refused.map { "\($0.0.declaration): \($0.1)" }
            flushes += 1
        }
        await client.shutdown()

        // The client's "retrying in …" lines: proof that the injected faults were really met.
        #expect(log.messages.filter { $0.hasPrefix("retrying") }.count > 5, "the faults must really have happened")
        #expect(refused.isEmpty, "refused: \(refused)")
        #expect(try await outbox.entries().isEmpty)
        let stored = try #require(await simulator.store.deployment(id: deployment.id))
        let stage = try #require(stored.provisioningInfo?.stage(named: "build"))
        #expect(stage.buildAttempts.map(\.id).sorted() == attempts)
        for attempt in stage.buildAttempts {
            let step = attempt.step(named: "git-clone")
            #expect(step?.status == .completed)
            #expect(step?.messages == ["attempt \(attempt.id)"], "attempt \(attempt.id)")
        }
        let after = await simulator.store.statistics
        #expect(after.attemptsCreated - statistics.attemptsCreated == attempts.count)
        #expect(after.refusedDeclarations == statistics.refusedDeclarations)
        await simulator.stop()
    }
}
