import ProvisioningCore

/// Turns one deployment into its visible rows, given the expansion and the filter.
///
/// Work is bounded by the size of one deployment (a handful of stages, attempts and steps), which is what lets
/// `DeploymentTree` flatten lazily, only the deployments the viewport shows.
///
/// Under an active filter a node is shown when it or something below it matches, or when it sits below a
/// matching node and its parent is expanded; nodes with a match below them are expanded unless the user
/// collapsed them under this filter.
struct DeploymentFlattener {
    let expansion: ExpansionState
    let filter: TreeFilter

    /// The deployment's visible rows, the deployment's own row first; empty when the filter hides it.
    func rows(of deployment: Deployment) -> [TreeRow] {
        var rows: [TreeRow] = []
        walk(deployment) { rows.append($0) }
        return rows
    }

    /// How many rows `rows(of:)` returns, without building them.
    func count(of deployment: Deployment) -> Int {
        var count = 0
        walk(deployment) { _ in count += 1 }
        return count
    }

    // MARK: - Walking

    private func walk(_ deployment: Deployment, emit: (TreeRow) -> Void) {
        let stages = deployment.provisioningInfo?.stages ?? []
        // Under a filter every node is matched once, up front; without one everything shows.
        let matches = filter.isActive ? DeploymentMatches(deployment, filter: filter) : nil
        guard matches?.any ?? true else { return }

        let deploymentID = NodeID(deployment: deployment.id)
        let open = expansion.isExpanded(
            deploymentID, isLatest: true, forcedByFilter: matches?.below ?? false, filtering: matches != nil)
        emit(
            TreeRow(
                id: deploymentID, depth: 0, hasChildren: !stages.isEmpty, isExpanded: open, isLastSibling: false))
        guard open else { return }

        let reveal = matches?.node ?? true
        let shown = stages.indices.filter { reveal || matches!.children[$0].any }
        for (position, index) in shown.enumerated() {
            walkStage(
                stages[index], matches: matches?.children[index], of: deployment.id,
                isLatest: index == stages.count - 1,
                isLastSibling: position == shown.count - 1, underMatch: reveal, emit: emit)
        }
    }

    private func walkStage(
        _ stage: Stage, matches: StageMatches?, of deploymentID: String, isLatest: Bool, isLastSibling: Bool,
        underMatch: Bool, emit: (TreeRow) -> Void
    ) {
        let id = NodeID(deployment: deploymentID, stage: stage.name)
        let attempts = stage.buildAttempts
        let open = expansion.isExpanded(
            id, isLatest: isLatest, forcedByFilter: matches?.below ?? false, filtering: matches != nil)
        emit(
            TreeRow(
                id: id, depth: 1, hasChildren: !attempts.isEmpty, isExpanded: open, isLastSibling: isLastSibling))
        guard open else { return }

        let reveal = underMatch || (matches?.node ?? true)
        let shown = attempts.indices.filter { reveal || matches!.children[$0].any }
        for (position, index) in shown.enumerated() {
            walkAttempt(
                attempts[index], matches: matches?.children[index], of: deploymentID, stage: stage.name,
                isLatest: index == attempts.count - 1, isLastSibling: position == shown.count - 1,
                guides: [!isLastSibling], underMatch: reveal, emit: emit)
        }
    }

    private func walkAttempt(
        _ attempt: BuildAttempt, matches: AttemptMatches?, of deploymentID: String, stage: String, isLatest: Bool,
        isLastSibling: Bool, guides: [Bool], underMatch: Bool, emit: (TreeRow) -> Void
    ) {
        let id = NodeID(deployment: deploymentID, stage: stage, attempt: attempt.id)
        let open = expansion.isExpanded(
            id, isLatest: isLatest, forcedByFilter: matches?.below ?? false, filtering: matches != nil)
        emit(
            TreeRow(
                id: id, depth: 2, hasChildren: !attempt.steps.isEmpty, isExpanded: open,
                isLastSibling: isLastSibling, continuingGuides: guides))
        guard open else { return }

        let reveal = underMatch || (matches?.node ?? true)
        let shown = attempt.steps.indices.filter { reveal || matches!.children[$0] }
        let stepGuides = guides + [!isLastSibling]
        for (position, index) in shown.enumerated() {
            emit(
                TreeRow(
                    id: NodeID(
                        deployment: deploymentID, stage: stage, attempt: attempt.id, step: attempt.steps[index].name),
                    depth: 3, hasChildren: false, isExpanded: false, isLastSibling: position == shown.count - 1,
                    continuingGuides: stepGuides))
        }
    }
}

/// Which nodes of one subtree a filter matches, each node matched once: the node itself, then its children's
/// matches (a step's are plain `Bool`s).
private struct SubtreeMatches<Child: SubtreeMatching>: SubtreeMatching {
    /// The node itself matches.
    let node: Bool
    let children: [Child]

    /// Something below the node matches.
    var below: Bool { children.contains { $0.any } }
    /// The node or something below it matches.
    var any: Bool { node || below }
}

private protocol SubtreeMatching {
    var any: Bool { get }
}

extension Bool: SubtreeMatching {
    fileprivate var any: Bool { self }
}

private typealias AttemptMatches = SubtreeMatches<Bool>
private typealias StageMatches = SubtreeMatches<AttemptMatches>
private typealias DeploymentMatches = SubtreeMatches<StageMatches>

extension SubtreeMatches<StageMatches> {
    init(_ deployment: Deployment, filter: TreeFilter) {
        self.init(
            node: filter.matches(deployment),
            children: (deployment.provisioningInfo?.stages ?? []).map { StageMatches($0, filter: filter) })
    }
}

extension SubtreeMatches<AttemptMatches> {
    init(_ stage: Stage, filter: TreeFilter) {
        self.init(node: filter.matches(stage), children: stage.buildAttempts.map { AttemptMatches($0, filter: filter) })
    }
}

extension SubtreeMatches<Bool> {
    init(_ attempt: BuildAttempt, filter: TreeFilter) {
        self.init(node: filter.matches(attempt), children: attempt.steps.map { filter.matches($0) })
    }
}
