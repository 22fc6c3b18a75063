/// Turns keys into commands, depending on the mode; also the source of the help overlay and the hint bar.
public enum KeyMap {
    /// The command `key` means in `mode`, or `nil` when it means nothing there.
    public static func command(for key: Key, in mode: Mode) -> Command? {
        switch mode {
        case .browsing: browsing(key)
        case .filtering: filtering(key)
        case .help: .toggleHelp
        }
    }

    private static func browsing(_ key: Key) -> Command? {
        switch key {
        case .up, .character("k"): .moveUp
        case .down, .character("j"): .moveDown
        case .left, .character("h"): .collapseOrParent
        case .right, .character("l"): .expandOrChild
        case .enter, .character(" "): .toggle
        case .pageUp, .control("b"): .pageUp
        case .pageDown, .control("f"): .pageDown
        case .home, .character("g"): .top
        case .end, .character("G"): .bottom
        case .character("E"): .expandAll
        case .character("C"): .collapseAll
        case .character("/"): .startFilter
        case .escape: .filterClear
        case .character("?"), .function(1): .toggleHelp
        case .character("r"), .function(5): .refresh
        case .character("f"): .toggleFollow
        case .character("t"): .cycleTheme
        case .character("d"): .toggleDetail
        case .character("q"), .control("c"): .quit
        default: nil
        }
    }

    private static func filtering(_ key: Key) -> Command? {
        switch key {
        case .character(let character): .filterInsert(character)
        case .backspace, .delete, .control("h"): .filterDeleteBackward
        case .enter, .up, .down, .tab: .filterAccept
        case .escape: .filterClear
        case .control("c"): .quit
        default: nil
        }
    }

    // MARK: - Help and hints

    /// One line of the help overlay.
    public struct Entry: Hashable, Sendable {
        public var keys: String
        public var meaning: String
    }

    /// The help overlay's sections, listing every key.
    public static let help: [(title: String, entries: [Entry])] = [
        (
            "Move",
            [
                Entry(keys: "↑ ↓  k j", meaning: "previous / next row"),
                Entry(keys: "← h", meaning: "collapse, or go to the parent"),
                Entry(keys: "→ l", meaning: "expand, or go to the first child"),
                Entry(keys: "Enter Space", meaning: "expand or collapse"),
                Entry(keys: "PgUp PgDn", meaning: "page up / down (also Ctrl-B Ctrl-F)"),
                Entry(keys: "g G  Home End", meaning: "first / last row"),
                Entry(keys: "E C", meaning: "expand / collapse everything"),
            ]
        ),
        (
            "View",
            [
                Entry(keys: "/", meaning: "filter: Enter keeps it, Esc clears it"),
                Entry(keys: "d", meaning: "show or hide the detail pane"),
                Entry(keys: "f", meaning: "follow what is running"),
                Entry(keys: "r", meaning: "refresh now"),
                Entry(keys: "t", meaning: "next theme"),
                Entry(keys: "?", meaning: "this help (any key closes it)"),
                Entry(keys: "q Ctrl-C", meaning: "quit"),
            ]
        ),
        (
            "Mouse",
            [
                Entry(keys: "click", meaning: "select a row; on ▸ or ▾, expand or collapse"),
                Entry(keys: "wheel", meaning: "scroll"),
            ]
        ),
    ]

    /// The hint bar for `mode`: key and meaning pairs, most useful first.
    public static func hints(for mode: Mode) -> [(key: String, meaning: String)] {
        switch mode {
        case .browsing:
            [
                ("↑↓", "move"), ("←→", "fold"), ("/", "filter"), ("?", "help"), ("q", "quit"), ("f", "follow"),
                ("d", "detail"), ("r", "refresh"), ("t", "theme"),
            ]
        case .filtering: [("Enter", "keep filter"), ("Esc", "clear")]
        case .help: [("any key", "close help")]
        }
    }
}
