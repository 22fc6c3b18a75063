import Foundation
import ProvisioningCore

/// Generates realistic deployments: newest ones pending or building, older ones healthy, failed, retried after
/// a failure, or stopped because a newer deployment of their service replaced them. The same seed and `now`
/// give the same deployments.
struct SeedGenerator {
    let world: SeedWorld
    private var random: SplitMix64

    /// - Parameter stream: separates independent sequences of one seed (seed data, deployments that arrive
    ///   later).
    init(world: SeedWorld, seed: UInt64, stream: String) {
        self.world = world
        random = SplitMix64(seed: seed, stream: stream)
    }

    /// `count` deployments created before `now`, newest first.
    mutating func deployments(count: Int, now: Date) -> [Deployment] {
        let recent = max(2, count / 6)
        var createdAt = now
        var deployments: [Deployment] = []
        for index in 0..<count {
            let isRecent = index < recent
            createdAt = createdAt.addingTimeInterval(
                -(isRecent ? random.uniform(15...240) : random.uniform(120...10_800)))
            deployments.append(
                isRecent ? recentDeployment(createdAt: createdAt, now: now) : pastDeployment(createdAt: createdAt))
        }
        retireSuperseded(&deployments)
        return deployments
    }

    /// A deployment just created, PENDING, waiting for a builder.
    mutating func newDeployment(createdAt: Date) -> Deployment {
        let service = random.pick(world.services)
        let sha = random.hex(40)
        let commitMessage = random.pick(Runtime.commitMessages)
        let id = random.uuid()
        var deployment = Deployment(
            id: id, status: .pending, appID: service.appID, serviceID: service.id,
            organizationID: world.organizationID, createdAt: createdAt, updatedAt: createdAt,
            provisioningInfo: ProvisioningInfo(
                sha: sha, image: "registry01.prod.koyeb.com/k-\(world.organizationID)/\(service.id):\(id.prefix(8))"),
            definition: service.definition, messages: DeploymentLifecycle.message(for: .pending).map { [$0] })
        deployment.metadata = .object([
            "trigger": .object([
                "type": .string("GIT"), "actor": .string("USER"),
                "git": .object([
                    "provider": .string("GITHUB"), "repository": .string(service.repository),
                    "branch": .string("main"), "sha": .string(sha), "message": .string(commitMessage),
                ]),
            ])
        ])
        deployment.deploymentGroup = "prod"
        return deployment
    }

    // MARK: - Scenarios

    /// Pending, or building right now.
    private mutating func recentDeployment(createdAt: Date, now: Date) -> Deployment {
        var deployment = newDeployment(createdAt: createdAt)
        guard random.chance(0.65) else { return deployment }
        let build = BuildContext(deployment: deployment, random: &random)
        let start = max(createdAt, now.addingTimeInterval(-random.uniform(5...90)))
        let attempt = BuildHistory.runningAttempt(
            id: 1, steps: BuildCatalog.recipe(using: &random), start: start, now: now, build: build, random: &random)
        record([attempt], in: &deployment, at: start)
        // The steps that ran since the start changed the deployment too.
        let stepTimes = attempt.steps.flatMap { [$0.startedAt, $0.finishedAt] }.compactMap { $0 }
        deployment.updatedAt = stepTimes.max().map { max($0, start) } ?? start
        return deployment
    }

    /// Finished one way or another.
    private mutating func pastDeployment(createdAt: Date) -> Deployment {
        var deployment = newDeployment(createdAt: createdAt)
        let draw = random.unit()
        guard draw >= 0.04 else {
            DeploymentLifecycle.enter(.canceled, deployment: &deployment, now: createdAt.addingTimeInterval(30))
            return deployment
        }
        let build = BuildContext(deployment: deployment, random: &random)
        let steps = BuildCatalog.recipe(using: &random)
        var start = createdAt.addingTimeInterval(random.uniform(2...20))
        var attempts: [BuildAttempt] = []
        if draw < 0.30 {
            let failingAt = random.index(below: steps.count)
            let (failed, end) = BuildHistory.finishedAttempt(
                id: 1, steps: steps, start: start, failingAt: failingAt, build: build, random: &random)
            attempts.append(failed)
            start = end.addingTimeInterval(random.uniform(5...30))
            guard failed.retryableFailure == true else {
                record(attempts, in: &deployment, at: end)
                return deployment
            }
        }
        let (completed, end) = BuildHistory.finishedAttempt(
            id: Int64(attempts.count + 1), steps: steps, start: start, failingAt: nil, build: build, random: &random)
        attempts.append(completed)
        record(attempts, in: &deployment, at: end)
        var time = end
        while DeploymentLifecycle.isRollingOut(deployment) {
            time = time.addingTimeInterval(random.uniform(3...20))
            DeploymentLifecycle.advanceRollout(&deployment, now: time)
            deployment.updatedAt = time
        }
        return deployment
    }

    private func record(_ attempts: [BuildAttempt], in deployment: inout Deployment, at time: Date) {
        deployment.provisioningInfo?.stages = [Stage(name: BuildCatalog.stage, buildAttempts: attempts)]
        DeploymentLifecycle.followBuild(&deployment, now: time)
        deployment.updatedAt = time
    }

    /// Only the newest healthy deployment of a service stays HEALTHY; older ones were stopped when it succeeded.
    private func retireSuperseded(_ deployments: inout [Deployment]) {
        var replacedAt: [String: Date] = [:]
        for index in deployments.indices where deployments[index].status == .healthy {
            guard let service = deployments[index].serviceID else { continue }
            if let time = replacedAt[service] {
                DeploymentLifecycle.enter(.stopped, deployment: &deployments[index], now: time)
                deployments[index].updatedAt = time
            } else {
                replacedAt[service] = deployments[index].succeededAt
            }
        }
    }
}

extension BuildContext {
    /// The build of `deployment`: its sha and image, the commit message of its trigger, and a runtime drawn from
    /// `random`.
    init(deployment: Deployment, random: inout SplitMix64) {
        self.init(
            sha: deployment.provisioningInfo?.sha ?? random.hex(40),
            commitMessage: deployment.metadata?["trigger"]?["git"]?["message"]?.stringValue ?? "Deploy",
            image: deployment.provisioningInfo?.image ?? "registry01.prod.koyeb.com/\(deployment.id)",
            digest: random.hex(64), runtime: random.pick(Runtime.all))
    }
}
