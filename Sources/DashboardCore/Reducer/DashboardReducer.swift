import Foundation
import ProvisioningCore

/// The dashboard's only way to change state: `reduce(&state, action)` applies an action and returns the
/// effects the runtime should perform. Pure: no I/O, no clock but the one in the state.
public enum DashboardReducer {
    public static func reduce(_ state: inout DashboardState, _ action: Action) -> [Effect] {
        switch action {
        case .start:
            state.refresh.nextDue = state.now
            return startFetch(&state) + [.outbox(.list)]
        case .tick(let date):
            state.advanceClock(to: date)
            return fetchIfDue(&state)
        case .resized(let size):
            state.resize(to: size)
            return []
        case .command(let command):
            // A terminal too small shows only that message: nothing else may act unseen.
            guard !state.layout.isTooSmall || command == .quit else { return [] }
            return perform(command, &state)
        case .mouse(let event):
            guard !state.layout.isTooSmall else { return [] }
            return mouse(event, &state)
        case .refreshed(let generation, let result):
            return refreshed(generation: generation, result, &state)
        case .themeLoaded(let name):
            state.themeName = name
            state.toast(.info, "theme: \(name)")
            return []
        case .themeFailed(let name, let error):
            state.brokenThemes.insert(name)
            state.toast(.error, "\(error.description) — skipped")
            return nextTheme(state)
        case .declared(let ticket, let declaration, let result):
            return declared(ticket: ticket, declaration, result, &state)
        case .outboxAnswered(let reply):
            return outboxAnswered(reply, &state)
        }
    }

    // MARK: - Themes

    /// Loads the theme after the one in use, wrapping around and passing over those found broken (back to the
    /// one in use when every other is); nothing when every theme is broken.
    private static func nextTheme(_ state: DashboardState) -> [Effect] {
        let names = state.settings.themeNames
        let current = names.firstIndex(of: state.themeName) ?? -1
        let following = names.indices.map { names[(current + 1 + $0) % names.count] }
        guard let next = following.first(where: { !state.brokenThemes.contains($0) }) else { return [] }
        return [.loadTheme(next)]
    }

    // MARK: - Refresh

    private static func startFetch(_ state: inout DashboardState) -> [Effect] {
        state.refresh.generation += 1
        state.refresh.isInFlight = true
        return [.fetch(generation: state.refresh.generation)]
    }

    static func fetchIfDue(_ state: inout DashboardState) -> [Effect] {
        guard !state.refresh.isInFlight, let due = state.refresh.nextDue, state.now >= due else { return [] }
        if let backoff = state.refresh.backoffUntil, state.now < backoff { return [] }
        return startFetch(&state)
    }

    private static func refreshed(
        generation: Int, _ result: Result<DeploymentListing, RefreshFailure>, _ state: inout DashboardState
    ) -> [Effect] {
        guard generation == state.refresh.generation else { return [] }
        state.refresh.isInFlight = false
        switch result {
        case .success(let listing):
            state.tree.merge(listing)
            state.refresh.lastSuccess = state.now
            state.refresh.failure = nil
            state.refresh.failedAt = nil
            state.refresh.consecutiveFailures = 0
            state.refresh.backoffUntil = nil
            state.refresh.nextDue = state.now.addingTimeInterval(state.refresh.interval)
            state.relocateCursor()
            if state.follows { followRunning(&state) }
            // The API answers again: what waits in the outbox goes out now.
            return [.outbox(.replay)]
        case .failure(let failure):
            state.refresh.failure = failure
            state.refresh.failedAt = state.now
            state.refresh.consecutiveFailures += 1
            if failure.isRateLimited {
                let wait = max(failure.retryAfter ?? RefreshStatus.rateLimitBackoff, state.refresh.interval)
                state.refresh.backoffUntil = state.now.addingTimeInterval(wait)
                state.refresh.nextDue = state.refresh.backoffUntil
            } else {
                state.refresh.nextDue = state.now.addingTimeInterval(state.refresh.retryDelay)
            }
        }
        // Another kprov may have queued or sent declarations meanwhile.
        return [.outbox(.list)]
    }

    // MARK: - Commands

    private static func perform(_ command: Command, _ state: inout DashboardState) -> [Effect] {
        switch command {
        case .moveUp: move(&state, to: state.cursorRow - 1)
        case .moveDown: move(&state, to: state.cursorRow + 1)
        case .pageUp: page(&state, by: -1)
        case .pageDown: page(&state, by: 1)
        case .top: move(&state, to: 0)
        case .bottom: move(&state, to: state.tree.rowCount - 1)
        case .collapseOrParent: collapseOrParent(&state)
        case .expandOrChild: expandOrChild(&state)
        case .toggle: toggle(&state)
        case .expandAll:
            state.tree.expandAll()
            state.relocateCursor()
        case .collapseAll:
            state.tree.collapseAll()
            state.relocateCursor()
        case .toggleDetail:
            state.showsDetail.toggle()
            state.scrollToCursor()
        case .toggleFollow:
            state.follows.toggle()
            state.toast(.info, state.follows ? "following running builds" : "follow off")
            if state.follows { followRunning(&state) }
        case .toggleHelp:
            state.mode = state.mode == .help ? .browsing : .help
            state.helpScroll = 0
        case .scrollHelp(let lines):
            let limit = KeyMap.helpScrollLimit(
                for: state.cursor?.kind, readOnly: state.settings.readOnly, in: state.size)
            state.helpScroll = min(max(0, state.helpScroll + lines), limit)
        case .refresh:
            if let backoff = state.refresh.backoffUntil, state.now < backoff {
                state.toast(
                    .info, "rate limited: next refresh in \(DurationText.compact(backoff.timeIntervalSince(state.now)))"
                )
                return []
            }
            return startFetch(&state)
        case .cycleTheme:
            return nextTheme(state)
        case .quit:
            return [.quit]
        case .startFilter:
            state.mode = .filtering
        case .filterInsert(let character):
            setFilter(&state, state.tree.filter.text + String(character))
        case .filterDeleteBackward:
            setFilter(&state, String(state.tree.filter.text.dropLast()))
        case .filterAccept:
            state.mode = .browsing
        case .filterClear:
            state.mode = .browsing
            guard state.tree.filter.isActive else { return [] }
            setFilter(&state, "")
        case .openCreateAttempt:
            open(
                { node, state in
                    FormFactory.createAttempt(on: node, now: state.now, secret: state.secrets[node.deployment.id])
                }, &state, key: "a")
        case .openStageProgress:
            open(
                { node, state in FormFactory.stageProgress(on: node, secret: state.secrets[node.deployment.id]) },
                &state, key: "s")
        case .openStepProgress:
            open(
                { node, state in FormFactory.stepProgress(on: node, secret: state.secrets[node.deployment.id]) },
                &state, key: "p")
        case .quickComplete:
            quick(.completed, &state)
        case .quickFail:
            quick(.failed, &state)
        case .formKey(let key):
            return formKey(key, &state)
        case .answer(let yes):
            if case .outbox = state.mode { return answerDrop(yes, &state) }
            return answer(yes, &state)
        case .openOutbox:
            return openOutbox(&state)
        case .outboxSelect, .outboxRetry, .outboxDrop, .closeOutbox:
            return outbox(command, &state)
        }
        return []
    }

    private static func move(_ state: inout DashboardState, to row: Int) {
        state.follows = false
        state.moveCursor(toRow: row)
    }

    private static func page(_ state: inout DashboardState, by direction: Int) {
        let step = max(1, state.treeHeight - 1) * direction
        state.follows = false
        state.scrollTop += step
        state.moveCursor(toRow: state.cursorRow + step)
    }

    private static func collapseOrParent(_ state: inout DashboardState) {
        guard let row = state.tree.row(at: state.cursorRow) else { return }
        if row.hasChildren && row.isExpanded {
            state.tree.setExpanded(row.id, false)
            state.relocateCursor()
        } else if let parent = row.id.parent {
            state.follows = false
            state.select(parent)
        }
    }

    private static func expandOrChild(_ state: inout DashboardState) {
        guard let row = state.tree.row(at: state.cursorRow), row.hasChildren else { return }
        if row.isExpanded {
            move(&state, to: state.cursorRow + 1)
        } else {
            state.tree.setExpanded(row.id, true)
            state.relocateCursor()
        }
    }

    private static func toggle(_ state: inout DashboardState) {
        guard let row = state.tree.row(at: state.cursorRow), row.hasChildren else { return }
        state.tree.setExpanded(row.id, !row.isExpanded)
        state.relocateCursor()
    }

    private static func setFilter(_ state: inout DashboardState, _ text: String) {
        let cursor = state.cursor
        state.tree.setFilter(text)
        if !state.tree.filter.isActive, let cursor {
            // Keep the node found through the filter on screen once the filter goes.
            for ancestor in cursor.ancestors where state.tree.node(ancestor) != nil {
                state.tree.setExpanded(ancestor, true)
            }
        }
        if let cursor, state.tree.rowIndex(of: cursor) != nil {
            state.relocateCursor()
        } else {
            state.moveCursor(toRow: 0)
        }
    }

    // MARK: - Follow

    /// Expands every running step's ancestors and puts the cursor on the newest running step, with its deployment,
    /// stage and attempt in view above it.
    static func followRunning(_ state: inout DashboardState) {
        var newest: (id: NodeID, started: Date)?
        for deployment in state.tree.deployments {
            for stage in deployment.provisioningInfo?.stages ?? [] where stage.status == .running {
                for attempt in stage.buildAttempts where attempt.status == .running {
                    for step in attempt.steps where step.status == .running {
                        let id = NodeID(
                            deployment: deployment.id, stage: stage.name, attempt: attempt.id, step: step.name)
                        for ancestor in id.ancestors { state.tree.setExpanded(ancestor, true) }
                        let started = step.startedAt ?? .distantPast
                        if newest == nil || started > newest!.started { newest = (id, started) }
                    }
                }
            }
        }
        if let newest {
            state.select(newest.id)
            state.revealCursorContext()
        } else {
            state.relocateCursor()
        }
    }

    // MARK: - Mouse

    private static func mouse(_ event: MouseEvent, _ state: inout DashboardState) -> [Effect] {
        if case .outbox = state.mode { return [] }
        if state.mode == .help {
            if event.kind == .click { state.mode = .browsing }
            return []
        }
        switch event.kind {
        case .wheelUp: state.scroll(by: -3)
        case .wheelDown: state.scroll(by: 3)
        case .click:
            let tree = state.layout.tree
            guard tree.contains(column: event.x, row: event.y) else { return [] }
            let rowIndex = state.scrollTop + event.y - tree.y
            guard let row = state.tree.row(at: rowIndex) else { return [] }
            state.follows = false
            state.moveCursor(toRow: rowIndex)
            let expander = tree.x + TreeRowGeometry.expanderColumn(depth: row.depth)
            if row.hasChildren, event.x == expander || event.x == expander + 1 {
                toggle(&state)
            }
        }
        return []
    }
}
