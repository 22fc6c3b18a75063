import DashboardCore
import Foundation
import ProvisioningCore
import TerminalUI
import TestSupport
import Testing

/// Every text and background colour pair the renderer draws — each view, each row under the cursor, each form
/// field in focus — in every shipped theme, measured with WCAG's contrast ratio as a 256-colour terminal and an
/// 8-colour one (after `ColorMapper` degraded the colours) show it. Dim text counts as drawn halfway to its
/// background; the terminal's own colours are xterm's, dark or light as the theme is meant for.
@Suite("Themes: contrast of everything drawn")
struct ThemeContrastTests {
    /// The terminal a theme is meant for: its own text and background colours.
    enum Backdrop: String, CustomStringConvertible {
        case dark, light

        var text: RGB { self == .dark ? RGB(229, 229, 229) : RGB(0, 0, 0) }
        var background: RGB { self == .dark ? RGB(0, 0, 0) : RGB(255, 255, 255) }
        var description: String { rawValue + " terminal" }
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let theme: String
        let backdrop: Backdrop
        let colorCount: Int

        /// The least contrast ratio anything drawn may have: 3:1 (WCAG's for large text and interface parts), dim
        /// text, guides and borders included. In the high-contrast theme 7:1, WCAG's enhanced level, and 4.5:1 on
        /// 8 colours, where white on red — a failure's badge — is 4.6:1 at best.
        var minimum: Double {
            guard theme == "high-contrast" else { return 3 }
            return colorCount >= 256 ? 7 : 4.5
        }

        var testDescription: String { "\(theme) on a \(backdrop), \(colorCount) colours" }
    }

    /// The terminals each theme in `themes/` is meant for: dark unless listed here, so a theme added there is
    /// measured too.
    static let backdrops: [String: [Backdrop]] = ["light": [.light], "mono": [.dark, .light]]

    static let cases: [Case] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: PackageFiles.themes)) ?? []
        let themes = files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
        return themes.flatMap { theme in
            (backdrops[theme] ?? [.dark]).flatMap { backdrop in
                [256, 8].map { Case(theme: theme, backdrop: backdrop, colorCount: $0) }
            }
        }
    }()

    @Test("every shipped theme is measured")
    func everyThemeMeasured() {
        #expect(Set(Self.cases.map(\.theme)) == Set(ThemeCatalogTests.shipped))
    }

    @Test("every pair drawn reaches the theme's minimum contrast", arguments: cases)
    func contrast(of testCase: Case) throws {
        let theme = try ThemeCatalog(directories: [PackageFiles.themes]).theme(testCase.theme)
        let mapper = ColorMapper(colorCount: testCase.colorCount)
        var worst: [String: (ratio: Double, example: String)] = [:]
        var shown: [Style: (text: RGB, background: RGB)] = [:]
        for (scene, state) in Self.scenes() {
            let screen = Renderer.render(state, size: state.size, theme: theme)
            for y in 0..<screen.size.height {
                for x in 0..<screen.size.width {
                    let cell = screen[x, y]
                    guard !cell.isContinuation, !cell.character.isWhitespace else { continue }
                    let colors = shown[cell.style] ?? Self.shown(mapper.paint(cell.style), on: testCase.backdrop)
                    shown[cell.style] = colors
                    let (text, background) = colors
                    let ratio = text.contrast(with: background)
                    guard ratio < testCase.minimum else { continue }
                    let key = "\(cell.style) → \(text) on \(background)"
                    if worst[key] == nil {
                        let line = String(screen.row(y).map(\.character)).trimmingCharacters(in: .whitespaces)
                        worst[key] = (ratio, "\(scene) (\(x),\(y)) '\(cell.character)' in \"\(line.prefix(60))\"")
                    }
                }
            }
        }
        let report = worst.sorted { $0.value.ratio < $1.value.ratio }.map {
            String(format: "%.2f", $0.value.ratio) + "  \($0.key)  e.g. \($0.value.example)"
        }
        #expect(report.isEmpty, Comment(rawValue: "below \(testCase.minimum):1\n" + report.joined(separator: "\n")))
    }

    /// The colours a terminal shows for `painted` text: its own where the style has none, swapped by reverse
    /// video, dim text halfway to the background.
    static func shown(_ painted: TerminalStyle, on backdrop: Backdrop) -> (text: RGB, background: RGB) {
        var text = painted.foreground < 0 ? backdrop.text : RGB.xterm(Int(painted.foreground))
        var background = painted.background < 0 ? backdrop.background : RGB.xterm(Int(painted.background))
        if painted.attributes.contains(.reverse) { swap(&text, &background) }
        if painted.attributes.contains(.dim) { text = text.halfway(to: background) }
        return (text, background)
    }

    // MARK: - Scenes

    /// Deployments in every status group with steps in every status.
    static let deployments =
        Fixtures.deployments + [
            Fixtures.deployment(
                "d5-degraded-0005", status: .degraded, createdAgo: 600,
                attempts: [Fixtures.attempt(done: 1, current: .aborted)]),
            Fixtures.deployment(
                "d6-unknown-00006", status: .starting, createdAgo: 700,
                attempts: [Fixtures.attempt(done: 3, current: .unknown)]),
        ]

    /// Screens that together draw every role: the tree with the cursor on each row, the help, the filter,
    /// follow mode, stale and back-off marks, the outbox, toasts, every form with each field and button in
    /// focus, refused fields, sending, questions, and a terminal too small.
    static func scenes() -> [(String, DashboardState)] {
        let size = Size(width: 132, height: 43)
        var tree = Fixtures.state(deployments, size: size)
        tree.press(.expandAll, .top)
        var scenes: [(String, DashboardState)] = []
        for row in 0..<tree.tree.rowCount {
            scenes.append(("tree row \(row)", tree))
            tree.press(.moveDown)
        }
        var state = Fixtures.state(deployments, size: size)
        state.press(.expandAll)
        scenes.append(("help", state.pressing(.toggleHelp)))
        var filtering = state.pressing(.startFilter)
        for character in "build" { filtering.press(.filterInsert(character)) }
        scenes += [("filter typed", filtering), ("filter accepted", filtering.pressing(.filterAccept))]
        scenes.append(("follow", state.pressing(.toggleFollow)))
        scenes += refreshFailures(state)
        scenes += outbox(state)
        for kind in [Toast.Kind.info, .success, .error] {
            var toasted = state
            toasted.toast(kind, "a \(kind) toast")
            scenes.append(("\(kind) toast", toasted))
        }
        scenes += forms(size: size)
        scenes.append(("too small", Fixtures.state(size: Size(width: 40, height: 10))))
        return scenes
    }

    private static func refreshFailures(_ state: DashboardState) -> [(String, DashboardState)] {
        var state = state
        let failure = RefreshFailure(message: "could not reach the API: connection refused")
        guard state.failNextRefresh(failure, at: Fixtures.now.addingTimeInterval(2)) else { return [] }
        let stale = state
        let limited = RefreshFailure(message: "429: too many requests", isRateLimited: true, retryAfter: 30)
        guard state.failNextRefresh(limited, at: Fixtures.now.addingTimeInterval(4)) else { return [] }
        return [("stale", stale), ("back-off", state)]
    }

    private static func outbox(_ state: DashboardState) -> [(String, DashboardState)] {
        var state = state
        let entries = [
            ReducerOutboxTests.entry(1, lastFailure: "could not reach the API"), ReducerOutboxTests.entry(2),
            ReducerOutboxTests.entry(3, refusal: "403 authorization_error: invalid secret"),
        ]
        _ = DashboardReducer.reduce(&state, ReducerOutboxTests.listed(entries))
        let panel = state.pressing(.openOutbox)
        return [
            ("outbox count", state), ("outbox panel", panel),
            ("outbox drop", panel.pressing(.outboxSelect(offset: 2), .outboxDrop)),
        ]
    }

    private static func forms(size: Size) -> [(String, DashboardState)] {
        let opened = [
            (
                "create attempt",
                ScreenSnapshotTests.formState(
                    .openCreateAttempt, on: NodeID(deployment: "d3-failed-000003"), size: size)
            ),
            (
                "stage progress",
                ScreenSnapshotTests.formState(
                    .openStageProgress, on: NodeID(deployment: "d3-failed-000003", stage: "build", attempt: 2),
                    size: size)
            ),
            ("step progress", ScreenSnapshotTests.formState(.openStepProgress, on: FormTests.runningStep, size: size)),
        ]
        var scenes: [(String, DashboardState)] = []
        for (name, state) in opened {
            guard case .form(let form) = state.mode else { continue }
            var focused = state
            for focus in 0...form.cancelIndex {
                scenes.append(("\(name) form, focus \(focus)", focused))
                focused.press(.formKey(.tab))
            }
        }
        var refused = ScreenSnapshotTests.formState(.openStepProgress, on: FormTests.runningStep, size: size)
        refused.press(.formKey(.tab), .formKey(.control("u")))
        for character in "yesterday" { refused.press(.formKey(.character(character))) }
        scenes.append(("refused field", refused.pressing(.formKey(.control("s")))))
        var secret = ScreenSnapshotTests.formState(.openStepProgress, on: FormTests.runningStep, size: size)
        secret.press(.formKey(.character("c")), .formKey(.tab), .formKey(.tab), .formKey(.tab), .formKey(.tab))
        for character in "s3cret" { secret.press(.formKey(.character(character))) }
        var answered = secret
        _ = answered.sendRefusedForItsSecret()
        scenes += [
            ("masked secret", secret), ("sending", secret.pressing(.formKey(.control("s")))),
            ("refused by the server", answered),
        ]
        let discard = ScreenSnapshotTests.formState(.openStepProgress, on: FormTests.runningStep, size: size)
        scenes.append(("discard question", discard.pressing(.formKey(.right), .formKey(.escape))))
        scenes.append(
            ("quick question", ScreenSnapshotTests.formState(.quickComplete, on: FormTests.runningStep, size: size)))
        return scenes
    }
}

extension DashboardState {
    /// This state after `commands`.
    fileprivate func pressing(_ commands: Command...) -> DashboardState {
        var state = self
        for command in commands { state.press(command) }
        return state
    }
}
