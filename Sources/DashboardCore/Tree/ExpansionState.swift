/// Which nodes are expanded: a baseline rule plus the user's explicit choices, keyed by `NodeID`.
///
/// The baseline `standard` keeps deployments collapsed and, inside an expanded deployment, opens the latest
/// stage and its latest attempt, so one key shows the steps that matter. `expandAll`/`collapseAll` change the
/// baseline instead of touching every node, so they cost nothing on a 10,000-deployment tree.
public struct ExpansionState: Hashable, Sendable {
    /// The rule for nodes the user has not toggled.
    public enum Baseline: Hashable, Sendable {
        case standard
        case allExpanded
        case allCollapsed
    }

    public private(set) var baseline: Baseline = .standard
    private var overrides: [NodeID: Bool] = [:]
    /// Choices made while a filter is shown; they apply only to that filter and go when it changes.
    private var filterOverrides: [NodeID: Bool] = [:]

    public init() {}

    /// Whether `id` is expanded.
    /// - Parameters:
    ///   - isLatest: the node is its deployment's last stage, or its stage's last attempt.
    ///   - forcedByFilter: the active filter matches something below the node.
    ///   - filtering: a filter is active.
    public func isExpanded(_ id: NodeID, isLatest: Bool, forcedByFilter: Bool = false, filtering: Bool = false)
        -> Bool
    {
        if filtering, let choice = filterOverrides[id] { return choice }
        if forcedByFilter { return true }
        if let choice = overrides[id] { return choice }
        switch baseline {
        case .allExpanded: return true
        case .allCollapsed: return false
        case .standard: return id.kind != .deployment && isLatest
        }
    }

    /// Records the user's choice for `id`.
    public mutating func set(_ id: NodeID, expanded: Bool, filtering: Bool) {
        if filtering {
            filterOverrides[id] = expanded
        } else {
            overrides[id] = expanded
        }
    }

    /// Expands every node.
    public mutating func expandAll() {
        baseline = .allExpanded
        overrides = [:]
        filterOverrides = [:]
    }

    /// Collapses every node.
    public mutating func collapseAll() {
        baseline = .allCollapsed
        overrides = [:]
        filterOverrides = [:]
    }

    /// Forgets the choices made under the previous filter.
    public mutating func filterChanged() {
        filterOverrides = [:]
    }

    /// Drops choices about deployments that are gone, so the table does not grow for ever.
    public mutating func prune(keeping deploymentIDs: Set<String>) {
        overrides = overrides.filter { deploymentIDs.contains($0.key.deploymentID) }
        filterOverrides = filterOverrides.filter { deploymentIDs.contains($0.key.deploymentID) }
    }
}
