import DashboardCore
import TerminalUI
import TestSupport
import Testing

/// Focus in a form must show without colour: with `NO_COLOR` every background becomes reverse video, so the
/// focused field's highlight looks like every other field's.
@Suite("Forms: focus shows without colour")
struct FormFocusTests {
    static let forms: [(Command, NodeID)] = [
        (.openCreateAttempt, NodeID(deployment: "d3-failed-000003")),
        (.openStageProgress, NodeID(deployment: "d3-failed-000003", stage: "build", attempt: 2)),
        (.openStepProgress, FormTests.runningStep),
    ]

    @Test("with NO_COLOR, each field and button in focus draws a different form", arguments: ThemeCatalogTests.shipped)
    func focusShows(themeName: String) throws {
        let theme = try ThemeCatalog(directories: [PackageFiles.themes]).theme(themeName).withoutColors
        let size = Size(width: 80, height: 24)
        for (command, node) in Self.forms {
            var state = ScreenSnapshotTests.formState(command, on: node, size: size)
            guard case .form(let form) = state.mode else {
                Issue.record("no form for \(command)")
                continue
            }
            var focusDrawnAs: [[Cell]: Int] = [:]
            for focus in 0...form.cancelIndex {
                // The rows between the header and the hint bar: the form over the tree, which focus leaves alone.
                let screen = Renderer.render(state, size: size, theme: theme)
                let body = Array(screen.cells[size.width..<(size.width * (size.height - 1))])
                if let earlier = focusDrawnAs[body] {
                    Issue.record("\(command): focus on \(focus) looks like focus on \(earlier)")
                }
                focusDrawnAs[body] = focus
                state.press(.formKey(.tab))
            }
        }
    }
}
