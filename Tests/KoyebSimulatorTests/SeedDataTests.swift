import Foundation
import ProvisioningCore
import Testing

@testable import KoyebSimulator

/// `--deployments N` with `--seed`: realistic, varied and reproducible.
@Suite struct SeedDataTests {
    private let now = Date(timeIntervalSince1970: 1_800_000_000)
    private static let koyebSteps: Set<String> = [
        "start-docker", "archive-clone", "git-clone", "analyze", "detect", "restore", "build", "export",
    ]

    private func generate(count: Int, seed: UInt64) -> [Deployment] {
        var generator = SeedGenerator(world: SeedWorld(seed: seed), seed: seed, stream: "seed-data")
        return generator.deployments(count: count, now: now)
    }

    @Test func theSameSeedGivesTheSameDeploymentsAndAnotherSeedOthers() {
        #expect(generate(count: 40, seed: 7) == generate(count: 40, seed: 7))
        #expect(generate(count: 40, seed: 7).map(\.id) != generate(count: 40, seed: 8).map(\.id))
    }

    @Test func deploymentsAreNewestFirstAndInThePast() {
        let deployments = generate(count: 60, seed: 3)
        let dates = deployments.compactMap(\.createdAt)
        #expect(dates.count == 60)
        #expect(dates == dates.sorted(by: >))
        #expect(dates.allSatisfy { $0 <= now })
    }

    /// `updated_at` is the deployment's last change: no time in its build tree is later, none is in the future.
    @Test func updatedAtIsTheLastChange() throws {
        for seed: UInt64 in [1, 42, 99] {
            for deployment in generate(count: 60, seed: seed) {
                let times = (deployment.provisioningInfo?.stages ?? []).flatMap(\.buildAttempts).flatMap { attempt in
                    [attempt.startedAt, attempt.finishedAt] + attempt.steps.flatMap { [$0.startedAt, $0.finishedAt] }
                }.compactMap { $0 }
                let updatedAt = try #require(deployment.updatedAt)
                #expect(times.allSatisfy { $0 <= updatedAt }, "seed \(seed), deployment \(deployment.id)")
                #expect(updatedAt <= now)
            }
        }
    }

    @Test func theMixCoversEveryKindOfBuild() {
        let deployments = generate(count: 120, seed: 21)
        let statuses = Set(deployments.map(\.status))
        #expect(statuses.isSuperset(of: [.pending, .provisioning, .healthy, .error, .stopped]))

        let attempts = deployments.compactMap { $0.provisioningInfo?.stage(named: "build")?.buildAttempts }
        let retried = attempts.filter { $0.count == 2 }
        #expect(!retried.isEmpty)
        #expect(
            retried.allSatisfy {
                $0[0].status == .failed && $0[0].retryableFailure == true && $0[1].status == .completed
            })
        #expect(attempts.contains { $0.last?.status == .failed && $0.last?.retryableFailure == false })
        #expect(attempts.contains { $0.last?.status == .running })
    }

    @Test func buildsUseKoyebsStageAndStepNamesWithConsistentProgress() throws {
        for deployment in generate(count: 120, seed: 5) {
            let info = try #require(deployment.provisioningInfo)
            #expect(info.sha?.count == 40)
            #expect(info.image?.hasPrefix("registry01.prod.koyeb.com/") == true)
            #expect(info.stages.allSatisfy { $0.name == "build" })
            for attempt in info.stages.flatMap(\.buildAttempts) {
                #expect(Set(attempt.steps.map(\.name)).isSubset(of: Self.koyebSteps))
                #expect(["git-clone", "archive-clone"].contains { attempt.steps.map(\.name).contains($0) })
                #expect(attempt.steps.last?.name == "export")
                for step in attempt.steps where step.status.isTerminal {
                    #expect(!step.messages.isEmpty)
                    #expect(try #require(step.finishedAt) >= (try #require(step.startedAt)))
                }
                switch attempt.status {
                case .running: #expect(attempt.steps.filter { $0.status == .running }.count == 1)
                case .completed:
                    #expect(attempt.steps.allSatisfy { $0.status == .completed } && attempt.imagePushed == true)
                default: #expect(attempt.steps.filter { $0.status == .failed }.count == 1 && !attempt.messages.isEmpty)
                }
            }
        }
    }

    @Test func servicesHaveShortNamesAndOnlyTheirNewestHealthyDeploymentStaysHealthy() {
        let deployments = generate(count: 150, seed: 9)
        #expect(deployments.allSatisfy { ["web", "api", "worker", "ingest"].contains($0.serviceName ?? "") })
        let healthyPerService = Dictionary(grouping: deployments.filter { $0.status == .healthy }, by: \.serviceID)
        #expect(healthyPerService.values.allSatisfy { $0.count == 1 })
        #expect(Set(deployments.compactMap(\.appID)).count == 5)
        #expect(Set(deployments.compactMap(\.organizationID)).count == 1)
    }

    @Test func theServerSeedsTheConfiguredCountReproducibly() async throws {
        let configuration = SimulatorConfiguration(deploymentCount: 25, seed: 1234)
        let first = try await SimulatorHarness.with(configuration) { harness in
            try await harness.client.allDeployments(filter: DeploymentFilter())
        }
        let second = try await SimulatorHarness.with(configuration) { harness in
            try await harness.client.allDeployments(filter: DeploymentFilter())
        }
        #expect(first.count == 25)
        #expect(first.map(\.id) == second.map(\.id))
        #expect(first.map(\.status) == second.map(\.status))
    }

    @Test func anUnseededServerPicksAndReportsASeed() async throws {
        let seeds = try await [1, 2].asyncMap { _ in
            try await SimulatorHarness.with(SimulatorConfiguration(deploymentCount: 2)) { $0.server.seed }
        }
        #expect(seeds[0] != seeds[1])
    }
}

extension Array {
    /// `transform` applied to each element in turn.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
