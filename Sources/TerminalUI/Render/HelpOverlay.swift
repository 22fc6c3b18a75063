import DashboardCore

/// `?`: every key, in two columns in a box over the dashboard, with the declaring keys for the row under the
/// cursor.
struct HelpOverlay {
    let context: RenderContext

    private static let keyWidth = 13

    func draw(into screen: inout Screen) {
        let sections = KeyMap.help + [("On this row", actionEntries())]
        var columns: [[(title: String, entries: [KeyMap.Entry])]] = [[], []]
        for section in sections {
            let heights = columns.map(Self.height)
            columns[heights[0] <= heights[1] ? 0 : 1].append(section)
        }
        let height = columns.map(Self.height).max() ?? 0
        let box = Box.centered(
            width: 84, height: height + 2, in: screen.size,
            title: context.glyphs.spelled("kprov — keys, any key closes"))
        let inner = box.draw(into: &screen, context: context, body: .help, titleRole: .helpTitle)
        let columnWidth = (inner.width - 2) / 2
        for (index, column) in columns.enumerated() {
            draw(column, x: inner.x + index * (columnWidth + 2), width: columnWidth, inner: inner, into: &screen)
        }
    }

    private static func height(_ column: [(title: String, entries: [KeyMap.Entry])]) -> Int {
        column.reduce(0) { $0 + $1.entries.count + 1 } + max(0, column.count - 1)
    }

    private func draw(
        _ column: [(title: String, entries: [KeyMap.Entry])], x: Int, width: Int, inner: Rect, into screen: inout Screen
    ) {
        let base = context.style(.help)
        let limit = min(x + width, inner.maxX)
        var y = inner.y
        for (index, section) in column.enumerated() {
            if index > 0 { y += 1 }
            guard y < inner.maxY else { return }
            screen.write(
                section.title, x: x, y: y, style: context.theme.style(.helpTitle).layered(over: base), limit: limit)
            y += 1
            for entry in section.entries where y < inner.maxY {
                screen.write(
                    context.glyphs.spelled(entry.keys), x: x + 1, y: y,
                    style: context.theme.style(.helpKey).layered(over: base), limit: x + Self.keyWidth)
                screen.write(
                    context.glyphs.spelled(entry.meaning), x: x + Self.keyWidth + 1, y: y, style: base, limit: limit)
                y += 1
            }
        }
    }

    /// The declaring keys for the node under the cursor, or why there are none.
    private func actionEntries() -> [KeyMap.Entry] {
        let state = context.state
        if state.settings.readOnly {
            return [KeyMap.Entry(keys: "-", meaning: "read-only: no declaring")]
        }
        let actions = KeyMap.actions(for: state.cursor?.kind)
        guard !actions.isEmpty else { return [KeyMap.Entry(keys: "-", meaning: "nothing selected")] }
        return actions.map { KeyMap.Entry(keys: $0.key, meaning: $0.meaning) }
    }
}
