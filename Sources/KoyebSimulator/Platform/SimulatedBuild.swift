import Foundation
import ProvisioningCore

/// One deployment's build, driven the way a real builder drives it, through the store's declaration functions
/// (the ones the HTTP routes call): create an attempt RUNNING with its planned steps; declare each step RUNNING
/// then COMPLETED, or FAILED with its messages; declare the attempt's final state with `finished_at`,
/// `image_pushed` and, on failure, `internal_failure` and `retryable_failure`; after a retryable failure, try
/// again as a new attempt (at most three).
///
/// A build that a previous run left half-done resumes at its first unfinished step.
struct SimulatedBuild {
    static let maximumAttempts: Int64 = 3

    let store: SimulatorStore
    let pace: Pace
    let secret: String?
    /// The deployment as it was when the build was claimed.
    private let deployment: Deployment
    private let context: BuildContext
    private var random: SplitMix64

    init(deployment: Deployment, secret: String?, store: SimulatorStore, pace: Pace, seed: UInt64) {
        self.store = store
        self.pace = pace
        self.secret = secret
        self.deployment = deployment
        random = SplitMix64(seed: seed, stream: "build:" + deployment.id)
        context = BuildContext(deployment: deployment, random: &random)
    }

    /// Builds the deployment to the end: COMPLETED, or FAILED after its last attempt.
    mutating func run() async throws {
        let stage = deployment.provisioningInfo?.stage(named: BuildCatalog.stage)
        var attempt: BuildAttempt
        if let unfinished = stage?.buildAttempts.last, !unfinished.status.isTerminal {
            attempt = unfinished
            if attempt.status != .running {
                try await declareAttempt(attempt.id, DeclareStageProgressRequest(secret: secret, status: .running))
            }
        } else {
            let next = (stage?.buildAttempts.map(\.id).max() ?? 0) + 1
            attempt = try await createAttempt(next, steps: BuildCatalog.recipe(using: &random))
        }
        while true {
            let failure = try await runSteps(of: attempt)
            try await declareAttempt(
                attempt.id,
                DeclareStageProgressRequest(
                    secret: secret, status: failure == nil ? .completed : .failed, finishedAt: Date(),
                    messages: failure?.messages, imagePushed: failure == nil, internalFailure: failure?.isInternal,
                    retryableFailure: failure?.isRetryable))
            guard let failure, failure.isRetryable, attempt.id < Self.maximumAttempts else { return }
            try await Task.sleep(for: pace.retryDelay)
            attempt = try await createAttempt(attempt.id + 1, steps: attempt.steps.map(\.name))
        }
    }

    // MARK: - Steps

    /// Runs the unfinished steps; a first attempt fails at some step one time in four, a retry one time in ten.
    /// Returns the failure, or `nil` when every step completed.
    private mutating func runSteps(of attempt: BuildAttempt) async throws -> BuildFailure? {
        let failingAt = random.chance(attempt.id == 1 ? 0.25 : 0.1) ? random.index(below: attempt.steps.count) : nil
        for (index, step) in attempt.steps.enumerated() where !step.status.isTerminal {
            let target = ProvisioningTarget(
                deploymentID: deployment.id, stage: BuildCatalog.stage, attempt: attempt.id, step: step.name)
            if step.status != .running {
                try await store.declareStepProgress(
                    target,
                    DeclareStepProgressRequest(
                        secret: secret, status: .running, startedAt: Date(),
                        messages: BuildCatalog.runningMessages(of: step.name, build: context)))
            }
            try await Task.sleep(for: pace.step(using: &random))
            if index == failingAt {
                let failure = BuildCatalog.failure(of: step.name, build: context)
                try await store.declareStepProgress(
                    target,
                    DeclareStepProgressRequest(
                        secret: secret, status: .failed, finishedAt: Date(), messages: failure.messages))
                return failure
            }
            try await store.declareStepProgress(
                target,
                DeclareStepProgressRequest(
                    secret: secret, status: .completed, finishedAt: Date(),
                    messages: BuildCatalog.completedMessages(of: step.name, build: context)))
        }
        return nil
    }

    // MARK: - Attempts

    private func createAttempt(_ id: Int64, steps: [String]) async throws -> BuildAttempt {
        try await store.createStageAttempt(
            ProvisioningTarget(deploymentID: deployment.id, stage: BuildCatalog.stage, attempt: id),
            CreateStageAttemptRequest(secret: secret, status: .running, startedAt: Date(), steps: steps))
        return BuildAttempt(id: id, status: .running, steps: steps.map { BuildStep(name: $0, status: .pending) })
    }

    private func declareAttempt(_ id: Int64, _ request: DeclareStageProgressRequest) async throws {
        try await store.declareStageProgress(
            ProvisioningTarget(deploymentID: deployment.id, stage: BuildCatalog.stage, attempt: id), request)
    }
}
