import DashboardCore

/// Toasts stacked above the hint bar at the right, newest lowest.
struct ToastView {
    let context: RenderContext

    func draw(into screen: inout Screen) {
        let toasts = context.state.toasts
        guard !toasts.isEmpty else { return }
        let hints = context.layout.hints
        let maxWidth = min(hints.width - 2, 72)
        for (index, toast) in toasts.reversed().enumerated() {
            let y = hints.y - 1 - index
            guard y > context.layout.header.maxY else { break }
            let text = " " + TextFit.truncate(toast.text, width: maxWidth - 2, ellipsis: context.glyphs.ellipsis) + " "
            let width = CharacterWidth.of(text)
            let x = hints.maxX - width - 1
            screen.write(text, x: x, y: y, style: context.style(role(of: toast.kind)))
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
