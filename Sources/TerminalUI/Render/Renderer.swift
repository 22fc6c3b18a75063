import DashboardCore

/// Draws the dashboard: `render(state, size, theme)` is a pure function from state to a grid of cells. It
/// costs what the visible rows cost, whatever the size of the tree.
public enum Renderer {
    public static func render(_ state: DashboardState, size: Size, theme: Theme) -> Screen {
        let layout = DashboardLayout(size: size, showsDetail: state.showsDetail)
        var screen = Screen(size: size, style: theme.resolved(.text))
        guard !layout.isTooSmall else {
            drawTooSmall(into: &screen, theme: theme)
            return screen
        }
        let context = RenderContext(state: state, theme: theme, layout: layout)
        HeaderView(context: context).draw(into: &screen)
        TreeView(context: context).draw(into: &screen)
        DetailView(context: context).draw(into: &screen)
        HintBar(context: context).draw(into: &screen)
        ToastView(context: context).draw(into: &screen)
        switch state.mode {
        case .help: HelpOverlay(context: context).draw(into: &screen)
        case .form(let form):
            FormView(context: context, form: form).draw(into: &screen)
            if form.sending != nil { screen.isAnimated = true }
        case .outbox(let panel):
            OutboxView(context: context, panel: panel).draw(into: &screen)
            if case .retry? = panel.pending { screen.isAnimated = true }
        default: break
        }
        return screen
    }

    private static func drawTooSmall(into screen: inout Screen, theme: Theme) {
        let minimum = DashboardLayout.minimumSize
        let message = "terminal too small (needs \(minimum.width)×\(minimum.height))"
        let lines = TextFit.wrap(message, width: max(1, screen.size.width))
        let top = max(0, (screen.size.height - lines.count) / 2)
        for (index, line) in lines.enumerated() {
            let x = max(0, (screen.size.width - CharacterWidth.of(line)) / 2)
            screen.write(line, x: x, y: top + index, style: theme.resolved(.headerStale))
        }
    }
}

/// What every view reads: the state, the theme and where things go.
struct RenderContext {
    let state: DashboardState
    let theme: Theme
    let layout: DashboardLayout

    var glyphs: Glyphs { state.settings.glyphs }

    /// The style of `role` as it reaches the screen (over the base text style).
    func style(_ role: Role) -> Style { theme.resolved(role) }
}
