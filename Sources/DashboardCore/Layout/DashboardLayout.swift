/// Where the parts of the dashboard go for a terminal size: the header on top, the key hints at the bottom,
/// the tree in between, and the detail pane right of the tree when the terminal is wide, below it when narrow.
public struct DashboardLayout: Hashable, Sendable {
    /// The smallest terminal the dashboard draws in; below it shows "terminal too small".
    public static let minimumSize = Size(width: 60, height: 12)
    /// From this width on the detail pane sits right of the tree.
    public static let sideBySideWidth = 110

    public let size: Size
    public let header: Rect
    public let tree: Rect
    /// The detail pane including its border line (left of it when side by side, above it when stacked);
    /// empty when hidden.
    public let detail: Rect
    public let detailIsBeside: Bool
    public let hints: Rect

    public init(size: Size, showsDetail: Bool) {
        self.size = size
        header = Rect(x: 0, y: 0, width: size.width, height: 1)
        hints = Rect(x: 0, y: max(0, size.height - 1), width: size.width, height: 1)
        let body = Rect(x: 0, y: 1, width: size.width, height: size.height - 2)
        if !showsDetail {
            tree = body
            detail = .zero
            detailIsBeside = false
        } else if size.width >= Self.sideBySideWidth {
            let detailWidth = max(40, size.width * 2 / 5)
            tree = Rect(x: 0, y: body.y, width: body.width - detailWidth, height: body.height)
            detail = Rect(x: tree.maxX, y: body.y, width: detailWidth, height: body.height)
            detailIsBeside = true
        } else {
            let detailHeight = max(5, body.height / 3)
            tree = Rect(x: 0, y: body.y, width: body.width, height: body.height - detailHeight)
            detail = Rect(x: 0, y: tree.maxY, width: body.width, height: detailHeight)
            detailIsBeside = false
        }
    }

    /// Whether the terminal is smaller than `minimumSize`.
    public var isTooSmall: Bool {
        size.width < Self.minimumSize.width || size.height < Self.minimumSize.height
    }
}
