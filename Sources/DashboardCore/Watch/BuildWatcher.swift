import Foundation
import ProvisioningCore

/// What `kprov watch` prints and when it stops: the changes between two polls of one deployment, as lines,
/// and whether its build has ended.
public enum BuildWatcher {
    /// How a build stands.
    public enum Outcome: Hashable, Sendable {
        case running
        case completed
        /// FAILED or ABORTED.
        case failed(ProvisioningStatus)
        /// The latest attempt FAILED or was ABORTED with `retryable_failure` set, and the deployment can still
        /// build: a new attempt may follow (a retry is a new attempt).
        case awaitingRetry(attempt: Int64, status: ProvisioningStatus)
        /// No build stage, and the deployment is past the statuses in which one starts.
        case noBuild(DeploymentStatus)
    }

    /// The build stage: the one named `build`, else the last one.
    public static func buildStage(of deployment: Deployment) -> Stage? {
        let stages = deployment.provisioningInfo?.stages ?? []
        return stages.first { $0.name == "build" } ?? stages.last
    }

    /// Whether the build has ended, and how. A stage's own status decides; while it is not final, a final
    /// status of its latest attempt does (an attempt finishing is how builders report the end). A failed stage
    /// whose latest attempt is pending or running is being retried. COMPLETED, FAILED and ABORTED are final for
    /// an attempt, but a failure marked retryable is not the build's end while the deployment can still build.
    public static func outcome(of deployment: Deployment) -> Outcome {
        guard let stage = buildStage(of: deployment) else {
            return awaitsBuild(deployment.status) ? .running : .noBuild(deployment.status)
        }
        let latest = stage.buildAttempts.last
        let status = stage.status.isTerminal ? stage.status : (latest?.status ?? stage.status)
        switch status {
        case .completed:
            return .completed
        case .failed, .aborted:
            guard let latest else { return .failed(status) }
            if [.pending, .running].contains(latest.status) { return .running }
            if latest.retryableFailure == true, mayRetry(deployment.status) {
                return .awaitingRetry(attempt: latest.id, status: status)
            }
            return .failed(status)
        default:
            return .running
        }
    }

    /// PENDING and PROVISIONING: a deployment without a build stage in these statuses may still start one.
    private static func awaitsBuild(_ status: DeploymentStatus) -> Bool {
        [.pending, .provisioning].contains(status)
    }

    /// A deployment whose build failed can get a new attempt while it is building or in error — not once it is
    /// canceled, stopped or rolled out.
    private static func mayRetry(_ status: DeploymentStatus) -> Bool {
        [.pending, .provisioning, .erroring, .error].contains(status)
    }

    /// One line per change from `old` (the previous poll, `nil` at first) to `new`: stages, attempts and steps
    /// whose status changed, and messages that appeared. Lines carry no time; the caller prefixes it.
    public static func changes(from old: Deployment?, to new: Deployment, glyphs: Glyphs) -> [String] {
        var lines: [String] = []
        if old == nil || old?.status != new.status {
            lines.append("deployment \(new.id) \(new.status.rawValue)")
        }
        for stage in new.provisioningInfo?.stages ?? [] {
            let oldStage = old?.provisioningInfo?.stage(named: stage.name)
            if oldStage?.status != stage.status {
                lines.append("\(stage.name) \(status(stage.status, glyphs))")
            }
            lines += newMessages(stage.messages, since: oldStage?.messages, indent: "  ")
            for attempt in stage.buildAttempts {
                let oldAttempt = oldStage?.attempt(id: attempt.id)
                let prefix = "\(stage.name) #\(attempt.id)"
                if oldAttempt?.status != attempt.status {
                    lines.append("\(prefix) \(status(attempt.status, glyphs))\(flags(of: attempt))")
                }
                lines += newMessages(attempt.messages, since: oldAttempt?.messages, indent: "  ")
                for step in attempt.steps {
                    let oldStep = oldAttempt?.step(named: step.name)
                    if oldStep?.status != step.status {
                        let elapsed =
                            step.finishedAt.flatMap { end in
                                DurationText.elapsed(from: step.startedAt, to: end, now: end).map { " in \($0)" }
                            } ?? ""
                        lines.append(
                            "\(prefix) \(StepLabels.label(for: step.name)) (\(step.name)) "
                                + "\(status(step.status, glyphs))\(elapsed)"
                        )
                    }
                    lines += newMessages(step.messages, since: oldStep?.messages, indent: "  ")
                }
            }
        }
        return lines.map { TerminalText.sanitized($0, limit: 400) }
    }

    private static func status(_ status: ProvisioningStatus, _ glyphs: Glyphs) -> String {
        let kind = ProvisioningStatusKind(status)
        let icon = kind == .running ? glyphs.spinner[0] : glyphs.icon(for: kind, frame: 0)
        return "\(icon) \(status.rawValue)"
    }

    private static func flags(of attempt: BuildAttempt) -> String {
        let names = AttemptFlags.names(of: attempt)
        return names.isEmpty ? "" : " (" + names.joined(separator: ", ") + ")"
    }

    private static func newMessages(_ messages: [String], since old: [String]?, indent: String) -> [String] {
        let old = old ?? []
        let fresh =
            messages.starts(with: old) ? Array(messages.dropFirst(old.count)) : messages.filter { !old.contains($0) }
        return fresh.map { indent + $0 }
    }
}

/// The flags of a build attempt by name, as the tree and `kprov watch` show them.
public enum AttemptFlags {
    public static func names(of attempt: BuildAttempt) -> [String] {
        var names: [String] = []
        if attempt.imagePushed == true { names.append("image pushed") }
        if attempt.internalFailure == true { names.append("internal failure") }
        if attempt.retryableFailure == true { names.append("retryable failure") }
        if attempt.waitCompletion == true { names.append("waiting for completion") }
        return names
    }
}
