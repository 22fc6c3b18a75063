import Foundation
import ProvisioningCore

/// Everything the dashboard shows: the tree, the cursor, the mode, refresh status and toasts. A value; only
/// `DashboardReducer` changes it, and the renderer draws it.
public struct DashboardState: Sendable {
    public var settings: DashboardSettings
    public var tree = DeploymentTree()
    /// The selected node; `nil` while the tree is empty.
    public internal(set) var cursor: NodeID?
    /// The row of `cursor`, kept in step with it.
    public internal(set) var cursorRow = 0
    /// The first row shown in the tree pane.
    public internal(set) var scrollTop = 0
    public internal(set) var size: Size
    public var mode = Mode.browsing
    /// How many lines the help overlay is scrolled down, when it is taller than the terminal.
    public internal(set) var helpScroll = 0
    public var showsDetail = true
    /// `f`: expand what is running and keep the cursor on the newest running step.
    public var follows = false
    public var refresh: RefreshStatus
    /// The declarations not yet delivered, as last read.
    public internal(set) var outbox = OutboxStatus()
    public internal(set) var toasts: [Toast] = []
    private var nextToastID = 1
    /// The clock, advanced by `.tick`; everything time-dependent on screen reads it, so tests are deterministic.
    public internal(set) var now: Date
    /// The theme in use.
    public var themeName: String
    /// Themes `t` could not load: it says why once, then passes over them.
    public internal(set) var brokenThemes: Set<String> = []

    /// Records that theme `name` could not be loaded (at start, where the reason was already said), so `t`
    /// passes over it without saying it again.
    public mutating func markThemeBroken(_ name: String) { brokenThemes.insert(name) }
    /// Provisioning secrets typed into forms, by deployment id: remembered for this session only, never
    /// written anywhere.
    public internal(set) var secrets: [String: String] = [:]
    /// The ticket of the next declaration sent.
    var nextTicket = 1

    public init(settings: DashboardSettings, size: Size, now: Date, interval: TimeInterval, themeName: String) {
        self.settings = settings
        self.size = size
        self.now = now
        self.themeName = themeName
        refresh = RefreshStatus(interval: interval)
    }

    // MARK: - Derived

    public var layout: DashboardLayout { DashboardLayout(size: size, showsDetail: showsDetail) }

    /// How many tree rows fit on screen.
    public var treeHeight: Int { max(1, layout.tree.height) }

    /// The rows the tree pane shows.
    public var visibleRows: [TreeRow] { tree.rows(from: scrollTop, count: layout.tree.height) }

    /// The node under the cursor with its data.
    public var selectedNode: TreeNode? { cursor.flatMap(tree.node) }

    /// How often spinners step. Four frames a second reads as motion and keeps an idle dashboard with running
    /// builds on screen under 1 % of a core (BENCHMARKS.md, "idle").
    public static let spinnerFramesPerSecond = 4.0

    /// The frame of spinners, from the clock.
    public var spinnerFrame: Int {
        Int((now.timeIntervalSinceReferenceDate * Self.spinnerFramesPerSecond).rounded(.down))
    }

    // MARK: - Cursor and scrolling

    /// Puts the cursor on `row` (clamped) and scrolls just enough to show it.
    mutating func moveCursor(toRow row: Int) {
        guard tree.rowCount > 0 else {
            cursor = nil
            cursorRow = 0
            scrollTop = 0
            return
        }
        cursorRow = min(max(0, row), tree.rowCount - 1)
        cursor = tree.row(at: cursorRow)?.id
        scrollToCursor()
    }

    /// Scrolls the minimum needed to show the cursor row.
    mutating func scrollToCursor() {
        if cursorRow < scrollTop { scrollTop = cursorRow }
        if cursorRow >= scrollTop + treeHeight { scrollTop = cursorRow - treeHeight + 1 }
        clampScroll()
    }

    /// Scrolls by `delta` rows, moving the cursor only if it would leave the screen.
    mutating func scroll(by delta: Int) {
        scrollTop += delta
        clampScroll()
        if cursorRow < scrollTop {
            moveCursor(toRow: scrollTop)
        } else if cursorRow >= scrollTop + treeHeight {
            moveCursor(toRow: scrollTop + treeHeight - 1)
        }
    }

    mutating func clampScroll() {
        scrollTop = min(max(0, scrollTop), max(0, tree.rowCount - treeHeight))
    }

    /// After the rows changed (refresh, toggle, filter): finds the cursor's node again by id — else its nearest
    /// visible ancestor, else the same row — and keeps it on the same screen line. A view at the top of the tree
    /// stays there, so deployments arriving first in the list come into sight (the cursor, on its node, moves
    /// down with the rows, as far as the view's last line).
    mutating func relocateCursor() {
        let lineOnScreen = scrollTop == 0 ? nil : cursorRow - scrollTop
        if let cursor, let row = tree.rowIndex(of: cursor) {
            cursorRow = row
        } else if let cursor, let row = Self.nearestVisibleAncestorRow(of: cursor, in: tree) {
            cursorRow = row
        } else {
            moveCursor(toRow: cursorRow)
            return
        }
        scrollTop = lineOnScreen.map { cursorRow - $0 } ?? 0
        clampScroll()
        scrollToCursor()
        self.cursor = tree.row(at: cursorRow)?.id
    }

    private static func nearestVisibleAncestorRow(of id: NodeID, in tree: DeploymentTree) -> Int? {
        for ancestor in id.ancestors {
            if let row = tree.rowIndex(of: ancestor) { return row }
        }
        return nil
    }

    /// Puts the cursor on node `id` if it is visible.
    mutating func select(_ id: NodeID) {
        if let row = tree.rowIndex(of: id) { moveCursor(toRow: row) }
    }

    /// Scrolls up, when the cursor can stay in view, so the rows from the cursor's deployment down to the cursor
    /// all show: which deployment a step belongs to is then on screen, not only in the detail pane.
    mutating func revealCursorContext() {
        guard let cursor, let top = tree.rowIndex(of: NodeID(deployment: cursor.deploymentID)) else { return }
        if top < scrollTop && cursorRow - top < treeHeight { scrollTop = top }
    }

    mutating func resize(to size: Size) {
        self.size = size
        clampScroll()
        scrollToCursor()
    }

    mutating func advanceClock(to date: Date) {
        now = date
        toasts.removeAll { $0.expiresAt <= date }
    }

    // MARK: - Toasts

    /// Shows a toast; at most three are kept, the oldest goes first.
    public mutating func toast(_ kind: Toast.Kind, _ text: String) {
        toasts.append(
            Toast(
                id: nextToastID, kind: kind, text: TerminalText.sanitized(text, limit: 300),
                expiresAt: now.addingTimeInterval(kind.lifetime)))
        nextToastID += 1
        if toasts.count > 3 { toasts.removeFirst(toasts.count - 3) }
    }
}
