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
        let right = refreshSpans()
        let rightWidth = right.width
        let leftLimit = max(rect.x, rect.maxX - rightWidth - 2)
        let candidates = leftCandidates()
        let left = candidates.first { $0.width <= leftLimit - rect.x } ?? candidates[candidates.count - 1]
        screen.write(left, x: rect.x, y: rect.y, theme: context.theme, base: base, limit: leftLimit)
        screen.write(right, x: max(rect.x, rect.maxX - rightWidth - 1), y: rect.y, theme: context.theme, base: base)
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

    private func refreshSpans() -> [Span] {
        let state = context.state
        let refresh = state.refresh
        var spans = outboxSpans()
        if state.follows { spans.append(Span(" FOLLOW ", .headerTitle)) }
        if let backoff = refresh.backoffUntil, backoff > state.now {
            let wait = DurationText.compact(backoff.timeIntervalSince(state.now))
            spans.append(Span(" 429 back-off: next try in \(wait) ", .headerBackoff))
        } else if let failure = refresh.failure {
            let retry =
                refresh.isInFlight
                ? "retrying now"
                : "retry in "
                    + (refresh.nextDue.map { DurationText.compact(max(0, $0.timeIntervalSince(state.now))) } ?? "-")
            let width = max(12, min(40, context.layout.header.width - 56))
            let summary = TextFit.truncate(failure.message, width: width, ellipsis: context.glyphs.ellipsis)
            spans.append(Span(" STALE: \(summary), \(retry) ", .headerStale))
        }
        if let last = refresh.lastSuccess {
            spans.append(Span(" updated \(DurationText.age(of: last, now: state.now)) ago", .header))
        }
        return spans
    }

    /// The outbox mark: how many declarations wait to be sent, and how many the API refused (`o` shows them).
    private func outboxSpans() -> [Span] {
        let outbox = context.state.outbox
        if let failure = outbox.failure, outbox.entries.isEmpty {
            let summary = TextFit.truncate(failure, width: 30, ellipsis: context.glyphs.ellipsis)
            return [Span(" outbox unreadable: \(summary) ", .headerStale), Span(" ")]
        }
        guard !outbox.entries.isEmpty else { return [] }
        var text = " outbox: \(outbox.waitingCount) waiting"
        if outbox.refusedCount > 0 { text += ", \(outbox.refusedCount) refused" }
        return [Span(text + " (o) ", .headerOutbox), Span(" ")]
    }
}
