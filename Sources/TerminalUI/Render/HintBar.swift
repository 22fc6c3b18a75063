import DashboardCore

/// The bottom line: the keys that matter now (as many as fit, whole), or the filter being typed; the cursor's
/// position on the right.
struct HintBar {
    let context: RenderContext

    func draw(into screen: inout Screen) {
        let rect = context.layout.hints
        let base = context.style(.hints)
        let state = context.state
        screen.fill(rect, style: base)
        let position = state.tree.rowCount > 0 ? " \(state.cursorRow + 1)/\(state.tree.rowCount) " : ""
        let positionX = rect.maxX - CharacterWidth.of(position)
        screen.write(position, x: positionX, y: rect.y, style: base)
        var spans: [Span] = [Span(" ")]
        switch state.mode {
        case .filtering:
            spans += [Span("/", .hintsKey), Span(state.tree.filter.text + "_", .filter), Span("   ")]
        case .confirming(let quick):
            spans += [Span(quick.question + " ", .filter)]
        case .outbox(let panel) where panel.confirmsDrop:
            spans += [Span("Drop entry \(panel.selectedID ?? 0)? ", .filter)]
        default:
            break
        }
        let limit = positionX - 1
        let hints = KeyMap.hints(for: state.mode, node: state.cursor?.kind, readOnly: state.settings.readOnly)
        for (key, meaning) in hints {
            // A hint without a meaning (`read-only`) is a word on its own.
            let hint = [
                Span(context.glyphs.spelled(key), .hintsKey), Span(meaning.isEmpty ? "  " : " \(meaning)  ", .hints),
            ]
            guard spans.width + hint.width - 2 <= limit - rect.x else { break }
            spans += hint
        }
        screen.write(spans, x: rect.x, y: rect.y, theme: context.theme, base: base, limit: limit)
    }
}
