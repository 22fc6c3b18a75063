import DashboardCore

/// The tree pane: only the rows in view are flattened and drawn. Shows what is going on instead of a blank
/// pane while loading, after a failure with nothing loaded yet, or when nothing matches.
struct TreeView {
    let context: RenderContext

    func draw(into screen: inout Screen) {
        let rect = context.layout.tree
        let state = context.state
        let base = context.style(.text)
        guard state.tree.rowCount > 0 else {
            drawEmpty(into: &screen, rect: rect)
            return
        }
        // While the data is stale nothing is known to be moving, so running items stand still.
        let spinnerFrame = state.refresh.isStale ? nil : state.spinnerFrame
        let content = TreeRowContent(glyphs: context.glyphs, now: state.now, spinnerFrame: spinnerFrame)
        let rows = state.tree.rows(from: state.scrollTop, count: rect.height)
        for (offset, row) in rows.enumerated() {
            guard let node = state.tree.node(row.id) else { continue }
            let y = rect.y + offset
            let spans = content.spans(for: row, node: node, width: rect.width)
            let rightWidth = spans.right.width
            let limit = rect.x + TreeRowContent.leftLimit(width: rect.width, rightWidth: rightWidth)
            let end = screen.write(spans.left, x: rect.x, y: y, theme: context.theme, base: base, limit: limit)
            // Only a row that reached its limit can have been cut; measuring every row would cost a frame 15 %.
            if end >= limit - 1, rect.x + spans.left.width > end { markCut(&screen, y: y, end: end, from: rect.x) }
            screen.write(spans.right, x: rect.maxX - rightWidth - 1, y: y, theme: context.theme, base: base)
            if spinnerFrame != nil, TreeRowContent.isRunning(node) { screen.isAnimated = true }
            if state.scrollTop + offset == state.cursorRow {
                screen.overlay(Rect(x: rect.x, y: y, width: rect.width, height: 1), style: context.theme.style(.cursor))
            }
        }
    }

    /// Ends a row whose text did not fit before column `end` with an ellipsis, in the style of the cell it
    /// replaces (both cells of a wide character, so none is left half drawn).
    private func markCut(_ screen: inout Screen, y: Int, end: Int, from start: Int) {
        var x = end - 1
        guard x >= start else { return }
        if screen[x, y].isContinuation { x -= 1 }
        let ellipsis = context.glyphs.ellipsis + String(repeating: " ", count: end - x - 1)
        screen.write(ellipsis, x: x, y: y, style: screen[x, y].style, limit: end)
    }

    private func drawEmpty(into screen: inout Screen, rect: Rect) {
        let state = context.state
        var lines: [(String, Role)] = []
        if let failure = state.refresh.failure, state.refresh.lastSuccess == nil {
            lines.append(("Could not load deployments from \(state.settings.apiURL):", .statusFailed))
            lines.append((failure.message, .text))
            if let due = state.refresh.nextDue {
                let wait = DurationText.compact(max(0, due.timeIntervalSince(state.now)))
                lines.append(("Trying again in \(wait); press r to try now, q to quit.", .textDim))
            }
        } else if state.refresh.lastSuccess == nil {
            lines.append(("Loading deployments from \(state.settings.apiURL)\(context.glyphs.ellipsis)", .textDim))
        } else if state.tree.filter.isActive {
            lines.append(
                ("Nothing matches \u{201C}\(state.tree.filter.text)\u{201D}. Esc clears the filter.", .textDim))
        } else {
            lines.append(("No deployments.", .textDim))
        }
        var y = rect.y + 1
        for (text, role) in lines {
            for line in TextFit.wrap(text, width: rect.width - 4) where y < rect.maxY {
                screen.write(line, x: rect.x + 2, y: y, style: context.style(role), limit: rect.maxX)
                y += 1
            }
        }
    }
}
