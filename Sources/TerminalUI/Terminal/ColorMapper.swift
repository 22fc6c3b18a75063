import DashboardCore

/// Fits theme styles to a terminal with `colorCount` colours.
///
/// - 256 colours or more: indexed colours as they are; 24-bit colours exact on direct-colour terminals, else the
///   nearest of the 256.
/// - 16 and 8 colours: every colour degrades to a basic one (see `BasicPalette`): greys stay grey, other colours
///   take the nearest hue, and text the degrading made unreadable on its background turns black or white.
/// - No colour: attributes only, and a background that highlighted something (the cursor row) becomes reverse
///   video, as with `NO_COLOR`.
public struct ColorMapper: Hashable, Sendable {
    public let colorCount: Int

    public init(colorCount: Int) {
        self.colorCount = colorCount
    }

    /// What the terminal paints for `style`.
    public func paint(_ style: Style) -> TerminalStyle {
        switch colorCount {
        case ..<1:
            TerminalStyle(attributes: style.withoutColors.attributes)
        case 256...:
            TerminalStyle(
                foreground: number(for: style.foreground), background: number(for: style.background),
                attributes: style.attributes)
        default:
            BasicPalette(count: colorCount >= 16 ? 16 : 8).paint(style)
        }
    }

    /// The colour number for `color` on a terminal with 256 colours or more; `nil` (inherit) and `default` map
    /// to -1.
    private func number(for color: Color?) -> Int32 {
        switch color {
        case nil, .terminalDefault?: -1
        case .indexed(let index)?: Int32(index)
        case .rgb(let red, let green, let blue)?:
            if colorCount >= 1 << 24 {
                Int32(red) << 16 | Int32(green) << 8 | Int32(blue)
            } else {
                Int32(RGB(Int(red), Int(green), Int(blue)).nearestXtermIndex)
            }
        }
    }
}
