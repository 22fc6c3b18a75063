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
        let filtering = filter.isActive
        let stages = deployment.provisioningInfo?.stages ?? []
        let deploymentNode = TreeNode.deployment(deployment)
        let deploymentMatches = filter.matches(deploymentNode)
        let stageMatches = filtering ? stages.map { subtreeMatches(.stage($0, in: deployment)) } : []
        let matchBelow = stageMatches.contains(true)
        guard !filtering || deploymentMatches || matchBelow else { return }

        let deploymentID = NodeID(deployment: deployment.id)
        let open = expansion.isExpanded(
            deploymentID, isLatest: true, forcedByFilter: matchBelow, filtering: filtering)
        emit(
            TreeRow(
                id: deploymentID, depth: 0, hasChildren: !stages.isEmpty, isExpanded: open, isLastSibling: false))
        guard open else { return }

        let shownStages = stages.indices.filter { !filtering || deploymentMatches || stageMatches[$0] }
        for (position, index) in shownStages.enumerated() {
            let stage = stages[index]
            let isLast = position == shownStages.count - 1
            walkStage(
                stage, in: deployment, isLatest: index == stages.count - 1, isLastSibling: isLast,
                underMatch: deploymentMatches, emit: emit)
        }
    }

    private func walkStage(
        _ stage: Stage, in deployment: Deployment, isLatest: Bool, isLastSibling: Bool, underMatch: Bool,
        emit: (TreeRow) -> Void
    ) {
        let filtering = filter.isActive
        let id = NodeID(deployment: deployment.id, stage: stage.name)
        let attempts = stage.buildAttempts
        let selfMatches = filter.matches(.stage(stage, in: deployment))
        let attemptMatches =
            filtering ? attempts.map { subtreeMatches(.attempt($0, stage: stage, in: deployment)) } : []
        let matchBelow = attemptMatches.contains(true)
        let open = expansion.isExpanded(id, isLatest: isLatest, forcedByFilter: matchBelow, filtering: filtering)
        emit(
            TreeRow(
                id: id, depth: 1, hasChildren: !attempts.isEmpty, isExpanded: open, isLastSibling: isLastSibling))
        guard open else { return }

        let reveal = !filtering || underMatch || selfMatches
        let shown = attempts.indices.filter { reveal || attemptMatches[$0] }
        for (position, index) in shown.enumerated() {
            walkAttempt(
                attempts[index], stage: stage, in: deployment, isLatest: index == attempts.count - 1,
                isLastSibling: position == shown.count - 1, guides: [!isLastSibling], underMatch: reveal,
                emit: emit)
        }
    }

    private func walkAttempt(
        _ attempt: BuildAttempt, stage: Stage, in deployment: Deployment, isLatest: Bool, isLastSibling: Bool,
        guides: [Bool], underMatch: Bool, emit: (TreeRow) -> Void
    ) {
        let filtering = filter.isActive
        let id = NodeID(deployment: deployment.id, stage: stage.name, attempt: attempt.id)
        let selfMatches = filter.matches(.attempt(attempt, stage: stage, in: deployment))
        let stepMatches =
            filtering
            ? attempt.steps.map { filter.matches(.step($0, attempt: attempt, stage: stage, in: deployment)) } : []
        let matchBelow = stepMatches.contains(true)
        let open = expansion.isExpanded(id, isLatest: isLatest, forcedByFilter: matchBelow, filtering: filtering)
        emit(
            TreeRow(
                id: id, depth: 2, hasChildren: !attempt.steps.isEmpty, isExpanded: open,
                isLastSibling: isLastSibling, continuingGuides: guides))
        guard open else { return }

        let reveal = !filtering || underMatch || selfMatches
        let shown = attempt.steps.indices.filter { reveal || stepMatches[$0] }
        let stepGuides = guides + [!isLastSibling]
        for (position, index) in shown.enumerated() {
            let step = attempt.steps[index]
            emit(
                TreeRow(
                    id: NodeID(deployment: deployment.id, stage: stage.name, attempt: attempt.id, step: step.name),
                    depth: 3, hasChildren: false, isExpanded: false, isLastSibling: position == shown.count - 1,
                    continuingGuides: stepGuides))
        }
    }

    /// Whether `node` or anything below it matches the filter.
    private func subtreeMatches(_ node: TreeNode) -> Bool {
        if filter.matches(node) { return true }
        switch node {
        case .deployment(let deployment):
            return (deployment.provisioningInfo?.stages ?? []).contains { subtreeMatches(.stage($0, in: deployment)) }
        case .stage(let stage, let deployment):
            return stage.buildAttempts.contains { subtreeMatches(.attempt($0, stage: stage, in: deployment)) }
        case .attempt(let attempt, let stage, let deployment):
            return attempt.steps.contains { filter.matches(.step($0, attempt: attempt, stage: stage, in: deployment)) }
        case .step:
            return false
        }
    }
}
