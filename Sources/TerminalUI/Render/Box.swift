import DashboardCore

/// A bordered box drawn over whatever is below it: the help overlay and forms.
struct Box {
    let rect: Rect
    let title: String

    /// Fills the box, draws its border and title; returns the inner rectangle.
    @discardableResult
    func draw(into screen: inout Screen, context: RenderContext, body: Role, titleRole: Role) -> Rect {
        let style = context.style(body)
        let border = context.theme.style(.border).layered(over: style)
        screen.fill(rect, style: style)
        let ascii = context.glyphs == .ascii
        let (horizontal, vertical) = ascii ? ("-", "|") : ("─", "│")
        let corners = ascii ? ["+", "+", "+", "+"] : ["╭", "╮", "╰", "╯"]
        let line = String(repeating: horizontal, count: max(0, rect.width - 2))
        screen.write(corners[0] + line + corners[1], x: rect.x, y: rect.y, style: border)
        screen.write(corners[2] + line + corners[3], x: rect.x, y: rect.maxY - 1, style: border)
        for y in (rect.y + 1)..<max(rect.y + 1, rect.maxY - 1) {
            screen.write(vertical, x: rect.x, y: y, style: border)
            screen.write(vertical, x: rect.maxX - 1, y: y, style: border)
        }
        screen.write(
            " \(title) ", x: rect.x + 2, y: rect.y, style: context.theme.style(titleRole).layered(over: style),
            limit: rect.maxX - 2)
        return Rect(x: rect.x + 2, y: rect.y + 1, width: rect.width - 4, height: rect.height - 2)
    }

    /// A box of `width` × `height` centred in `area`, shrunk to fit.
    static func centered(width: Int, height: Int, in area: Size, title: String) -> Box {
        let boxWidth = min(width, area.width)
        let boxHeight = min(height, area.height - 2)
        return Box(
            rect: Rect(
                x: (area.width - boxWidth) / 2, y: max(1, (area.height - boxHeight) / 2), width: boxWidth,
                height: boxHeight),
            title: title)
    }
}
