import DashboardCore
import Foundation
import ProvisioningCore
import Testing

@Suite("Reducer: the outbox — queued declarations, the panel, sending and dropping by hand")
struct ReducerOutboxTests {
    static let target = ProvisioningTarget(
        deploymentID: "d1-building-0001", stage: "build", attempt: 1, step: "restore")

    /// An outbox entry for a step declaration; `refusal` marks it refused.
    static func entry(_ id: Int, refusal: String? = nil, lastFailure: String? = nil) -> OutboxEntry {
        OutboxEntry(
            id: id, queuedAt: Fixtures.ago(Double(60 * id)), baseURL: "http://127.0.0.1:8000",
            declaration: .stepProgress(
                target, DeclareStepProgressRequest(secret: "s3cret", status: .completed, finishedAt: Fixtures.now)),
            lastFailure: lastFailure, refusal: refusal)
    }

    static func listed(_ entries: [OutboxEntry], request: OutboxRequest = .list, outcome: OutboxReply.Outcome = .listed)
        -> Action
    {
        .outboxAnswered(OutboxReply(request: request, outcome: outcome, entries: .success(entries)))
    }

    private func panel(_ state: DashboardState) -> OutboxPanel? {
        if case .outbox(let panel) = state.mode { return panel }
        return nil
    }

    @Test("start, every poll and every declaration read the outbox again")
    func listedOften() {
        var state = DashboardState(
            settings: DashboardSettings(apiURL: "http://127.0.0.1:8000"), size: Size(width: 80, height: 24),
            now: Fixtures.now, interval: 2, themeName: "default")
        let start = DashboardReducer.reduce(&state, .start)
        #expect(start.contains(.outbox(.list)))
        guard case .fetch(let generation)? = start.first else { return }
        let failure = RefreshFailure(message: "down")
        #expect(
            DashboardReducer.reduce(&state, .refreshed(generation: generation, .failure(failure))) == [.outbox(.list)])
    }

    @Test("a declaration that could not be delivered closes its form, says it is queued, and changes nothing on screen")
    func queuedDeclaration() throws {
        var state = FormTests.state(selecting: FormTests.runningStep)
        let effects = state.press(.openStepProgress, .formKey(.character("c")), .formKey(.control("s")))
        guard case .send(let declaration, let ticket)? = effects.first else {
            Issue.record("no send: \(effects)")
            return
        }
        let reason = "could not reach the API: connection refused"
        let after = DashboardReducer.reduce(
            &state, .declared(ticket: ticket, declaration, .success(.queued(reason: reason))))
        #expect(after == [.outbox(.list)])
        #expect(state.mode == .browsing)
        #expect(state.tree.node(FormTests.runningStep)?.provisioningStatus == .running)
        let toast = try #require(state.toasts.last)
        #expect(toast.kind == .error)
        #expect(toast.text.hasPrefix("not sent yet, kept in the outbox: restore COMPLETED (build #1) — \(reason)"))
        #expect(!toast.text.contains("s3cret"))
    }

    @Test("o opens the panel on the oldest entry; ↑↓ select within the list; Esc closes")
    func panelSelection() {
        var state = Fixtures.state()
        _ = DashboardReducer.reduce(&state, Self.listed([Self.entry(1), Self.entry(2), Self.entry(3)]))
        #expect(state.outbox.waitingCount == 3)
        #expect(state.press(.openOutbox) == [.outbox(.list)])
        #expect(panel(state)?.selectedID == 1)
        state.press(.outboxSelect(offset: 1), .outboxSelect(offset: 1), .outboxSelect(offset: 1))
        #expect(panel(state)?.selectedID == 3)
        state.press(.outboxSelect(offset: -10))
        #expect(panel(state)?.selectedID == 1)
        state.press(.closeOutbox)
        #expect(state.mode == .browsing)
        #expect(KeyMap.command(for: .character("o"), in: .browsing) == .openOutbox)
        #expect(KeyMap.command(for: .escape, in: .outbox(OutboxPanel(selectedID: 1))) == .closeOutbox)
        #expect(
            KeyMap.command(for: .character("j"), in: .outbox(OutboxPanel(selectedID: 1))) == .outboxSelect(offset: 1))
    }

    @Test("r sends the selected entry now; a second r waits; the answer reports it and refreshes after a delivery")
    func retry() {
        var state = Fixtures.state()
        _ = DashboardReducer.reduce(&state, Self.listed([Self.entry(1), Self.entry(2)]))
        state.press(.openOutbox, .outboxSelect(offset: 1))
        #expect(state.press(.outboxRetry) == [.outbox(.retry(id: 2))])
        #expect(panel(state)?.pending == .retry(id: 2))
        #expect(state.press(.outboxRetry).isEmpty)
        let generation = state.refresh.generation
        let effects = DashboardReducer.reduce(
            &state, Self.listed([Self.entry(1)], request: .retry(id: 2), outcome: .delivered))
        #expect(effects == [.fetch(generation: generation + 1)])
        #expect(panel(state)?.pending == nil)
        #expect(panel(state)?.selectedID == 1, "the selection moves to the entry now in its place")
        #expect(state.toasts.last?.text == "outbox entry 2 delivered")
    }

    @Test("a retry that fails or is refused says why, and keeps the entry")
    func retryFails() {
        var state = Fixtures.state()
        _ = DashboardReducer.reduce(&state, Self.listed([Self.entry(1)]))
        state.press(.openOutbox, .outboxRetry)
        _ = DashboardReducer.reduce(
            &state,
            Self.listed(
                [Self.entry(1, lastFailure: "503")], request: .retry(id: 1), outcome: .stillQueued("503: unavailable")))
        #expect(state.toasts.last?.text == "outbox entry 1 still queued: 503: unavailable")
        state.press(.outboxRetry)
        _ = DashboardReducer.reduce(
            &state,
            Self.listed(
                [Self.entry(1, refusal: "403: invalid secret")], request: .retry(id: 1),
                outcome: .refused("403: invalid secret")))
        #expect(state.toasts.last?.text == "outbox entry 1 refused: 403: invalid secret")
        #expect(state.outbox.refusedCount == 1 && state.outbox.waitingCount == 0)
        #expect(panel(state)?.selectedID == 1)
    }

    @Test("d asks first; n keeps the entry, y drops it")
    func drop() {
        var state = Fixtures.state()
        _ = DashboardReducer.reduce(&state, Self.listed([Self.entry(1), Self.entry(2)]))
        state.press(.openOutbox)
        #expect(state.press(.outboxDrop).isEmpty)
        #expect(panel(state)?.confirmsDrop == true)
        #expect(KeyMap.command(for: .character("y"), in: state.mode) == .answer(true))
        #expect(state.press(.answer(false)).isEmpty)
        #expect(panel(state)?.confirmsDrop == false)
        state.press(.outboxDrop)
        #expect(state.press(.answer(true)) == [.outbox(.drop(id: 1))])
        _ = DashboardReducer.reduce(&state, Self.listed([Self.entry(2)], request: .drop(id: 1), outcome: .dropped))
        #expect(state.toasts.last?.text == "outbox entry 1 dropped; it will not be sent")
        #expect(panel(state)?.selectedID == 2)
        #expect(state.outbox.entries.map(\.id) == [2])
    }

    @Test("entries a poll's replay delivered are reported, and the data is fetched again")
    func sentInTheBackground() {
        var state = Fixtures.state()
        _ = DashboardReducer.reduce(&state, Self.listed([Self.entry(1), Self.entry(2), Self.entry(3, refusal: "403")]))
        let generation = state.refresh.generation
        let effects = DashboardReducer.reduce(&state, Self.listed([Self.entry(3, refusal: "403")]))
        #expect(effects == [.fetch(generation: generation + 1)])
        #expect(state.toasts.last?.text == "sent from the outbox: 2 declarations")
        #expect(
            DashboardReducer.reduce(&state, Self.listed([])).isEmpty, "a refused entry dropped elsewhere was not sent")
    }

    @Test("entries the API refused on a poll's replay are said in a toast, once; refusals known before are not")
    func refusedInTheBackground() {
        var state = Fixtures.state()
        _ = DashboardReducer.reduce(&state, Self.listed([Self.entry(1), Self.entry(2, refusal: "403")]))
        #expect(state.toasts.allSatisfy { !$0.text.contains("refused") })
        _ = DashboardReducer.reduce(
            &state, Self.listed([Self.entry(1, refusal: "400 bad status"), Self.entry(2, refusal: "403")]))
        #expect(state.toasts.last?.text.hasPrefix("the API refused ") == true)
        #expect(state.toasts.last?.text.hasSuffix("from the outbox: 400 bad status (o shows it)") == true)
        let count = state.toasts.count
        _ = DashboardReducer.reduce(
            &state, Self.listed([Self.entry(1, refusal: "400 bad status"), Self.entry(2, refusal: "403")]))
        #expect(state.toasts.count == count)
    }

    @Test("read-only: the outbox can be looked at, not sent or changed")
    func readOnly() {
        var state = Fixtures.state(readOnly: true)
        _ = DashboardReducer.reduce(&state, Self.listed([Self.entry(1)]))
        state.press(.openOutbox)
        #expect(state.press(.outboxRetry).isEmpty)
        #expect(state.press(.outboxDrop).isEmpty)
        #expect(panel(state)?.confirmsDrop == false)
        #expect(state.toasts.last?.text == "read-only: the outbox can be looked at, not sent or changed")
    }

    @Test("an unreadable outbox is reported and the last entries are kept")
    func unreadable() {
        var state = Fixtures.state()
        _ = DashboardReducer.reduce(&state, Self.listed([Self.entry(1)]))
        _ = DashboardReducer.reduce(
            &state,
            .outboxAnswered(
                OutboxReply(
                    request: .list, outcome: .listed, entries: .failure(OutboxFailure(message: "permission denied")))))
        #expect(state.outbox.failure == "permission denied")
        #expect(state.outbox.entries.map(\.id) == [1])
        _ = DashboardReducer.reduce(&state, Self.listed([]))
        #expect(state.outbox.failure == nil)
    }

    @Test("what a flush did with a retried entry becomes the panel's outcome")
    func outcomeFromFlush() {
        let unavailable = APIError.answered(status: 503, body: nil)
        #expect(OutboxReply.Outcome(retried: .delivered(ProvisioningReply())) == .delivered)
        #expect(OutboxReply.Outcome(retried: .failed(unavailable)) == .stillQueued(unavailable.description))
        #expect(
            OutboxReply.Outcome(retried: .refused(APIError.answered(status: 403, body: nil)))
                == .refused(APIError.answered(status: 403, body: nil).description))
        guard case .stillQueued(let behind) = OutboxReply.Outcome(retried: .waiting(behind: unavailable)) else {
            Issue.record("not still queued")
            return
        }
        #expect(behind.hasPrefix("waiting behind: "))
    }
}
