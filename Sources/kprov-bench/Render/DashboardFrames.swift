import DashboardCore
import Foundation
import ProvisioningCore
import TerminalUI

/// The work `DashboardRuntime` does for each event, without a terminal: reduce the clock tick and the event's
/// action, render the state into the cell grid, and compare the screen with the last one drawn (the runtime
/// paints only when they differ). One `frame(_:)` is what a key press costs before ncurses paints anything.
///
/// The clock stays where it started, so every run renders the same screens.
struct DashboardFrames {
    private(set) var state: DashboardState
    private let theme: Theme
    /// The last screen that differed from the one before it: what the terminal would show.
    private var lastScreen: Screen?

    /// The dashboard at `size` with `listing` loaded, as after its first refresh.
    init(listing: DeploymentListing, size: Size, now: Date) {
        state = DashboardState(
            settings: DashboardSettings(apiURL: "http://127.0.0.1:8000"), size: size, now: now, interval: 2,
            themeName: Theme.builtinDefault.name)
        theme = .builtinDefault
        let generation = frame(.start).fetchGeneration ?? 0
        frame(.refreshed(generation: generation, .success(listing)))
    }

    /// One event: the tick, then `action` (none for a frame the clock alone causes), then render and compare.
    @discardableResult
    mutating func frame(_ action: Action?) -> [Effect] {
        var effects = DashboardReducer.reduce(&state, .tick(state.now))
        if let action { effects += DashboardReducer.reduce(&state, action) }
        let screen = Renderer.render(state, size: state.size, theme: theme)
        if screen != lastScreen { lastScreen = screen }
        return effects
    }

    /// Asks for a refresh as `r` does, and returns the generation its answer must carry.
    mutating func requestRefresh() -> Int {
        frame(.command(.refresh)).fetchGeneration ?? state.refresh.generation
    }

    /// Moves the cursor to the deployment row nearest above the middle of the tree, so moves, pages and
    /// toggles run where there are rows on both sides.
    mutating func placeCursorMidTree() {
        let target = state.tree.rowCount / 2
        for _ in 0...(state.tree.rowCount / max(1, state.treeHeight - 1) + 1) where state.cursorRow < target {
            frame(.command(.pageDown))
        }
        for _ in 0..<state.tree.rowCount where state.tree.row(at: state.cursorRow)?.depth != 0 {
            frame(.command(.moveUp))
        }
    }
}

extension [Effect] {
    /// The generation of the fetch these effects ask for, if they ask for one.
    var fetchGeneration: Int? {
        for effect in self {
            if case .fetch(let generation) = effect { return generation }
        }
        return nil
    }
}
