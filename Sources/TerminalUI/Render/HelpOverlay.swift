import DashboardCore

/// `?`: every key, in a box over the dashboard.
struct HelpOverlay {
    let context: RenderContext

    private static let keyWidth = 16

    func draw(into screen: inout Screen) {
        let sections = KeyMap.help
        let lineCount = sections.reduce(0) { $0 + $1.entries.count + 2 } - 1
        let box = Box.centered(width: 66, height: lineCount + 2, in: screen.size, title: context.glyphs.spelled("kprov — keys"))
        let inner = box.draw(into: &screen, context: context, body: .help, titleRole: .helpTitle)
        let base = context.style(.help)
        var y = inner.y
        for (index, section) in sections.enumerated() {
            if index > 0 { y += 1 }
            guard y < inner.maxY else { return }
            screen.write(
                section.title, x: inner.x, y: y, style: context.theme.style(.helpTitle).layered(over: base),
                limit: inner.maxX)
            y += 1
            for entry in section.entries where y < inner.maxY {
                screen.write(
                    context.glyphs.spelled(entry.keys), x: inner.x + 1, y: y, style: context.theme.style(.helpKey).layered(over: base),
                    limit: inner.x + Self.keyWidth)
                screen.write(context.glyphs.spelled(entry.meaning), x: inner.x + Self.keyWidth + 1, y: y, style: base, limit: inner.maxX)
                y += 1
            }
        }
    }
}
