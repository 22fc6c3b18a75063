import Foundation
import ProvisioningCore
import SnapshotTesting
import TerminalUI
import TestSupport
import Testing

@testable import DashboardCore

/// Screens as text plus a parallel attribute dump, at 80×24 and 132×43, with a fixed clock and fixed data.
/// Snapshots live in `__Snapshots__/ScreenSnapshotTests/`.
@Suite("Screen snapshots")
struct ScreenSnapshotTests {
    static let sizes = [Size(width: 80, height: 24), Size(width: 132, height: 43)]

    /// The main screen: the building deployment expanded, the cursor on its running step.
    static func mainState(size: Size, glyphs: Glyphs = .unicode) -> DashboardState {
        var state = Fixtures.state(size: size, glyphs: glyphs)
        state.press(.expandOrChild, .expandOrChild, .expandOrChild, .expandOrChild, .moveDown, .moveDown)
        return state
    }

    private func assertScreen(
        _ state: DashboardState, theme: Theme = .builtinDefault, named name: String, attributes: Bool = true,
        fileID: StaticString = #fileID, file: StaticString = #filePath, testName: String = #function,
        line: UInt = #line, column: UInt = #column
    ) {
        let screen = Renderer.render(state, size: state.size, theme: theme)
        assertSnapshot(
            of: screen, as: .screenText, named: name + ".text", fileID: fileID, file: file, testName: testName,
            line: line, column: column)
        if attributes {
            assertSnapshot(
                of: screen, as: .screenAttributes, named: name + ".attributes", fileID: fileID, file: file,
                testName: testName, line: line, column: column)
        }
    }

    @Test("main screen", arguments: sizes)
    func main(size: Size) {
        assertScreen(Self.mainState(size: size), named: "\(size.width)x\(size.height)")
    }

    @Test("help overlay", arguments: sizes)
    func help(size: Size) {
        var state = Self.mainState(size: size)
        state.press(.toggleHelp)
        assertScreen(state, named: "\(size.width)x\(size.height)")
    }

    @Test("filter being typed", arguments: sizes)
    func filter(size: Size) {
        var state = Fixtures.state(size: size)
        state.press(.startFilter)
        for character in "restore" { state.press(.filterInsert(character)) }
        assertScreen(state, named: "\(size.width)x\(size.height)")
    }

    @Test("a terminal too small for the layout")
    func tiny() {
        assertScreen(Fixtures.state(size: Size(width: 40, height: 10)), named: "40x10")
    }

    @Test("stale data after a failed refresh, and the back-off mark after a 429")
    func staleAndBackoff() {
        var state = Self.mainState(size: Size(width: 80, height: 24))
        let failure = RefreshFailure(message: "could not reach the API: connection refused (127.0.0.1:8000)")
        let failed = state.failNextRefresh(failure, at: Fixtures.now.addingTimeInterval(2))
        #expect(failed, "no fetch")
        _ = DashboardReducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(3)))
        assertScreen(state, named: "stale", attributes: false)
        let limited = RefreshFailure(message: "429: too many requests", isRateLimited: true, retryAfter: 30)
        let limitedAgain = state.failNextRefresh(limited, at: Fixtures.now.addingTimeInterval(4))
        #expect(limitedAgain, "no fetch")
        assertScreen(state, named: "backoff", attributes: false)
    }

    @Test("the API cannot be reached before anything loaded: the tree says what failed and when it retries")
    func unreachableAtStart() {
        var state = DashboardState(
            settings: DashboardSettings(apiURL: "http://127.0.0.1:9"), size: Size(width: 80, height: 24),
            now: Fixtures.now, interval: 2, themeName: "default")
        guard case .fetch(let generation)? = DashboardReducer.reduce(&state, .start).first else { return }
        let failure = RefreshFailure(APIError.transport(.unreachable(detail: "connection refused")))
        _ = DashboardReducer.reduce(&state, .refreshed(generation: generation, .failure(failure)))
        assertScreen(state, named: "80x24", attributes: false)
    }

    @Test("ASCII glyphs")
    func ascii() {
        var state = Self.mainState(size: Size(width: 80, height: 24), glyphs: .ascii)
        state.press(.toggleHelp)
        assertScreen(state, named: "help", attributes: false)
        state.press(.toggleHelp)
        assertScreen(state, named: "main", attributes: false)
    }

    @Test("each shipped theme's styling of the main screen", arguments: ThemeCatalogTests.shipped)
    func themed(name: String) throws {
        let theme = try ThemeCatalog(directories: [PackageFiles.themes]).theme(name)
        let screen = Renderer.render(
            Self.mainState(size: Size(width: 80, height: 24)), size: Size(width: 80, height: 24), theme: theme)
        assertSnapshot(of: screen, as: .screenAttributes, named: name)
    }

    @Test("server text cannot put escape sequences on screen")
    func hostileText() {
        var deployments = Fixtures.deployments
        deployments[0].provisioningInfo?.stages[0].buildAttempts[0].steps[2].messages = [
            "\u{1B}[2J\u{1B}]0;pwned\u{07}boom"
        ]
        var state = Fixtures.state(deployments)
        state.press(.expandOrChild)
        let screen = Renderer.render(state, size: state.size, theme: .builtinDefault)
        let scalars = screen.cells.flatMap { $0.character.unicodeScalars }
        #expect(!scalars.contains { $0.value < 0x20 || $0.value == 0x7F })
        #expect(screen.text.contains("\u{FFFD}[2J\u{FFFD}]0;pwned\u{FFFD}boom"))
    }

    // MARK: - Forms

    /// The main state with the form `command` opens on `node`.
    static func formState(_ command: Command, on node: NodeID, size: Size) -> DashboardState {
        var state = FormTests.state(selecting: node)
        _ = DashboardReducer.reduce(&state, .resized(size))
        state.press(command)
        return state
    }

    @Test("each form", arguments: sizes)
    func forms(size: Size) {
        let name = "\(size.width)x\(size.height)"
        let create = Self.formState(.openCreateAttempt, on: NodeID(deployment: "d3-failed-000003"), size: size)
        assertScreen(create, named: "create-attempt-" + name)
        let stage = Self.formState(
            .openStageProgress, on: NodeID(deployment: "d3-failed-000003", stage: "build", attempt: 2), size: size)
        assertScreen(stage, named: "stage-progress-" + name)
        var step = Self.formState(.openStepProgress, on: FormTests.runningStep, size: size)
        step.press(.formKey(.character("c")), .formKey(.tab), .formKey(.tab), .formKey(.tab))
        for character in "cloned by hand" { step.press(.formKey(.character(character))) }
        step.press(.formKey(.enter), .formKey(.tab))
        for character in "s3cret" { step.press(.formKey(.character(character))) }
        assertScreen(step, named: "step-progress-" + name)
    }

    @Test("a form with field errors: refused locally, then by the server")
    func formErrors() {
        var state = Self.formState(.openStepProgress, on: FormTests.runningStep, size: Size(width: 80, height: 24))
        state.press(.formKey(.tab), .formKey(.control("u")))
        for character in "yesterday" { state.press(.formKey(.character(character))) }
        state.press(.formKey(.control("s")))
        assertScreen(state, named: "local")
        state.press(.formKey(.control("u")))
        for character in "2026-11-29T11:58:50Z" { state.press(.formKey(.character(character))) }
        let sent = state.sendRefusedForItsSecret()
        #expect(sent, "nothing sent")
        assertScreen(state, named: "server")
    }

    @Test("confirmation prompts: quick c, discarding edits, leaving a final status")
    func confirmations() {
        let size = Size(width: 80, height: 24)
        var quick = Self.formState(.quickComplete, on: FormTests.runningStep, size: size)
        assertScreen(quick, named: "quick", attributes: false)
        quick.press(.answer(false))
        var discard = Self.formState(.openStepProgress, on: FormTests.runningStep, size: size)
        discard.press(.formKey(.right), .formKey(.escape))
        assertScreen(discard, named: "discard", attributes: false)
        var final = Self.formState(.openStepProgress, on: FormTests.completedStep, size: size)
        final.press(.formKey(.character("r")), .formKey(.control("s")))
        assertScreen(final, named: "final", attributes: false)
    }

    @Test("read-only: the hints say so and the help lists no actions")
    func readOnly() {
        var state = Fixtures.state(readOnly: true)
        assertScreen(state, named: "hints", attributes: false)
        state.press(.toggleHelp)
        assertScreen(state, named: "help", attributes: false)
    }

    @Test(
        "the outbox: the header's count, the panel with waiting, retrying and refused entries, a drop question",
        arguments: sizes)
    func outbox(size: Size) {
        var state = Self.mainState(size: size)
        let entries = [
            ReducerOutboxTests.entry(1, lastFailure: "could not reach the API: connection refused (127.0.0.1:8000)"),
            ReducerOutboxTests.entry(2),
            ReducerOutboxTests.entry(3, refusal: "403 authorization_error: invalid secret"),
        ]
        _ = DashboardReducer.reduce(&state, ReducerOutboxTests.listed(entries))
        assertScreen(state, named: "header-\(size.width)x\(size.height)", attributes: false)
        state.press(.openOutbox)
        assertScreen(state, named: "panel-\(size.width)x\(size.height)")
        state.press(.outboxSelect(offset: 2), .outboxDrop)
        assertScreen(state, named: "drop-\(size.width)x\(size.height)", attributes: false)
        _ = DashboardReducer.reduce(&state, ReducerOutboxTests.listed([]))
        state.press(.answer(false))
        assertScreen(state, named: "empty-\(size.width)x\(size.height)", attributes: false)
    }
}
