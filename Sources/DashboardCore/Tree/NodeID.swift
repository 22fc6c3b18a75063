/// The kind of a node in the deployment tree.
public enum NodeKind: Int, Hashable, Sendable, Comparable {
    case deployment, stage, attempt, step

    public static func < (lhs: NodeKind, rhs: NodeKind) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Identifies a node of the tree by the ids Koyeb gives it — never by a row number — so the cursor and the
/// expansion survive refreshes that add, remove or reorder rows.
public struct NodeID: Hashable, Sendable, CustomStringConvertible {
    public var deploymentID: String
    public var stage: String?
    public var attempt: Int64?
    public var step: String?

    /// A deployment.
    public init(deployment: String) {
        deploymentID = deployment
    }

    /// A stage of a deployment.
    public init(deployment: String, stage: String) {
        deploymentID = deployment
        self.stage = stage
    }

    /// A build attempt of a stage.
    public init(deployment: String, stage: String, attempt: Int64) {
        deploymentID = deployment
        self.stage = stage
        self.attempt = attempt
    }

    /// A step of a build attempt.
    public init(deployment: String, stage: String, attempt: Int64, step: String) {
        deploymentID = deployment
        self.stage = stage
        self.attempt = attempt
        self.step = step
    }

    public var kind: NodeKind {
        if step != nil { return .step }
        if attempt != nil { return .attempt }
        if stage != nil { return .stage }
        return .deployment
    }

    /// The node one level up, or `nil` for a deployment.
    public var parent: NodeID? {
        switch kind {
        case .deployment: nil
        case .stage: NodeID(deployment: deploymentID)
        case .attempt: NodeID(deployment: deploymentID, stage: stage ?? "")
        case .step: NodeID(deployment: deploymentID, stage: stage ?? "", attempt: attempt ?? 0)
        }
    }

    /// This node's ancestors, nearest first.
    public var ancestors: [NodeID] {
        var result: [NodeID] = []
        var current = parent
        while let node = current {
            result.append(node)
            current = node.parent
        }
        return result
    }

    /// `deployment/stage/#attempt/step`, for messages and tests.
    public var description: String {
        var text = deploymentID
        if let stage { text += "/\(stage)" }
        if let attempt { text += "/#\(attempt)" }
        if let step { text += "/\(step)" }
        return text
    }
}
