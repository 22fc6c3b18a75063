import Foundation
import KoyebSimulator
import ProvisioningCore
import Testing

/// `--builders`: simulated builders drive deployments through the same declarations a real builder sends.
@Suite struct BuilderTests {
    private let fast = SimulatorConfiguration(seed: 4, builders: true, speed: 400)

    /// Whether a deployment's build is over (its latest attempt finished and no retry will follow).
    private func isBuilt(_ deployment: Deployment) -> Bool {
        guard let attempt = deployment.provisioningInfo?.stage(named: "build")?.buildAttempts.last else { return false }
        return attempt.status == .completed
            || (attempt.status == .failed && (attempt.retryableFailure != true || attempt.id == 3))
    }

    @Test func aPendingDeploymentIsBuiltStepByStepThroughTheDeclarationPath() async throws {
        try await SimulatorHarness.with(fast) { harness in
            try await harness.insertDeployment()
            #expect(try await eventually { isBuilt(try await harness.deployment()) })

            let deployment = try await harness.deployment()
            let attempts = try #require(deployment.provisioningInfo?.stage(named: "build")?.buildAttempts)
            let last = try #require(attempts.last)
            #expect(last.finishedAt != nil && last.startedAt != nil)
            #expect(last.steps.count >= 4)
            if last.status == .completed {
                #expect(last.imagePushed == true)
                #expect(last.steps.allSatisfy { $0.status == .completed && !$0.messages.isEmpty })
                #expect(try await eventually { try await harness.deployment().status == .healthy })
            } else {
                #expect(last.internalFailure != nil && last.retryableFailure != nil)
                #expect(deployment.status == .error)
            }
        }
    }

    /// The store counts what its declaration functions do; the builders' work must add up to exactly those
    /// counts: every attempt created, every step declared RUNNING and then finished, every attempt finished.
    @Test func buildersDeclareThroughTheStoresDeclarationFunctions() async throws {
        let server = try await SimulatorServer.start(fast)
        let ids = (0..<6).map { "dep-\($0)" }
        for id in ids { try await server.store.insert(Deployment(id: id, createdAt: Date())) }
        let started = await eventually {
            await ids.asyncMap { await server.store.deployment(id: $0)?.provisioningInfo?.stages.isEmpty == false }
                .allSatisfy { $0 }
        }
        await server.stop()
        #expect(started)
        let attempts = await server.store.deployments().flatMap {
            $0.provisioningInfo?.stage(named: "build")?.buildAttempts ?? []
        }
        let statistics = await server.store.statistics
        #expect(attempts.count >= 6)
        #expect(statistics.attemptsCreated == attempts.count)
        #expect(statistics.stageDeclarations == attempts.filter(\.status.isTerminal).count)
        let stepChanges = attempts.flatMap(\.steps).map { $0.status.isTerminal ? 2 : $0.status == .running ? 1 : 0 }
        #expect(statistics.stepDeclarations == stepChanges.reduce(0, +))
        #expect(statistics.refusedDeclarations == 0)
    }

    @Test func buildsCompleteFailAndRetryAsNewAttempts() async throws {
        try await SimulatorHarness.with(fast) { harness in
            for index in 0..<40 { try await harness.insertDeployment(id: "dep-\(index)") }
            #expect(await eventually(timeout: .seconds(30)) { await harness.store.deployments().allSatisfy(isBuilt) })
            let attempts = await harness.store.deployments().compactMap {
                $0.provisioningInfo?.stage(named: "build")?.buildAttempts
            }
            #expect(attempts.contains { $0.last?.status == .completed && $0.count == 1 })
            let retries = attempts.filter { $0.count > 1 }
            #expect(!retries.isEmpty)
            for retry in retries {
                #expect(retry.dropLast().allSatisfy { $0.status == .failed && $0.retryableFailure == true })
                #expect(retry.map(\.id) == Array(1...Int64(retry.count)))
            }
            let failedSteps = attempts.joined().flatMap(\.steps).filter { $0.status == .failed }
            #expect(!failedSteps.isEmpty)
            #expect(failedSteps.allSatisfy { !$0.messages.isEmpty && $0.finishedAt != nil })
        }
    }

    @Test func aHalfDoneBuildResumesWhereItStopped() async throws {
        try await SimulatorHarness.with(fast) { harness in
            let cloned = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down) - 30)
            var deployment = Deployment(id: "dep-1", status: .provisioning, createdAt: cloned.addingTimeInterval(-60))
            deployment.provisioningInfo = ProvisioningInfo(stages: [
                Stage(
                    name: "build", status: .running,
                    buildAttempts: [
                        BuildAttempt(
                            id: 1, status: .running, startedAt: cloned.addingTimeInterval(-5),
                            steps: [
                                BuildStep(
                                    name: "git-clone", status: .completed, startedAt: cloned.addingTimeInterval(-5),
                                    finishedAt: cloned),
                                BuildStep(name: "build", status: .running, startedAt: cloned),
                                BuildStep(name: "export", status: .pending),
                            ])
                    ])
            ])
            try await harness.store.insert(deployment)
            #expect(try await eventually { isBuilt(try await harness.deployment()) })
            let first = try #require(try await harness.deployment().provisioningInfo?.stages.first?.attempt(id: 1))
            #expect(first.status.isTerminal)
            #expect(first.step(named: "git-clone")?.finishedAt == cloned)
            #expect(first.step(named: "build")?.startedAt == cloned)
        }
    }

    @Test func newDeploymentsKeepArrivingAndGetBuilt() async throws {
        try await SimulatorHarness.with(fast) { harness in
            #expect(await eventually { await harness.store.count >= 3 })
            #expect(await eventually { await harness.store.deployments().contains { isBuilt($0) } })
        }
    }

    @Test func withoutBuildersPendingDeploymentsStayPending() async throws {
        try await SimulatorHarness.with(SimulatorConfiguration(seed: 4, speed: 400)) { harness in
            try await harness.insertDeployment()
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await harness.deployment().status == .pending)
            #expect(await harness.store.count == 1)
        }
    }

    @Test func buildersStopWithTheServer() async throws {
        let server = try await SimulatorServer.start(fast)
        for index in 0..<8 { try await server.store.insert(Deployment(id: "dep-\(index)", createdAt: Date())) }
        try await Task.sleep(for: .milliseconds(100))
        await server.stop()
        let stopped = await server.store.deployments()
        try await Task.sleep(for: .milliseconds(300))
        #expect(await server.store.deployments() == stopped)
    }
}
