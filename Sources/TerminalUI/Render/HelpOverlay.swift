import DashboardCore

/// `?`: every key in a box over the dashboard, with the declaring keys for the row under the cursor: in two
/// columns when the box is wide enough for every line, else in one with the sections closer together. A column
/// taller than the box scrolls (`DashboardState.helpScroll`), with a line saying how much is above or below.
struct HelpOverlay {
    let context: RenderContext

    private typealias Section = (title: String, entries: [KeyMap.Entry])
    /// A row of a column; `isEntry` when it shows a key (for counting what is left out).
    private typealias Line = (spans: [Span], isEntry: Bool)

    private static let maximumWidth = 84
    /// Columns between the two columns.
    private static let gutter = 2

    func draw(into screen: inout Screen) {
        let state = context.state
        let sections = KeyMap.helpSections(for: state.cursor?.kind, readOnly: state.settings.readOnly).map {
            section in
            Section(
                section.title,
                section.entries.map { KeyMap.Entry(keys: spelled($0.keys), meaning: spelled($0.meaning)) })
        }
        let entries = sections.flatMap(\.entries)
        let meaningColumn = 2 + (entries.map { CharacterWidth.of($0.keys) }.max() ?? 0)
        let widest = meaningColumn + (entries.map { CharacterWidth.of($0.meaning) }.max() ?? 0)
        let width = min(Self.maximumWidth, screen.size.width)
        let twoColumnWidth = (width - 4 - Self.gutter) / 2
        let twoColumns = twoColumnWidth >= widest
        let columnWidth = twoColumns ? twoColumnWidth : width - 4
        let columns = (twoColumns ? Self.balanced(sections) : [sections]).map {
            lines($0, meaningColumn: meaningColumn, gaps: twoColumns)
        }
        let box = Box.centered(
            width: width, height: (columns.map(\.count).max() ?? 0) + 2, in: screen.size,
            title: spelled("kprov — keys: ↑↓ scroll, any other key closes"))
        let inner = box.draw(into: &screen, context: context, body: .help, titleRole: .helpTitle)
        let base = context.style(.help)
        for (index, column) in columns.enumerated() {
            let x = inner.x + index * (columnWidth + Self.gutter)
            for (row, line) in fitted(column, height: inner.height, scroll: state.helpScroll).enumerated() {
                screen.write(
                    line, x: x, y: inner.y + row, theme: context.theme, base: base,
                    limit: min(x + columnWidth, inner.maxX))
            }
        }
    }

    // MARK: - Layout

    /// `sections` in two columns of about the same height, each section going to the shorter one.
    private static func balanced(_ sections: [Section]) -> [[Section]] {
        var columns: [[Section]] = [[], []]
        for section in sections {
            let heights = columns.map { column in column.reduce(0) { $0 + $1.entries.count + 2 } }
            columns[heights[0] <= heights[1] ? 0 : 1].append(section)
        }
        return columns
    }

    /// The rows of a column: each section's title, then its keys with their meanings from `meaningColumn`
    /// on; a blank row between sections when `gaps`.
    private func lines(_ sections: [Section], meaningColumn: Int, gaps: Bool) -> [Line] {
        var lines: [Line] = []
        for (index, section) in sections.enumerated() {
            if index > 0 && gaps { lines.append(([], false)) }
            lines.append(([Span(section.title, .helpTitle)], false))
            for entry in section.entries {
                let key = [Span(" ", .help), Span(entry.keys, .helpKey)]
                lines.append((key + [Span(pad(meaningColumn - key.width) + entry.meaning, .help)], true))
            }
        }
        return lines
    }

    /// The `height` rows of `column` from line `scroll` on (at most to its end); when lines are left out above
    /// or below, the first or last row says how many keys and where to scroll.
    private func fitted(_ column: [Line], height: Int, scroll: Int) -> [[Span]] {
        guard column.count > height, height > 0 else { return column.prefix(max(0, height)).map(\.spans) }
        let top = min(max(0, scroll), column.count - height)
        var rows = column[top..<(top + height)].map(\.spans)
        if top + height < column.count {
            let below = column[(top + height - 1)...].filter(\.isEntry).count
            rows[height - 1] = [Span(spelled("↓ \(below) more keys (↓ PgDn)"), .textDim)]
        }
        if top > 0, height > 1 {
            let above = column[...top].filter(\.isEntry).count
            rows[0] = [Span(spelled("↑ \(above) more keys (↑ PgUp)"), .textDim)]
        }
        return rows
    }

    private func pad(_ count: Int) -> String { String(repeating: " ", count: max(0, count)) }

    private func spelled(_ text: String) -> String { context.glyphs.spelled(text) }
}
