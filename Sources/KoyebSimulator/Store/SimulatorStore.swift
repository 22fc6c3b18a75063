import Foundation
import NIOCore
import ProvisioningCore

/// The simulator's deployments, with the provisioning rules that change them.
///
/// The routes and the simulated builders call the same three declaration functions, so a builder's progress
/// takes exactly the path a real builder's HTTP calls take. When the simulator keeps a state file, a change is
/// on disk before the function that made it returns, and before any read shows it: reads answer from the
/// newest state on disk, while declarations apply to the newest state. A change whose write failed (a 500) is
/// not shown; the next write that succeeds saves it with its own changes, then shows it.
public actor SimulatorStore {
    /// The newest state: what declarations and the simulated builders change.
    private var records: [String: DeploymentRecord] = [:]
    /// Deployment ids, newest first (by `created_at`, then id): the listing order.
    private var order: [String] = []
    /// With a state file, the newest state on disk: what reads answer from. Without one, `nil`, and reads answer
    /// from the newest state.
    private var published: StateSnapshot?
    /// Deployments a simulated builder is working on.
    private var claimedBuilds: Set<String> = []
    private var changeCount: UInt64 = 0
    private let encoder = KoyebJSON.encoder()
    private let persister: StatePersister?

    /// Counts of what the provisioning declarations did, for tests and reliability checks.
    public private(set) var statistics = SimulatorStatistics()

    /// An empty store kept in memory.
    public init() { persister = nil }

    init(_ stored: [StoredDeployment], persister: StatePersister?) throws {
        self.persister = persister
        for entry in stored {
            records[entry.deployment.id] = try DeploymentRecord(
                entry.deployment, secret: entry.secret, encoder: encoder)
        }
        order = records.values.map(\.deployment).sorted(by: Deployment.isListedBefore).map(\.id)
        if persister != nil { published = StateSnapshot(version: 0, records: records, order: order) }
    }

    // MARK: - Reading (what is on disk, when there is a state file)

    private var visibleRecords: [String: DeploymentRecord] { published?.records ?? records }

    /// The deployment with id `id`, if there is one.
    public func deployment(id: String) -> Deployment? { visibleRecords[id]?.deployment }

    /// Every deployment, newest first.
    public func deployments() -> [Deployment] {
        let visible = visibleRecords
        return (published?.order ?? order).compactMap { visible[$0]?.deployment }
    }

    /// How many deployments the store holds.
    public var count: Int { visibleRecords.count }

    /// The encoded reply of `GET /v1/deployments/{id}`.
    func reply(id: String) -> ByteBuffer? { visibleRecords[id]?.reply }

    /// The encoded reply of `GET /v1/deployments` for `query`.
    func page(_ query: DeploymentQuery) -> ByteBuffer {
        let visible = visibleRecords
        var items: [ByteBuffer] = []
        var matching = 0
        for id in published?.order ?? order {
            guard let record = visible[id], query.matches(record.deployment) else { continue }
            if matching >= query.offset, items.count < query.limit { items.append(record.item) }
            matching += 1
        }
        return DeploymentPage.encode(
            items: items, limit: query.limit, offset: query.offset, count: matching,
            hasNext: query.offset + items.count < matching)
    }

    // MARK: - Adding

    /// Adds `deployment`, or replaces the one with the same id. With a `secret`, provisioning declarations for it
    /// must carry that secret in their body.
    public func insert(_ deployment: Deployment, secret: String? = nil) async throws {
        let record = try DeploymentRecord(deployment, secret: secret, encoder: encoder)
        if records.updateValue(record, forKey: deployment.id) != nil { order.removeAll { $0 == deployment.id } }
        let position = order.firstIndex { id in
            records[id].map { Deployment.isListedBefore(deployment, $0.deployment) } ?? false
        }
        order.insert(deployment.id, at: position ?? order.endIndex)
        try await committed()
    }

    // MARK: - Provisioning declarations

    /// `POST /v1/provisioning/{deployment_id}/status/{stage}/{attempt}`.
    public func createStageAttempt(
        _ target: ProvisioningTarget, _ request: CreateStageAttemptRequest, now: Date = Date()
    ) async throws {
        try await declare(target, secret: request.secret, kind: \.attemptsCreated, now: now) { info in
            try ProvisioningRules.createAttempt(
                request, stage: target.stage, attempt: target.attempt, in: &info, now: now)
        }
    }

    /// `PATCH /v1/provisioning/{deployment_id}/status/{stage}/{attempt}`.
    public func declareStageProgress(
        _ target: ProvisioningTarget, _ request: DeclareStageProgressRequest, now: Date = Date()
    ) async throws {
        try await declare(target, secret: request.secret, kind: \.stageDeclarations, now: now) { info in
            try ProvisioningRules.declareAttempt(
                request, stage: target.stage, attempt: target.attempt, in: &info, now: now)
        }
    }

    /// `PATCH /v1/provisioning/{deployment_id}/status/{stage}/{attempt}/{step}`.
    public func declareStepProgress(
        _ target: ProvisioningTarget, _ request: DeclareStepProgressRequest, now: Date = Date()
    ) async throws {
        guard let step = target.step else { preconditionFailure("declareStepProgress needs a target with a step") }
        try await declare(target, secret: request.secret, kind: \.stepDeclarations, now: now) { info in
            try ProvisioningRules.declareStep(
                request, stage: target.stage, attempt: target.attempt, step: step, in: &info, now: now)
        }
    }

    /// Looks the deployment up, checks its secret, applies `change` to its provisioning info, lets the deployment
    /// status follow, and saves. A declaration that changes nothing (a retried PATCH) is accepted and not saved.
    private func declare(
        _ target: ProvisioningTarget, secret: String?, kind: WritableKeyPath<SimulatorStatistics, Int>, now: Date,
        change: (inout ProvisioningInfo) throws -> Void
    ) async throws {
        guard var record = records[target.deploymentID] else {
            statistics.refusedDeclarations += 1
            throw SimulatorError.notFound("deployment \(ProvisioningRules.quoted(target.deploymentID)) not found")
        }
        guard record.accepts(secret: secret) else {
            statistics.refusedDeclarations += 1
            throw SimulatorError.wrongSecret(deploymentID: target.deploymentID)
        }
        var deployment = record.deployment
        var info = deployment.provisioningInfo ?? ProvisioningInfo()
        do {
            try change(&info)
        } catch {
            statistics.refusedDeclarations += 1
            throw error
        }
        guard info != deployment.provisioningInfo ?? ProvisioningInfo() else {
            statistics.unchangedDeclarations += 1
            return
        }
        deployment.provisioningInfo = info
        DeploymentLifecycle.followBuild(&deployment, now: now)
        deployment.updatedAt = now
        try record.update(deployment, encoder: encoder)
        records[target.deploymentID] = record
        statistics[keyPath: kind] += 1
        try await committed()
    }

    // MARK: - The simulated platform

    /// Moves every rolling-out deployment whose current phase began at least `phase` ago one phase on. A
    /// deployment that becomes HEALTHY replaces its service's previous HEALTHY deployment, which is STOPPED.
    func advanceRollouts(now: Date, phase: Duration) async throws {
        let cutoff = now.addingTimeInterval(-phase.seconds)
        let due = records.values.lazy.map(\.deployment).filter {
            DeploymentLifecycle.isRollingOut($0) && ($0.updatedAt ?? .distantPast) <= cutoff
        }
        guard !due.isEmpty else { return }
        for var deployment in Array(due) {
            DeploymentLifecycle.advanceRollout(&deployment, now: now)
            if deployment.status == .healthy, let service = deployment.serviceID {
                try stopHealthy(of: service, now: now)
            }
            deployment.updatedAt = now
            try records[deployment.id]?.update(deployment, encoder: encoder)
        }
        try await committed()
    }

    private func stopHealthy(of service: String, now: Date) throws {
        let replaced = records.values.map(\.deployment).filter { $0.serviceID == service && $0.status == .healthy }
        for var deployment in replaced {
            DeploymentLifecycle.enter(.stopped, deployment: &deployment, now: now)
            deployment.updatedAt = now
            try records[deployment.id]?.update(deployment, encoder: encoder)
        }
    }

    /// Claims the oldest deployment that waits for a builder — PENDING with no build yet, or with a build stage
    /// whose latest attempt has not finished — and returns it with its secret. `nil` when none waits.
    func claimBuild(stage: String) -> (deployment: Deployment, secret: String?)? {
        for id in order.reversed() where !claimedBuilds.contains(id) {
            guard let record = records[id], Self.waitsForBuilder(record.deployment, stage: stage) else { continue }
            claimedBuilds.insert(id)
            return (record.deployment, record.secret)
        }
        return nil
    }

    /// Ends a builder's claim on `id`.
    func releaseBuild(_ id: String) { claimedBuilds.remove(id) }

    private static func waitsForBuilder(_ deployment: Deployment, stage: String) -> Bool {
        guard let build = deployment.provisioningInfo?.stage(named: stage) else {
            return deployment.status == .pending && (deployment.provisioningInfo?.stages ?? []).isEmpty
        }
        return build.buildAttempts.last.map { !$0.status.isTerminal } ?? false
    }

    // MARK: - Persistence

    /// The whole state, as the state file holds it.
    func snapshot() -> StateSnapshot { StateSnapshot(version: changeCount, records: records, order: order) }

    /// Hands the new state to the persister, if any, waits until it is on disk, then lets reads show it.
    private func committed() async throws {
        changeCount += 1
        guard let persister else { return }
        let state = snapshot()
        try await persister.commit(state)
        if state.version > published?.version ?? 0 { published = state }
    }
}

/// What the provisioning declarations did since the store was created.
public struct SimulatorStatistics: Sendable, Hashable {
    /// Attempts created (`POST`).
    public var attemptsCreated = 0
    /// Stage declarations that changed something (`PATCH …/{attempt}`).
    public var stageDeclarations = 0
    /// Step declarations that changed something (`PATCH …/{attempt}/{step}`).
    public var stepDeclarations = 0
    /// Declarations accepted but identical to the current state: retries of a declaration already applied.
    public var unchangedDeclarations = 0
    /// Declarations refused (400, 403, 404).
    public var refusedDeclarations = 0

    public init() {}
}
