import DashboardCore

/// A grid of cells: what the renderer produces and a terminal paints.
public struct Screen: Hashable, Sendable {
    public let size: Size
    public private(set) var cells: [Cell]
    /// Something on screen animates (a spinner), so the screen should be drawn again soon.
    public var isAnimated = false
    /// The cells spinner spans were written to; those still showing one are `isSpinner`.
    public private(set) var spinnerCells: [Int] = []

    /// A screen of spaces in `style`.
    public init(size: Size, style: Style = .plain) {
        self.size = size
        cells = Array(repeating: Cell(style: style), count: size.width * size.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        cells[y * size.width + x]
    }

    /// The cells of row `y`.
    public func row(_ y: Int) -> ArraySlice<Cell> {
        cells[(y * size.width)..<((y + 1) * size.width)]
    }

    // MARK: - Drawing

    /// Fills `rect` with spaces in `style`.
    public mutating func fill(_ rect: Rect, style: Style) {
        let clipped = clip(rect)
        for y in clipped.y..<clipped.maxY {
            for x in clipped.x..<clipped.maxX { cells[y * size.width + x] = Cell(style: style) }
        }
    }

    /// Lays `style` over every cell of `rect`: colours it sets win, attributes add up (the cursor row).
    public mutating func overlay(_ rect: Rect, style: Style) {
        let clipped = clip(rect)
        for y in clipped.y..<clipped.maxY {
            for x in clipped.x..<clipped.maxX {
                cells[y * size.width + x].style = style.layered(over: cells[y * size.width + x].style)
            }
        }
    }

    /// Writes `text` from column `x` of row `y` in `style`, stopping before column `limit` (default: the right
    /// edge). Control characters become `�`, so nothing written here can become an escape sequence.
    /// Returns the column after the last character written.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, style: Style, limit: Int? = nil) -> Int {
        write(text, x: x, y: y, style: style, limit: limit, isSpinner: false)
    }

    private mutating func write(_ text: String, x: Int, y: Int, style: Style, limit: Int?, isSpinner: Bool) -> Int {
        let end = min(limit ?? size.width, size.width)
        guard y >= 0, y < size.height else { return x }
        var column = x
        for character in text {
            let safe = Self.isControl(character) ? "\u{FFFD}" : character
            let width = CharacterWidth.of(safe)
            if width == 0 { continue }
            if column + width > end { break }
            if column >= 0 {
                let index = y * size.width + column
                cells[index] = Cell(safe, style: style)
                if isSpinner {
                    cells[index].isSpinner = true
                    spinnerCells.append(index)
                }
                if width == 2 { cells[y * size.width + column + 1] = Cell(" ", style: style, isContinuation: true) }
            }
            column += width
        }
        return column
    }

    /// Writes spans one after the other, each in its role's style over `base`; returns the next column.
    @discardableResult
    public mutating func write(_ spans: [Span], x: Int, y: Int, theme: Theme, base: Style, limit: Int? = nil) -> Int {
        var column = x
        for span in spans {
            column = write(
                span.text, x: column, y: y, style: theme.style(span.role).layered(over: base), limit: limit,
                isSpinner: span.isSpinner)
        }
        return column
    }

    /// This screen as the next spinner frame shows it, when nothing else changed: every cell still showing a
    /// spinner shows `glyph` — the same cells a full render would change, for a fraction of its cost.
    public func advancingSpinners(to glyph: Character) -> Screen {
        var next = self
        for index in spinnerCells where next.cells[index].isSpinner { next.cells[index].character = glyph }
        return next
    }

    private func clip(_ rect: Rect) -> Rect {
        let x = max(0, rect.x)
        let y = max(0, rect.y)
        return Rect(x: x, y: y, width: min(rect.maxX, size.width) - x, height: min(rect.maxY, size.height) - y)
    }

    private static func isControl(_ character: Character) -> Bool {
        guard let value = character.unicodeScalars.first?.value else { return false }
        return value < 0x20 || (0x7F...0x9F).contains(value)
    }
}
