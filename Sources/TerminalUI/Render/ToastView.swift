import DashboardCore

/// Toasts stacked above the hint bar at the right, newest lowest. A toast is as wide as its text needs, up to
/// the screen's width less a margin, and wraps at spaces onto up to `maximumLines` lines; only what goes
/// beyond those is cut, with an ellipsis.
struct ToastView {
    let context: RenderContext

    /// The most lines one toast takes.
    static let maximumLines = 4

    func draw(into screen: inout Screen) {
        let toasts = context.state.toasts
        guard !toasts.isEmpty else { return }
        let hints = context.layout.hints
        // A column of margin and a space of padding on each side.
        let textWidth = hints.width - 4
        var bottom = hints.y - 1
        for toast in toasts.reversed() {
            let lines = TextFit.wrap(
                toast.text, width: textWidth, maximumLines: Self.maximumLines, ellipsis: context.glyphs.ellipsis)
            let top = bottom - lines.count + 1
            guard top > context.layout.header.maxY else { break }
            let width = (lines.map { CharacterWidth.of($0) }.max() ?? 0) + 2
            let x = hints.maxX - width - 1
            let style = context.style(role(of: toast.kind))
            for (index, line) in lines.enumerated() {
                screen.write(" " + TextFit.pad(line, width: width - 2) + " ", x: x, y: top + index, style: style)
            }
            bottom = top - 1
        }
    }

    private func role(of kind: Toast.Kind) -> Role {
        switch kind {
        case .info: .toastInfo
        case .success: .toastSuccess
        case .error: .toastError
        }
    }
}
