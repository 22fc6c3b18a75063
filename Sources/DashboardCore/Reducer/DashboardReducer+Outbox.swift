import Foundation
import ProvisioningCore

/// The outbox panel: the declarations not yet delivered, and sending or dropping one of them by hand.
extension DashboardReducer {
    static func openOutbox(_ state: inout DashboardState) -> [Effect] {
        state.mode = .outbox(OutboxPanel(selectedID: state.outbox.entries.first?.id))
        return [.outbox(.list)]
    }

    static func outbox(_ command: Command, _ state: inout DashboardState) -> [Effect] {
        guard case .outbox(var panel) = state.mode else { return [] }
        defer { if case .outbox = state.mode { state.mode = .outbox(panel) } }
        switch command {
        case .outboxSelect(let offset):
            let entries = state.outbox.entries
            guard !entries.isEmpty else { return [] }
            let current = panel.selectedID.flatMap(state.outbox.index(of:)) ?? 0
            panel.selectedID = entries[min(max(0, current + offset), entries.count - 1)].id
        case .outboxRetry, .outboxDrop:
            guard let id = panel.selectedID else { return [] }
            guard !state.settings.readOnly else {
                state.toast(.info, "read-only: the outbox can be looked at, not sent or changed")
                return []
            }
            guard panel.pending == nil else {
                state.toast(.info, "wait for the entry being sent or dropped")
                return []
            }
            if command == .outboxDrop {
                panel.confirmsDrop = true
                return []
            }
            panel.pending = .retry(id: id)
            return [.outbox(.retry(id: id))]
        case .closeOutbox:
            state.mode = .browsing
        default:
            break
        }
        return []
    }

    /// The y/n answer to "drop this entry?".
    static func answerDrop(_ yes: Bool, _ state: inout DashboardState) -> [Effect] {
        guard case .outbox(var panel) = state.mode, panel.confirmsDrop else { return [] }
        panel.confirmsDrop = false
        defer { state.mode = .outbox(panel) }
        guard yes, let id = panel.selectedID else { return [] }
        panel.pending = .drop(id: id)
        return [.outbox(.drop(id: id))]
    }

    /// Takes in the entries, keeps the selection on the same entry (or the one now in its place) and reports
    /// what a retry or drop did.
    static func outboxAnswered(_ reply: OutboxReply, _ state: inout DashboardState) -> [Effect] {
        let previousIndex: Int?
        if case .outbox(let panel) = state.mode {
            previousIndex = panel.selectedID.flatMap(state.outbox.index(of:))
        } else {
            previousIndex = nil
        }
        var effects: [Effect] = []
        switch reply.entries {
        case .success(let entries):
            if reply.request == .list || reply.request == .replay {
                effects += noteSentInTheBackground(before: state.outbox.entries, after: entries, &state)
            }
            state.outbox.entries = entries
            state.outbox.failure = nil
        case .failure(let failure):
            state.outbox.failure = failure.message
        }
        if case .outbox(var panel) = state.mode {
            if panel.pending == reply.request { panel.pending = nil }
            let entries = state.outbox.entries
            if panel.selectedID.flatMap(state.outbox.index(of:)) == nil {
                panel.selectedID = entries.isEmpty ? nil : entries[min(previousIndex ?? 0, entries.count - 1)].id
            }
            state.mode = .outbox(panel)
        }
        return effects + report(reply, &state)
    }

    /// Entries that left the outbox without a request from this panel were sent by a poll's replay (or by another
    /// kprov): says so, and refreshes, as the data on screen predates them. Entries the API refused meanwhile are
    /// said too: they stay in the outbox, and the header's count alone was easy to miss.
    private static func noteSentInTheBackground(
        before: [OutboxEntry], after: [OutboxEntry], _ state: inout DashboardState
    ) -> [Effect] {
        let waitingBefore = Set(before.filter { $0.refusal == nil }.map(\.id))
        let refused = after.filter { $0.refusal != nil && waitingBefore.contains($0.id) }
        if let first = refused.first, let reason = first.refusal {
            let what =
                refused.count == 1
                ? "the API refused \(first.declaration.summary) from the outbox: \(reason)"
                : "the API refused \(refused.count) declarations from the outbox"
            state.toast(.error, what + " (o shows \(refused.count == 1 ? "it" : "them"))")
        }
        let remaining = Set(after.map(\.id))
        let sent = before.filter { $0.refusal == nil && !remaining.contains($0.id) }
        guard !sent.isEmpty else { return [] }
        let what = sent.count == 1 ? sent[0].declaration.summary : "\(sent.count) declarations"
        state.toast(.success, "sent from the outbox: \(what)")
        return askForRefresh(&state)
    }

    private static func report(_ reply: OutboxReply, _ state: inout DashboardState) -> [Effect] {
        let entry: String
        switch reply.request {
        case .list, .replay: return []
        case .retry(let id), .drop(let id): entry = "outbox entry \(id)"
        }
        switch reply.outcome {
        case .listed:
            break
        case .delivered:
            state.toast(.success, "\(entry) delivered")
            return askForRefresh(&state)
        case .refused(let message):
            state.toast(.error, "\(entry) refused: \(message)")
        case .stillQueued(let message):
            state.toast(.error, "\(entry) still queued: \(message)")
        case .dropped:
            state.toast(.info, "\(entry) dropped; it will not be sent")
        case .failed(let message):
            state.toast(.error, message)
        }
        return []
    }

    /// A declaration reached the API: the data on screen is out of date, so a fresh fetch starts now (one in
    /// flight would bring the old state, so its answer is dropped).
    static func askForRefresh(_ state: inout DashboardState) -> [Effect] {
        state.refresh.isInFlight = false
        state.refresh.nextDue = state.now
        let effects = fetchIfDue(&state)
        if effects.isEmpty { state.refresh.generation += 1 }
        return effects
    }
}
