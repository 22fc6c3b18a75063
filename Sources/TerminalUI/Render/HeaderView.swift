import DashboardCore
import ProvisioningCore

/// The top line: `kprov`, the API URL, what is fetched, counts by status group, the filter, and on the right
/// the refresh status — when data last came, or a stale mark and when the next try is.
struct HeaderView {
    let context: RenderContext

    func draw(into screen: inout Screen) {
        let rect = context.layout.header
        let base = context.style(.header)
        screen.fill(rect, style: base)
        let candidates = leftCandidates()
        let compact = candidates[candidates.count - 1]
        // The right part may take every column the most compact left part leaves but one; its stale message is
        // fitted two columns short of that, so the marks do not run into each other.
        let space = rect.width - compact.width - 1
        let full = refreshSpans(room: space - 2, compact: false)
        let right = full.width <= space ? full : refreshSpans(room: space - 2, compact: true)
        let leftLimit = max(rect.x + compact.width, rect.maxX - right.width - 2)
        let left = candidates.first { $0.width <= leftLimit - rect.x } ?? compact
        screen.write(left, x: rect.x, y: rect.y, theme: context.theme, base: base, limit: leftLimit)
        screen.write(right, x: leftLimit + 1, y: rect.y, theme: context.theme, base: base)
    }

    /// The left part, from the fullest to the most compact: counts lose their group names, then the URL goes.
    private func leftCandidates() -> [[Span]] {
        let title = Span(" kprov ", .headerTitle)
        let url = Span(context.state.settings.apiURL + "  ", .header)
        let query = context.state.settings.querySummary
        let scope = query.isEmpty ? [] : [Span("[\(query)]  ", .header)]
        var filter: [Span] = []
        let treeFilter = context.state.tree.filter
        if treeFilter.isActive {
            filter.append(
                Span("  filter: \(treeFilter.text) (\(context.state.tree.visibleDeploymentCount) shown)", .filter))
        }
        return [
            [title, url] + scope + countSpans(compact: false) + filter,
            [title, url] + scope + countSpans(compact: true) + filter,
            [title] + countSpans(compact: true) + filter,
        ]
    }

    private func countSpans(compact: Bool) -> [Span] {
        let tree = context.state.tree
        var spans = [Span("\(tree.deployments.count)" + (compact ? "" : " deployments"), .header)]
        for group in DeploymentStatus.Group.allCases {
            guard let count = tree.groupCounts[group], count > 0 else { continue }
            let badge = context.glyphs.badge
            let text = compact ? " \(badge)\(count)" : "  \(badge) \(count) \(group.rawValue)"
            spans.append(Span(text, Role.deployment(group)))
        }
        return spans
    }

    /// The right part in about `room` columns (what the most compact left part leaves): a stale mark's message
    /// is shortened to fit, and left out when only a few columns would remain for it. `compact`, for narrow
    /// terminals, keeps every mark in fewer words: `outbox 1 (o)`, `STALE`, `3s ago`.
    private func refreshSpans(room: Int, compact: Bool) -> [Span] {
        let state = context.state
        let refresh = state.refresh
        var spans = outboxSpans(compact: compact)
        if state.follows { spans.append(Span(" FOLLOW ", .headerTitle)) }
        let age = refresh.lastSuccess.map { DurationText.age(of: $0, now: state.now) }
        let updated = age.map { [Span(compact ? " \($0) ago" : " updated \($0) ago", .header)] } ?? []
        if let backoff = refresh.backoffUntil, backoff > state.now {
            let wait = DurationText.compact(backoff.timeIntervalSince(state.now))
            spans.append(Span(compact ? " 429: \(wait) " : " 429 back-off: next try in \(wait) ", .headerBackoff))
        } else if compact, refresh.isStale {
            spans.append(Span(" STALE ", .headerStale))
        } else if let failure = refresh.failure {
            let retry =
                refresh.isInFlight
                ? "retrying now"
                : "retry in "
                    + (refresh.nextDue.map { DurationText.compact(max(0, $0.timeIntervalSince(state.now))) } ?? "-")
            let fixedWidth = spans.width + updated.width + CharacterWidth.of(" STALE: ,  " + retry)
            let width = min(40, max(12, context.layout.header.width - 56), room - fixedWidth)
            spans.append(staleSpan(failure.message, retry: retry, width: width))
        }
        return spans + updated
    }

    /// The stale mark: `message` in at most `width` columns, or none below `shortestMessage`, then `retry`.
    private func staleSpan(_ message: String, retry: String, width: Int) -> Span {
        guard width >= Self.shortestMessage else { return Span(" STALE, \(retry) ", .headerStale) }
        let summary = TextFit.truncate(message, width: width, ellipsis: context.glyphs.ellipsis)
        return Span(" STALE: \(summary), \(retry) ", .headerStale)
    }

    /// A stale message shortened below this many columns is left out.
    private static let shortestMessage = 8

    /// The outbox mark: how many declarations wait to be sent, and how many the API refused (`o` shows them);
    /// `compact`, how many entries it holds.
    private func outboxSpans(compact: Bool) -> [Span] {
        let outbox = context.state.outbox
        if let failure = outbox.failure, outbox.entries.isEmpty {
            if compact { return [Span(" outbox unreadable ", .headerStale), Span(" ")] }
            let summary = TextFit.truncate(failure, width: 30, ellipsis: context.glyphs.ellipsis)
            return [Span(" outbox unreadable: \(summary) ", .headerStale), Span(" ")]
        }
        guard !outbox.entries.isEmpty else { return [] }
        if compact { return [Span(" outbox \(outbox.entries.count) (o) ", .headerOutbox), Span(" ")] }
        var text = " outbox: \(outbox.waitingCount) waiting"
        if outbox.refusedCount > 0 { text += ", \(outbox.refusedCount) refused" }
        return [Span(text + " (o) ", .headerOutbox), Span(" ")]
    }
}
