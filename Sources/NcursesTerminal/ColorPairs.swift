import CNcurses
import DashboardCore
import TerminalUI

/// Turns styles into what ncurses paints: the attributes and a colour pair, allocated on demand per
/// (foreground, background). Both are kept per style, so fitting a style to the terminal happens once.
struct ColorPairs {
    let mapper: ColorMapper
    /// The terminal accepts -1 for its own colours (`use_default_colors` succeeded).
    let hasDefaultColors: Bool
    private let capacity: Int
    private var pairs: [Pair: Int32] = [:]
    private var painted: [Style: (attributes: TextAttributes, pair: Int32)] = [:]

    private struct Pair: Hashable {
        var foreground: Int32
        var background: Int32
    }

    init(colorCount: Int, pairCapacity: Int, hasDefaultColors: Bool) {
        mapper = ColorMapper(colorCount: colorCount)
        capacity = pairCapacity
        self.hasDefaultColors = hasDefaultColors
    }

    /// The attributes and pair number to paint `style` with; pair 0 (the terminal's colours) when there is no
    /// colour or no room.
    mutating func paint(_ style: Style) -> (attributes: TextAttributes, pair: Int32) {
        if let known = painted[style] { return known }
        let fitted = mapper.paint(style)
        let result = (fitted.attributes, pair(foreground: fitted.foreground, background: fitted.background))
        painted[style] = result
        return result
    }

    private mutating func pair(foreground: Int32, background: Int32) -> Int32 {
        guard mapper.colorCount > 0 else { return 0 }
        var pair = Pair(foreground: foreground, background: background)
        if !hasDefaultColors {
            if pair.foreground < 0 { pair.foreground = COLOR_WHITE }
            if pair.background < 0 { pair.background = COLOR_BLACK }
        }
        if pair.foreground < 0 && pair.background < 0 { return 0 }
        if let number = pairs[pair] { return number }
        let number = Int32(pairs.count + 1)
        guard Int(number) < capacity, init_extended_pair(number, pair.foreground, pair.background) != ERR else {
            return 0
        }
        pairs[pair] = number
        return number
    }
}
