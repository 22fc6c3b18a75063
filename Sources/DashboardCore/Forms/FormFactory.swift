import Foundation
import ProvisioningCore

/// Opens the forms with their defaults for the node under the cursor.
public enum FormFactory {
    /// **Create attempt** on a deployment or a stage: stage `build` (or the selected one), the next attempt
    /// number, RUNNING, started now, steps from the stage's last attempt (else Koyeb's usual five).
    public static func createAttempt(on node: TreeNode, now: Date, secret: String?) -> FormState? {
        let deployment = node.deployment
        let stageName: String
        switch node {
        case .deployment: stageName = BuildWatcher.buildStage(of: deployment)?.name ?? "build"
        case .stage(let stage, _): stageName = stage.name
        default: return nil
        }
        let stage = deployment.provisioningInfo?.stage(named: stageName)
        let next = (stage?.buildAttempts.map(\.id).max() ?? 0) + 1
        let steps = stage?.buildAttempts.last.map { $0.steps.map(\.name) } ?? StepLabels.usualBuildSteps
        return FormState(
            kind: .createAttempt,
            target: ProvisioningTarget(deploymentID: deployment.id, stage: stageName, attempt: next),
            currentStatus: nil,
            fields: [
                FormField(.stage, .text(stageName)), FormField(.attempt, .text(String(next))),
                FormField(.status, .status(.running)), FormField(.startedAt, .text(FormTime.text(now))),
                FormField(.steps, .list(steps.isEmpty ? StepLabels.usualBuildSteps : steps, draft: "")),
                FormField(.messages, .list([], draft: "")), FormField(.secret, .text(secret ?? "")),
            ])
    }

    /// **Declare stage progress** on a build attempt: its status, finish time (filled with now once a final
    /// status is picked), messages, the three flags.
    public static func stageProgress(on node: TreeNode, secret: String?) -> FormState? {
        guard case .attempt(let attempt, let stage, let deployment) = node else { return nil }
        return FormState(
            kind: .stageProgress,
            target: ProvisioningTarget(deploymentID: deployment.id, stage: stage.name, attempt: attempt.id),
            currentStatus: attempt.status, attemptStartedAt: attempt.startedAt,
            fields: [
                FormField(.status, .status(attempt.status)),
                FormField(.finishedAt, .text(attempt.finishedAt.map(FormTime.text) ?? "")),
                FormField(.messages, .list([], draft: "")),
                FormField(.imagePushed, .flag(attempt.imagePushed ?? false)),
                FormField(.internalFailure, .flag(attempt.internalFailure ?? false)),
                FormField(.retryableFailure, .flag(attempt.retryableFailure ?? false)),
                FormField(.secret, .text(secret ?? "")),
            ])
    }

    /// **Declare step progress** on a step: status, start and finish times, messages.
    public static func stepProgress(on node: TreeNode, secret: String?) -> FormState? {
        guard case .step(let step, let attempt, let stage, let deployment) = node else { return nil }
        return FormState(
            kind: .stepProgress,
            target: ProvisioningTarget(
                deploymentID: deployment.id, stage: stage.name, attempt: attempt.id, step: step.name),
            currentStatus: step.status,
            fields: [
                FormField(.status, .status(step.status)),
                FormField(.startedAt, .text(step.startedAt.map(FormTime.text) ?? "")),
                FormField(.finishedAt, .text(step.finishedAt.map(FormTime.text) ?? "")),
                FormField(.messages, .list([], draft: "")), FormField(.secret, .text(secret ?? "")),
            ])
    }
}

/// Times in forms: RFC 3339 text in UTC, to the second.
public enum FormTime {
    public static func text(_ date: Date) -> String {
        let full = RFC3339.format(date)
        guard let dot = full.firstIndex(of: ".") else { return full }
        return String(full[..<dot]) + "Z"
    }

    /// `date` in `timeZone`, for showing beside the field: `2026-11-29 13:00:00 CET`.
    public static func local(_ date: Date, in timeZone: TimeZone) -> String {
        let parts = components([.year, .month, .day], of: date, in: timeZone)
        let zone = timeZone.abbreviation(for: date) ?? timeZone.identifier
        return "\(parts.year ?? 0)-\(pad(parts.month))-\(pad(parts.day)) \(clock(date, in: timeZone)) \(zone)"
    }

    /// `13:02:24`: the time of day of `date` in `timeZone`, on a 24-hour clock whatever the locale.
    public static func clock(_ date: Date, in timeZone: TimeZone) -> String {
        let parts = components([.hour, .minute, .second], of: date, in: timeZone)
        return "\(pad(parts.hour)):\(pad(parts.minute)):\(pad(parts.second))"
    }

    private static func components(
        _ units: Set<Calendar.Component>, of date: Date, in timeZone: TimeZone
    ) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.dateComponents(units, from: date)
    }

    private static func pad(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
}
