import CNcurses
import DashboardCore
import TerminalUI

/// Allocates ncurses colour pairs on demand, one per (foreground, background) the screen uses.
struct ColorPairs {
    let mapper: ColorMapper
    /// The terminal accepts -1 for its own colours (`use_default_colors` succeeded).
    let hasDefaultColors: Bool
    private let capacity: Int
    private var pairs: [Pair: Int32] = [:]

    private struct Pair: Hashable {
        var foreground: Int32
        var background: Int32
    }

    init(colorCount: Int, pairCapacity: Int, hasDefaultColors: Bool) {
        mapper = ColorMapper(colorCount: colorCount)
        capacity = pairCapacity
        self.hasDefaultColors = hasDefaultColors
    }

    /// The pair number for `style`'s colours; 0 (the terminal's colours) when there is no colour or no room.
    mutating func pair(for style: Style) -> Int32 {
        guard mapper.colorCount > 0 else { return 0 }
        var pair = Pair(
            foreground: mapper.number(for: style.foreground), background: mapper.number(for: style.background))
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
