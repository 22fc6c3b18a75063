import Foundation
import ProvisioningCore

/// The simulator's rules for the three provisioning declarations, applied to a deployment's
/// `provisioning_info`. Nothing public documents Koyeb's own rules; these are the simulator's, and the README
/// lists them:
///
/// - Creating an attempt creates its stage when missing; an attempt id already used for that stage is refused.
/// - A step can only be declared if the attempt listed it in `steps`; unknown stages, attempts and steps are 404.
/// - Statuses only move forward — PENDING → RUNNING → COMPLETED, FAILED or ABORTED — and a finished item keeps
///   its status; declaring the current status again is accepted (a retried PATCH must succeed).
///   `UNKNOWN`, like an absent status, leaves the status as it is (proto3's unset value).
/// - A step cannot start once its attempt has finished.
/// - `finished_at` is only accepted with a final status, and never before `started_at`.
/// - RUNNING without `started_at` starts now; a final status without `finished_at` finishes now.
/// - `messages`, when given, replace the item's messages.
///
/// Every check runs before anything changes: a refused declaration leaves no trace.
enum ProvisioningRules {
    // MARK: - The three declarations

    /// `POST …/{stage}/{attempt}`.
    static func createAttempt(
        _ request: CreateStageAttemptRequest, stage: String, attempt id: Int64, in info: inout ProvisioningInfo,
        now: Date
    ) throws(SimulatorError) {
        let existing = info.stages.firstIndex { $0.name == stage }
        if let existing, info.stages[existing].attempt(id: id) != nil {
            throw .refused(
                field: "attempt",
                "attempt \(id) of stage \(quoted(stage)) already exists; a retry needs a new attempt number")
        }
        let status = try declaredStatus(request.status) ?? .pending
        let stepNames = try plannedSteps(request.steps ?? [])
        let startedAt = request.startedAt ?? (status == .pending ? nil : now)
        let attempt = BuildAttempt(
            id: id, status: status, messages: request.messages ?? [], startedAt: startedAt,
            finishedAt: status.isTerminal ? finishTime(now: now, startedAt: startedAt) : nil,
            steps: stepNames.map { BuildStep(name: $0, status: .pending) })
        if let existing {
            info.stages[existing].buildAttempts.append(attempt)
        } else {
            info.stages.append(Stage(name: stage, buildAttempts: [attempt]))
        }
    }

    /// `PATCH …/{stage}/{attempt}`.
    static func declareAttempt(
        _ request: DeclareStageProgressRequest, stage: String, attempt id: Int64, in info: inout ProvisioningInfo,
        now: Date
    ) throws(SimulatorError) {
        let (stageIndex, attemptIndex) = try locate(stage: stage, attempt: id, in: info)
        var attempt = info.stages[stageIndex].buildAttempts[attemptIndex]
        let label = "attempt \(id) of stage \(quoted(stage))"
        let status = try declaredStatus(request.status) ?? attempt.status
        try checkTransition(from: attempt.status, to: status, of: label)
        try checkFinishTime(request.finishedAt, status: status, startedAt: attempt.startedAt)
        apply(status: status, startedAt: nil, finishedAt: request.finishedAt, to: &attempt, now: now)
        if let messages = request.messages { attempt.messages = messages }
        if let imagePushed = request.imagePushed { attempt.imagePushed = imagePushed }
        if let internalFailure = request.internalFailure { attempt.internalFailure = internalFailure }
        if let retryableFailure = request.retryableFailure { attempt.retryableFailure = retryableFailure }
        info.stages[stageIndex].buildAttempts[attemptIndex] = attempt
    }

    /// `PATCH …/{stage}/{attempt}/{step}`.
    static func declareStep(
        _ request: DeclareStepProgressRequest, stage: String, attempt id: Int64, step name: String,
        in info: inout ProvisioningInfo, now: Date
    ) throws(SimulatorError) {
        let (stageIndex, attemptIndex) = try locate(stage: stage, attempt: id, in: info)
        let attempt = info.stages[stageIndex].buildAttempts[attemptIndex]
        guard let stepIndex = attempt.steps.firstIndex(where: { $0.name == name }) else {
            let declared = attempt.steps.map(\.name).joined(separator: ", ")
            throw .notFound(
                "attempt \(id) of stage \(quoted(stage)) has no step \(quoted(name)); its steps: "
                    + (declared.isEmpty ? "none" : declared))
        }
        var step = attempt.steps[stepIndex]
        let label = "step \(quoted(name)) of attempt \(id)"
        let status = try declaredStatus(request.status) ?? step.status
        try checkTransition(from: step.status, to: status, of: label)
        if attempt.status.isTerminal, !status.isTerminal, status != step.status {
            throw .refused(
                field: "status", "attempt \(id) of stage \(quoted(stage)) is \(attempt.status): its steps cannot start")
        }
        try checkFinishTime(request.finishedAt, status: status, startedAt: request.startedAt ?? step.startedAt)
        if request.finishedAt == nil, let startedAt = request.startedAt, let finishedAt = step.finishedAt,
            startedAt > finishedAt
        {
            throw .invalid(
                field: "started_at",
                "\(RFC3339.format(startedAt)) is after the step's finished_at \(RFC3339.format(finishedAt))")
        }
        apply(status: status, startedAt: request.startedAt, finishedAt: request.finishedAt, to: &step, now: now)
        if let messages = request.messages { step.messages = messages }
        info.stages[stageIndex].buildAttempts[attemptIndex].steps[stepIndex] = step
    }

    // MARK: - Checks

    /// The declared status, or `nil` when absent or `UNKNOWN`; an unrecognised value is a 400 on `status`.
    private static func declaredStatus(_ status: ProvisioningStatus?) throws(SimulatorError) -> ProvisioningStatus? {
        guard let status else { return nil }
        guard status.isRecognized else {
            throw .invalid(
                field: "status",
                "\(quoted(status.rawValue)) is not a status; allowed: \(ProvisioningStatus.recognizedList)")
        }
        return status == .unknown ? nil : status
    }

    private static func plannedSteps(_ names: [String]) throws(SimulatorError) -> [String] {
        var seen = Set<String>()
        for name in names {
            guard !name.isEmpty else { throw .invalid(field: "steps", "a step name must not be empty") }
            guard seen.insert(name).inserted else {
                throw .invalid(field: "steps", "step \(quoted(name)) is listed twice; each step is planned once")
            }
        }
        return names
    }

    private static func rank(_ status: ProvisioningStatus) -> Int {
        switch status {
        case .pending: 1
        case .running: 2
        case _ where status.isTerminal: 3
        default: 0
        }
    }

    private static func checkTransition(
        from current: ProvisioningStatus, to next: ProvisioningStatus, of label: String
    ) throws(SimulatorError) {
        guard next != current else { return }
        if current.isTerminal {
            throw .refused(
                field: "status",
                "\(label) is already \(current) and cannot become \(next): a finished item keeps its status "
                    + "(a retry is a new attempt)")
        }
        if rank(next) < rank(current) {
            throw .refused(field: "status", "\(label) is \(current) and cannot go back to \(next)")
        }
    }

    private static func checkFinishTime(
        _ finishedAt: Date?, status: ProvisioningStatus, startedAt: Date?
    ) throws(SimulatorError) {
        guard let finishedAt else { return }
        if let refusal = status.finishTimeRefusal { throw .invalid(field: "finished_at", refusal) }
        if let startedAt, finishedAt < startedAt {
            throw .invalid(
                field: "finished_at",
                "\(RFC3339.format(finishedAt)) is before started_at \(RFC3339.format(startedAt))")
        }
    }

    // MARK: - Updating

    private static func locate(
        stage: String, attempt id: Int64, in info: ProvisioningInfo
    ) throws(SimulatorError) -> (stage: Int, attempt: Int) {
        guard let stageIndex = info.stages.firstIndex(where: { $0.name == stage }) else {
            throw .notFound("the deployment has no stage \(quoted(stage)); create an attempt to start it")
        }
        guard let attemptIndex = info.stages[stageIndex].buildAttempts.firstIndex(where: { $0.id == id }) else {
            throw .notFound("stage \(quoted(stage)) has no attempt \(id)")
        }
        return (stageIndex, attemptIndex)
    }

    private static func apply(
        status: ProvisioningStatus, startedAt: Date?, finishedAt: Date?, to item: inout some TimedProgress,
        now: Date
    ) {
        item.status = status
        if let startedAt { item.startedAt = startedAt }
        if status == .running, item.startedAt == nil { item.startedAt = now }
        if let finishedAt { item.finishedAt = finishedAt }
        if status.isTerminal, item.finishedAt == nil {
            item.finishedAt = finishTime(now: now, startedAt: item.startedAt)
        }
    }

    /// `now`, or `startedAt` when a client's clock put the start in the future: never a finish before a start.
    private static func finishTime(now: Date, startedAt: Date?) -> Date {
        max(now, startedAt ?? now)
    }

    /// A name from the outside world, quoted and made safe for a one-line message.
    static func quoted(_ text: String) -> String {
        "\"" + TerminalText.sanitized(text, limit: 80) + "\""
    }
}

/// An attempt or a step: something with a status and the times it started and finished.
protocol TimedProgress {
    var status: ProvisioningStatus { get set }
    var startedAt: Date? { get set }
    var finishedAt: Date? { get set }
}

extension BuildAttempt: TimedProgress {}
extension BuildStep: TimedProgress {}
