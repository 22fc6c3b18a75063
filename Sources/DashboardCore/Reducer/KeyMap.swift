/// Turns keys into commands, depending on the mode; also the source of the help overlay and the hint bar.
public enum KeyMap {
    /// The command `key` means in `mode`, or `nil` when it means nothing there.
    public static func command(for key: Key, in mode: Mode) -> Command? {
        switch mode {
        case .browsing: browsing(key)
        case .filtering: filtering(key)
        case .help: help(key)
        case .form: key == .control("c") ? .quit : .formKey(key)
        case .confirming: answer(key)
        case .outbox(let panel): panel.confirmsDrop ? answer(key) : outbox(key)
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
        case .character("a"): .openCreateAttempt
        case .character("s"): .openStageProgress
        case .character("p"): .openStepProgress
        case .character("c"): .quickComplete
        case .character("x"): .quickFail
        case .character("o"): .openOutbox
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

    /// Scrolling keys scroll (a help taller than the terminal); any other key closes it.
    private static func help(_ key: Key) -> Command {
        switch key {
        case .up, .character("k"): .scrollHelp(by: -1)
        case .down, .character("j"): .scrollHelp(by: 1)
        case .pageUp, .control("b"): .scrollHelp(by: -10)
        case .pageDown, .control("f"): .scrollHelp(by: 10)
        case .control("c"): .quit
        default: .toggleHelp
        }
    }

    private static func outbox(_ key: Key) -> Command? {
        switch key {
        case .up, .character("k"): .outboxSelect(offset: -1)
        case .down, .character("j"): .outboxSelect(offset: 1)
        case .pageUp, .control("b"): .outboxSelect(offset: -10)
        case .pageDown, .control("f"): .outboxSelect(offset: 10)
        case .character("r"), .enter: .outboxRetry
        case .character("d"), .delete: .outboxDrop
        case .escape, .character("o"), .character("q"): .closeOutbox
        case .control("c"): .quit
        default: nil
        }
    }

    private static func answer(_ key: Key) -> Command? {
        switch key {
        case .character("y"), .character("Y"): .answer(true)
        case .character("n"), .character("N"), .escape: .answer(false)
        case .control("c"): .quit
        default: nil
        }
    }

    // MARK: - Help and hints

    /// One line of the help overlay.
    public struct Entry: Hashable, Sendable {
        public var keys: String
        public var meaning: String

        public init(keys: String, meaning: String) {
            self.keys = keys
            self.meaning = meaning
        }
    }

    /// The help overlay's sections: every key, then the declaring keys for the node under the cursor (`node`),
    /// or why there are none.
    public static func helpSections(for node: NodeKind?, readOnly: Bool) -> [(title: String, entries: [Entry])] {
        let actions = actions(for: node).map { Entry(keys: $0.key, meaning: $0.meaning) }
        let onThisRow =
            readOnly
            ? [Entry(keys: "-", meaning: "read-only: no declaring")]
            : actions.isEmpty ? [Entry(keys: "-", meaning: "nothing selected")] : actions
        return help + [("On this row", onThisRow)]
    }

    /// How far the help overlay scrolls in a terminal of `size`: its lines in one column (a title per section,
    /// a line per key), less the rows its box shows.
    public static func helpScrollLimit(for node: NodeKind?, readOnly: Bool, in size: Size) -> Int {
        let sections = helpSections(for: node, readOnly: readOnly)
        let lines = sections.count + sections.reduce(0) { $0 + $1.entries.count }
        return max(0, lines - max(0, size.height - 4))
    }

    /// The help overlay's sections, listing every key.
    public static let help: [(title: String, entries: [Entry])] = [
        (
            "Move",
            [
                Entry(keys: "↑ ↓  k j", meaning: "previous / next row"),
                Entry(keys: "← h", meaning: "collapse, or parent"),
                Entry(keys: "→ l", meaning: "expand, or first child"),
                Entry(keys: "Enter Space", meaning: "expand or collapse"),
                Entry(keys: "PgUp PgDn", meaning: "page up / down"),
                Entry(keys: "^B ^F", meaning: "page up / down"),
                Entry(keys: "g G Home End", meaning: "first / last row"),
                Entry(keys: "E C", meaning: "expand / collapse all"),
            ]
        ),
        (
            "View",
            [
                Entry(keys: "/", meaning: "filter (Esc clears)"),
                Entry(keys: "d", meaning: "show / hide detail pane"),
                Entry(keys: "f", meaning: "follow what is running"),
                Entry(keys: "r", meaning: "refresh now"),
                Entry(keys: "o", meaning: "outbox: queued sends"),
                Entry(keys: "t", meaning: "next theme"),
                Entry(keys: "q Ctrl-C", meaning: "quit"),
                Entry(keys: "Ctrl-Z", meaning: "suspend (fg resumes)"),
            ]
        ),
        (
            "Declare",
            [
                Entry(keys: "a", meaning: "create attempt"),
                Entry(keys: "s", meaning: "stage progress"),
                Entry(keys: "p", meaning: "step progress"),
                Entry(keys: "c x", meaning: "step COMPLETED / FAILED"),
            ]
        ),
        (
            "In a form",
            [
                Entry(keys: "Tab S-Tab", meaning: "next / previous field"),
                Entry(keys: "← →", meaning: "pick a status"),
                Entry(keys: "Space", meaning: "tick a box"),
                Entry(keys: "Ctrl-S Esc", meaning: "send / cancel"),
            ]
        ),
        (
            "Mouse",
            [
                Entry(keys: "click", meaning: "select; on ▸ ▾ toggle"),
                Entry(keys: "wheel", meaning: "scroll"),
            ]
        ),
    ]

    /// The declaring keys that work on a node of `kind`.
    public static func actions(for kind: NodeKind?) -> [(key: String, meaning: String)] {
        switch kind {
        case .deployment?, .stage?: [("a", "attempt")]
        case .attempt?: [("s", "stage progress")]
        case .step?: [("p", "step"), ("c", "completed"), ("x", "failed")]
        case nil: []
        }
    }

    /// The hint bar for `mode`: key and meaning pairs, most useful first; in the tree, the actions for the node
    /// under the cursor (or that they are off).
    public static func hints(for mode: Mode, node: NodeKind?, readOnly: Bool) -> [(key: String, meaning: String)] {
        switch mode {
        case .browsing:
            let actions = readOnly ? [("read-only", "")] : Self.actions(for: node)
            return [("↑↓", "move"), ("←→", "fold"), ("/", "filter")] + actions
                + [("?", "help"), ("q", "quit"), ("f", "follow"), ("d", "detail"), ("r", "refresh"), ("t", "theme")]
        case .filtering: return [("Enter", "keep filter"), ("Esc", "clear")]
        case .help: return [("↑↓ PgUp PgDn", "scroll"), ("any other key", "close help")]
        case .form(let form) where form.question != nil: return [("y", "yes"), ("n Esc", "no")]
        case .form:
            return [
                ("Tab ↑↓", "field"), ("←→", "status"), ("Space", "tick"), ("Enter", "add line"),
                ("Ctrl-S", "send"), ("Esc", "cancel"),
            ]
        case .confirming: return [("y", "yes"), ("n Esc", "no")]
        case .outbox(let panel) where panel.confirmsDrop: return [("y", "drop it"), ("n Esc", "keep it")]
        case .outbox:
            let changes = readOnly ? [("read-only", "")] : [("r Enter", "send now"), ("d", "drop")]
            return [("↑↓", "select")] + changes + [("Esc o", "close")]
        }
    }
}
