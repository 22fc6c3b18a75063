import ProvisioningCore

/// A node of the tree with the model value it shows.
public enum TreeNode: Sendable {
    case deployment(Deployment)
    case stage(Stage, in: Deployment)
    case attempt(BuildAttempt, stage: Stage, in: Deployment)
    case step(BuildStep, attempt: BuildAttempt, stage: Stage, in: Deployment)

    /// The deployment the node belongs to.
    public var deployment: Deployment {
        switch self {
        case .deployment(let deployment), .stage(_, let deployment), .attempt(_, _, let deployment),
            .step(_, _, _, let deployment):
            deployment
        }
    }

    public var kind: NodeKind {
        switch self {
        case .deployment: .deployment
        case .stage: .stage
        case .attempt: .attempt
        case .step: .step
        }
    }

    /// The provisioning status of a stage, attempt or step; `nil` for a deployment.
    public var provisioningStatus: ProvisioningStatus? {
        switch self {
        case .deployment: nil
        case .stage(let stage, _): stage.status
        case .attempt(let attempt, _, _): attempt.status
        case .step(let step, _, _, _): step.status
        }
    }

    /// Finds the node `id` names in `deployment`, or `nil` when the deployment has no such node.
    public static func find(_ id: NodeID, in deployment: Deployment) -> TreeNode? {
        guard let stageName = id.stage else { return .deployment(deployment) }
        guard let stage = deployment.provisioningInfo?.stage(named: stageName) else { return nil }
        guard let attemptID = id.attempt else { return .stage(stage, in: deployment) }
        guard let attempt = stage.attempt(id: attemptID) else { return nil }
        guard let stepName = id.step else { return .attempt(attempt, stage: stage, in: deployment) }
        guard let step = attempt.step(named: stepName) else { return nil }
        return .step(step, attempt: attempt, stage: stage, in: deployment)
    }
}
