import Foundation
import ProvisioningCore

/// How a deployment's own status follows its build, the way Koyeb's console shows it:
/// PENDING → PROVISIONING while building → SCHEDULED → ALLOCATING → STARTING → HEALTHY on success, ERROR on
/// failure.
///
/// - A stage's status, messages and `finished_at` are those of its latest attempt (the last one created); its
///   `started_at` is the earliest attempt's.
/// - After a declaration: if any stage's latest attempt FAILED or was ABORTED the deployment is ERROR; else if
///   any is still PENDING or RUNNING it is PROVISIONING (a new attempt after a failure — a retry — brings an
///   ERROR deployment back to PROVISIONING); else, every stage having COMPLETED, a deployment that was
///   building (PENDING, PROVISIONING or ERROR) is SCHEDULED.
/// - A SCHEDULED deployment then rolls out by itself, one phase at a time (see `nextRolloutStatus`); once
///   HEALTHY it replaces its service's previous HEALTHY deployment, which becomes STOPPED.
enum DeploymentLifecycle {
    /// Recomputes the stages' summaries and the deployment's status after its build changed.
    static func followBuild(_ deployment: inout Deployment, now: Date) {
        guard var info = deployment.provisioningInfo else { return }
        for index in info.stages.indices { summarize(&info.stages[index]) }
        deployment.provisioningInfo = info
        let latest = info.stages.compactMap { $0.buildAttempts.last }
        guard !latest.isEmpty else { return }
        if let failed = latest.first(where: { $0.status == .failed || $0.status == .aborted }) {
            enter(.error, deployment: &deployment, now: now, detail: failed.messages.last)
        } else if latest.contains(where: { !$0.status.isTerminal }) {
            enter(.provisioning, deployment: &deployment, now: now)
        } else if [.pending, .provisioning, .error].contains(deployment.status) {
            enter(.scheduled, deployment: &deployment, now: now)
        }
    }

    /// The roll-out phase after `status`: SCHEDULED → ALLOCATING → STARTING → HEALTHY; `nil` otherwise.
    static func nextRolloutStatus(after status: DeploymentStatus) -> DeploymentStatus? {
        switch status {
        case .scheduled: .allocating
        case .allocating: .starting
        case .starting: .healthy
        default: nil
        }
    }

    /// Whether the deployment is rolling out, so time alone moves it on.
    static func isRollingOut(_ deployment: Deployment) -> Bool {
        nextRolloutStatus(after: deployment.status) != nil
    }

    /// Moves a rolling-out deployment one phase on.
    static func advanceRollout(_ deployment: inout Deployment, now: Date) {
        guard let next = nextRolloutStatus(after: deployment.status) else { return }
        enter(next, deployment: &deployment, now: now)
    }

    /// Sets `status` with the dates and console messages that go with it. Nothing changes when the deployment
    /// is already in that status.
    static func enter(_ status: DeploymentStatus, deployment: inout Deployment, now: Date, detail: String? = nil) {
        guard deployment.status != status else { return }
        deployment.status = status
        switch status {
        case .allocating: deployment.allocatedAt = now
        case .starting: deployment.startedAt = now
        case .healthy: deployment.succeededAt = now
        case .error, .stopped, .canceled: deployment.terminatedAt = now
        default: break
        }
        deployment.messages = message(for: status).map { [$0] + (detail.map { [$0] } ?? []) }
    }

    private static func summarize(_ stage: inout Stage) {
        guard let latest = stage.buildAttempts.last else { return }
        stage.status = latest.status
        stage.messages = latest.messages
        stage.startedAt = stage.buildAttempts.compactMap(\.startedAt).min()
        stage.finishedAt = latest.status.isTerminal ? latest.finishedAt : nil
    }

    /// The message Koyeb's console shows for a deployment in `status`, if any.
    static func message(for status: DeploymentStatus) -> String? {
        switch status {
        case .pending: "Deployment is waiting for a builder"
        case .provisioning: "Building the application"
        case .scheduled: "Build completed; deployment scheduled"
        case .allocating: "Allocating instances"
        case .starting: "Starting instances"
        case .healthy: "Deployment is healthy"
        case .error: "Build failed"
        case .stopped: "Deployment stopped: superseded by a newer deployment"
        case .canceled: "Deployment canceled"
        default: nil
        }
    }
}
