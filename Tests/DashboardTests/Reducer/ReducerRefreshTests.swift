import DashboardCore
import Foundation
import ProvisioningCore
import Testing

@Suite("Reducer: refresh, merging, stale replies, back-off")
struct ReducerRefreshTests {
    private func fetchGeneration(_ effects: [Effect]) -> Int? {
        if case .fetch(let generation)? = effects.first { return generation }
        return nil
    }

    @Test("start fetches at once; the next fetch is due after the interval, not before")
    func polling() {
        var state = Fixtures.state()
        #expect(DashboardReducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(1.9))).isEmpty)
        let effects = DashboardReducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(2)))
        #expect(fetchGeneration(effects) == 2)
        #expect(DashboardReducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(5))).isEmpty)
    }

    @Test("a refresh keeps the cursor, expansion and scroll by node id while rows move")
    func mergeKeepsCursor() {
        var state = Fixtures.state(Fixtures.many(40))
        state.press(.pageDown, .pageDown, .toggle, .moveDown, .moveDown)
        let cursor = state.cursor
        #expect(cursor?.kind == .attempt)
        let (row, lineOnScreen) = (state.cursorRow, state.cursorRow - state.scrollTop)
        let generation = fetchGeneration(state.press(.refresh))!
        var fresh = Fixtures.many(40)
        fresh.append(Fixtures.deployment("d0-new-000000000", createdAgo: 1, attempts: []))
        fresh.append(Fixtures.deployment("d0-new-000000001", createdAgo: 2, attempts: []))
        _ = DashboardReducer.reduce(&state, .refreshed(generation: generation, .success(DeploymentListing(fresh))))
        #expect(state.cursor == cursor)
        #expect(state.cursorRow == row + 2)
        #expect(state.tree.row(at: state.cursorRow - 2)?.isExpanded == true)
        #expect(state.cursorRow - state.scrollTop == lineOnScreen)
    }

    @Test("a view at the top stays there: deployments arriving first come into sight, the cursor stays on its node")
    func arrivalsAtTheTopShow() {
        var state = Fixtures.state(Fixtures.many(40))
        state.press(.moveDown, .moveDown)
        let cursor = state.cursor
        #expect(state.scrollTop == 0)
        let generation = fetchGeneration(state.press(.refresh))!
        var fresh = Fixtures.many(40)
        fresh.append(Fixtures.deployment("d0-new-000000000", createdAgo: 1, attempts: []))
        _ = DashboardReducer.reduce(&state, .refreshed(generation: generation, .success(DeploymentListing(fresh))))
        #expect(state.scrollTop == 0)
        #expect(state.visibleRows.first?.id == NodeID(deployment: "d0-new-000000000"))
        #expect(state.cursor == cursor)
        #expect(state.cursorRow == 3)

        // With the cursor on the view's last line, arrivals push the view down to keep the cursor in it.
        for _ in 0..<(state.treeHeight - 4) { state.press(.moveDown) }
        #expect(state.cursorRow == state.treeHeight - 1)
        let next = fetchGeneration(state.press(.refresh))!
        fresh.append(Fixtures.deployment("d0-new-000000001", createdAgo: 0, attempts: []))
        _ = DashboardReducer.reduce(&state, .refreshed(generation: next, .success(DeploymentListing(fresh))))
        #expect(state.cursorRow == state.treeHeight)
        #expect(state.scrollTop == 1)
    }

    @Test("when the selected node disappears the cursor goes to its nearest ancestor")
    func vanishedNode() {
        var state = Fixtures.state()
        state.press(.moveDown, .moveDown, .toggle, .moveDown, .moveDown)
        let generation = fetchGeneration(state.press(.refresh))!
        var fresh = Fixtures.deployments
        fresh[2].provisioningInfo?.stages[0].buildAttempts.removeFirst()
        _ = DashboardReducer.reduce(&state, .refreshed(generation: generation, .success(DeploymentListing(fresh))))
        #expect(state.cursor == NodeID(deployment: "d3-failed-000003", stage: "build"))
    }

    @Test("a reply for an older generation is dropped")
    func staleReplyDropped() {
        var state = Fixtures.state()
        let old = fetchGeneration(state.press(.refresh))!
        let new = fetchGeneration(state.press(.refresh))!
        #expect(new == old + 1)
        _ = DashboardReducer.reduce(&state, .refreshed(generation: old, .success(DeploymentListing([]))))
        #expect(state.tree.deployments.count == 4)
        #expect(state.refresh.isInFlight)
        _ = DashboardReducer.reduce(
            &state, .refreshed(generation: new, .success(DeploymentListing(Array(Fixtures.deployments.prefix(2))))))
        #expect(state.tree.deployments.count == 2)
        #expect(!state.refresh.isInFlight)
    }

    @Test("a failed refresh keeps the data and marks it stale until the next success")
    func failureKeepsData() {
        var state = Fixtures.state()
        let generation = fetchGeneration(DashboardReducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(2))))!
        let failure = RefreshFailure(message: "could not reach the API: connection refused")
        _ = DashboardReducer.reduce(&state, .refreshed(generation: generation, .failure(failure)))
        #expect(state.refresh.isStale)
        #expect(state.tree.deployments.count == 4)
        #expect(state.refresh.nextDue == Fixtures.now.addingTimeInterval(4))
        let next = fetchGeneration(DashboardReducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(4))))!
        _ = DashboardReducer.reduce(
            &state, .refreshed(generation: next, .success(DeploymentListing(Fixtures.deployments))))
        #expect(!state.refresh.isStale)
        #expect(state.refresh.lastSuccess == Fixtures.now.addingTimeInterval(4))
    }

    @Test("failing polls back off: the interval doubles with each failure up to 30 s, and resets on success")
    func failuresBackOff() {
        var state = Fixtures.state()
        var now = Fixtures.now
        var waits: [TimeInterval] = []
        for _ in 0..<7 {
            let due = state.refresh.nextDue ?? now
            now = due
            guard let generation = fetchGeneration(DashboardReducer.reduce(&state, .tick(now))) else {
                Issue.record("no fetch at \(now)")
                return
            }
            _ = DashboardReducer.reduce(
                &state, .refreshed(generation: generation, .failure(RefreshFailure(message: "503"))))
            waits.append(state.refresh.nextDue!.timeIntervalSince(now))
        }
        #expect(waits == [2, 4, 8, 16, 30, 30, 30])
        now = state.refresh.nextDue!
        let generation = fetchGeneration(DashboardReducer.reduce(&state, .tick(now)))!
        _ = DashboardReducer.reduce(
            &state, .refreshed(generation: generation, .success(DeploymentListing(Fixtures.deployments))))
        #expect(state.refresh.consecutiveFailures == 0)
        #expect(state.refresh.nextDue == now.addingTimeInterval(2))
    }

    @Test("429 backs off for Retry-After, or 30 s without it, and r does not cut it short")
    func rateLimited() {
        var state = Fixtures.state()
        var generation = fetchGeneration(state.press(.refresh))!
        _ = DashboardReducer.reduce(
            &state, .refreshed(generation: generation, .failure(RefreshFailure(message: "429", isRateLimited: true))))
        #expect(state.refresh.backoffUntil == Fixtures.now.addingTimeInterval(30))
        #expect(DashboardReducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(29))).isEmpty)
        #expect(state.press(.refresh).isEmpty)
        generation = fetchGeneration(DashboardReducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(30))))!
        _ = DashboardReducer.reduce(
            &state,
            .refreshed(
                generation: generation, .failure(RefreshFailure(message: "429", isRateLimited: true, retryAfter: 45))))
        #expect(state.refresh.backoffUntil == Fixtures.now.addingTimeInterval(75))
    }

    @Test("APIErrors become failures: 429 with Retry-After, transport failures by message")
    func failureFromError() {
        let limited = RefreshFailure(APIError.answered(status: 429, body: nil, retryAfterSeconds: 12))
        #expect(limited.isRateLimited && limited.retryAfter == 12)
        let unreachable = RefreshFailure(APIError.transport(.unreachable(detail: "connection refused")))
        #expect(!unreachable.isRateLimited)
        #expect(unreachable.message.hasPrefix("could not reach the API"))
    }

    @Test("toasts expire with the clock")
    func toastsExpire() {
        var state = Fixtures.state()
        state.press(.toggleFollow)
        #expect(state.toasts.count == 1)
        _ = DashboardReducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(3.9)))
        #expect(state.toasts.count == 1)
        _ = DashboardReducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(4)))
        #expect(state.toasts.isEmpty)
    }
}
