import Foundation
import ProvisioningCore

/// What the dashboard does with a declaration besides sending it: a toast line, and the tree as it will look.
extension Declaration {
    /// What was declared, for a toast: `created build #2 RUNNING`, `git-clone COMPLETED`.
    public var summary: String {
        let target = self.target
        let status = self.status?.rawValue ?? "-"
        let text =
            switch self {
            case .createAttempt: "created \(target.stage) #\(target.attempt) \(status)"
            case .stageProgress: "\(target.stage) #\(target.attempt) \(status)"
            case .stepProgress: "\(target.step ?? "") \(status) (\(target.stage) #\(target.attempt))"
            }
        return TerminalText.sanitized(text, limit: 120)
    }

    /// `deployment` as it will look once the API has applied this declaration, so the tree can show the new
    /// state at once; the next refresh replaces it with the API's view.
    public func applied(to deployment: Deployment) -> Deployment {
        var deployment = deployment
        var info = deployment.provisioningInfo ?? ProvisioningInfo()
        let target = self.target
        var stageIndex = info.stages.firstIndex { $0.name == target.stage }
        if stageIndex == nil, case .createAttempt = self {
            info.stages.append(Stage(name: target.stage, status: .pending))
            stageIndex = info.stages.count - 1
        }
        guard let stageIndex else { return deployment }
        var stage = info.stages[stageIndex]
        switch self {
        case .createAttempt(_, let request):
            let attempt = BuildAttempt(
                id: target.attempt, status: request.status ?? .running, messages: request.messages ?? [],
                startedAt: request.startedAt,
                steps: (request.steps ?? []).map { BuildStep(name: $0, status: .pending) })
            stage.buildAttempts.removeAll { $0.id == target.attempt }
            stage.buildAttempts.append(attempt)
            stage.status = attempt.status
        case .stageProgress(_, let request):
            guard let index = stage.buildAttempts.firstIndex(where: { $0.id == target.attempt }) else {
                return deployment
            }
            var attempt = stage.buildAttempts[index]
            attempt.status = request.status ?? attempt.status
            attempt.finishedAt = request.finishedAt ?? attempt.finishedAt
            attempt.messages = request.messages ?? attempt.messages
            attempt.imagePushed = request.imagePushed ?? attempt.imagePushed
            attempt.internalFailure = request.internalFailure ?? attempt.internalFailure
            attempt.retryableFailure = request.retryableFailure ?? attempt.retryableFailure
            stage.buildAttempts[index] = attempt
            if index == stage.buildAttempts.count - 1 { stage.status = attempt.status }
        case .stepProgress(_, let request):
            guard let index = stage.buildAttempts.firstIndex(where: { $0.id == target.attempt }),
                let stepIndex = stage.buildAttempts[index].steps.firstIndex(where: { $0.name == target.step })
            else { return deployment }
            var step = stage.buildAttempts[index].steps[stepIndex]
            step.status = request.status ?? step.status
            step.startedAt = request.startedAt ?? step.startedAt
            step.finishedAt = request.finishedAt ?? step.finishedAt
            step.messages = request.messages ?? step.messages
            stage.buildAttempts[index].steps[stepIndex] = step
        }
        info.stages[stageIndex] = stage
        deployment.provisioningInfo = info
        return deployment
    }
}
