/// A complete set of styles, one per `Role`.
///
/// Every theme is laid over the built-in default, so a theme file may set only the roles it cares about and a
/// theme is never missing a style.
public struct Theme: Hashable, Sendable {
    public var name: String
    private var styles: [Role: Style]

    /// A theme with `styles`; roles it leaves out are plain.
    public init(name: String, styles: [Role: Style]) {
        self.name = name
        self.styles = styles
    }

    /// The style of `role`.
    public func style(_ role: Role) -> Style { styles[role] ?? .plain }

    /// The style of `role` drawn over the base `text` role, as it reaches the screen.
    public func resolved(_ role: Role) -> Style {
        role == .text ? style(.text) : style(role).layered(over: style(.text))
    }

    /// This theme with `overrides` replacing some of its styles, under a new name.
    public func overlaid(with overrides: [Role: Style], name: String) -> Theme {
        Theme(name: name, styles: styles.merging(overrides) { _, new in new })
    }

    /// The theme with every colour removed (`NO_COLOR`): attributes stay, highlights become reverse video.
    public var withoutColors: Theme {
        Theme(name: name, styles: styles.mapValues(\.withoutColors))
    }
}
