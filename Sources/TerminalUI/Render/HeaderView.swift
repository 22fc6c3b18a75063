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
        var spans = [Span(" kprov ", .headerTitle), Span(context.state.settings.apiURL + "  ", .header)]
        let query = context.state.settings.querySummary
        if !query.isEmpty { spans.append(Span("[\(query)]  ", .header)) }
        spans += countSpans()
        let filter = context.state.tree.filter
        if filter.isActive {
            spans.append(
                Span("  filter: \(filter.text) (\(context.state.tree.visibleDeploymentCount) shown)", .filter))
        }
        screen.write(spans, x: rect.x, y: rect.y, theme: context.theme, base: base, limit: leftLimit)
        screen.write(right, x: max(rect.x, rect.maxX - rightWidth - 1), y: rect.y, theme: context.theme, base: base)
    }

    private func countSpans() -> [Span] {
        let tree = context.state.tree
        var spans = [Span("\(tree.deployments.count) deployments", .header)]
        for group in DeploymentStatus.Group.allCases {
            guard let count = tree.groupCounts[group], count > 0 else { continue }
            spans.append(Span("  \(context.glyphs.badge) \(count) \(group.rawValue)", Role.deployment(group)))
        }
        return spans
    }

    private func refreshSpans() -> [Span] {
        let state = context.state
        let refresh = state.refresh
        var spans: [Span] = []
        if state.follows { spans.append(Span(" FOLLOW ", .headerTitle)) }
        if let backoff = refresh.backoffUntil, backoff > state.now {
            spans.append(
                Span(" 429 back-off: next try in \(DurationText.compact(backoff.timeIntervalSince(state.now))) ", .headerBackoff))
        } else if let failure = refresh.failure {
            let retry = refresh.nextDue.map { DurationText.compact(max(0, $0.timeIntervalSince(state.now))) } ?? "-"
            let summary = TextFit.truncate(failure.message, width: 40, ellipsis: context.glyphs.ellipsis)
            spans.append(Span(" STALE: \(summary), retry in \(retry) ", .headerStale))
        }
        if let last = refresh.lastSuccess {
            spans.append(Span(" updated \(DurationText.age(of: last, now: state.now)) ago", .header))
        }
        return spans
    }
}
