/// One visible row of the flattened tree: which node, how deep, and what the tree guides to its left show.
public struct TreeRow: Hashable, Sendable {
    public var id: NodeID
    /// 0 for a deployment, 1 for a stage, 2 for an attempt, 3 for a step.
    public var depth: Int
    public var hasChildren: Bool
    public var isExpanded: Bool
    /// Whether this node is the last child of its parent (`└─` rather than `├─`).
    public var isLastSibling: Bool
    /// For each ancestor level from 1 to `depth - 1`: whether a vertical guide continues there, i.e. whether the
    /// ancestor at that level has siblings below it.
    public var continuingGuides: [Bool]

    public init(
        id: NodeID, depth: Int, hasChildren: Bool, isExpanded: Bool, isLastSibling: Bool,
        continuingGuides: [Bool] = []
    ) {
        self.id = id
        self.depth = depth
        self.hasChildren = hasChildren
        self.isExpanded = isExpanded
        self.isLastSibling = isLastSibling
        self.continuingGuides = continuingGuides
    }
}
