import Foundation
import ProvisioningCore
import TerminalUI
import Testing

@testable import DashboardCore

/// Forms on small terminals: the fields scroll to the focused one, the buttons and what is under them always
/// show, and a focused text field shows the end of what is typed.
@Suite("Forms on small terminals")
struct FormViewportTests {
    static let smallSizes = [Size(width: 60, height: 15), Size(width: 60, height: 12)]
    static let deployment = NodeID(deployment: "d3-failed-000003")
    static let attempt = NodeID(deployment: "d3-failed-000003", stage: "build", attempt: 2)

    private func text(_ state: DashboardState) -> String {
        Renderer.render(state, size: state.size, theme: .builtinDefault).text
    }

    private func type(_ text: String, _ state: inout DashboardState) {
        for character in text { state.press(.formKey(.character(character))) }
    }

    /// The line of `screen` that holds `needle`, if any.
    private func line(containing needle: String, in screen: String) -> String? {
        screen.split(separator: "\n").map(String.init).first { $0.contains(needle) }
    }

    @Test(
        "create attempt, focus on Secret, refused by the server, then Esc: all of it on screen", arguments: smallSizes)
    func refusedSecret(size: Size) throws {
        var state = ScreenSnapshotTests.formState(.openCreateAttempt, on: Self.deployment, size: size)
        for _ in 0..<6 { state.press(.formKey(.tab)) }
        type("bad", &state)
        var screen = text(state)
        let secret = try #require(line(containing: "Secret", in: screen), "the focused field is cut off:\n\(screen)")
        #expect(secret.contains("•••_"))
        #expect(screen.contains("[ Send ]  [ Cancel ]"))
        #expect(screen.contains("more ↑"), "nothing says fields are hidden above:\n\(screen)")
        #expect(!screen.contains("more ↓"))

        let sent = state.sendRefusedForItsSecret()
        #expect(sent, "nothing sent")
        screen = text(state)
        #expect(screen.contains("403: not allowed"), "the server's message is cut off:\n\(screen)")
        #expect(screen.contains("[ Send ]"))
        #expect(screen.contains("Secret"), "the focused field is cut off:\n\(screen)")

        state.press(.formKey(.escape))
        screen = text(state)
        #expect(screen.contains("Discard your changes? y/n"), "the question is cut off:\n\(screen)")
        #expect(screen.contains("[ Send ]"))
    }

    @Test("each field, focused in turn, is on screen with its problem", arguments: smallSizes)
    func everyFocusShows(size: Size) {
        var state = ScreenSnapshotTests.formState(.openCreateAttempt, on: Self.deployment, size: size)
        state.press(.formKey(.tab), .formKey(.control("u")))
        type("not a number", &state)
        state.press(.formKey(.control("s")))
        guard case .form(let form) = state.mode else {
            Issue.record("the form closed")
            return
        }
        let problem = form.errors[.attempt] ?? ""
        #expect(!problem.isEmpty)
        for focus in 0..<form.cancelIndex + 1 {
            guard case .form(let form) = state.mode else { return }
            let screen = text(state)
            let label = form.focus < form.fields.count ? form.fields[form.focus].key.label : "[ Send ]"
            #expect(screen.contains(label), "focus \(focus) (\(label)) is not on screen:\n\(screen)")
            if form.focusedField?.key == .attempt {
                #expect(screen.contains(problem), "the attempt's problem is cut off:\n\(screen)")
            }
            #expect(screen.contains("[ Cancel ]"))
            state.press(.formKey(.tab))
        }
    }

    @Test("a field's problem too long for the box wraps under the value, and what still does not fit ends in …")
    func longProblemWraps() throws {
        var state = ScreenSnapshotTests.formState(
            .openCreateAttempt, on: Self.deployment, size: Size(width: 80, height: 24))
        guard case .form(var form) = state.mode else { throw FormClosed() }
        let words = (1...40).map { "word\($0)" }
        form.errors[.attempt] = words.joined(separator: " ")
        state.mode = .form(form)
        let rows = text(state).split(separator: "\n").map(String.init)
        let first = try #require(rows.firstIndex { $0.contains("word1 ") }, "\(rows.joined(separator: "\n"))")
        #expect(rows[first + 1].contains("word10 "), "the problem goes on under itself")
        #expect(rows[first + 1].contains("…"), "the cut is marked: \(rows[first + 1])")
        #expect(!rows.contains { $0.contains("word40") })
    }

    private struct FormClosed: Error {}

    @Test("a form that fits draws every field and no marks")
    func fitsWithoutMarks() {
        let state = ScreenSnapshotTests.formState(
            .openCreateAttempt, on: Self.deployment, size: Size(width: 80, height: 24))
        let screen = text(state)
        for label in ["Stage", "Attempt", "Status", "Started at", "Planned steps", "Messages", "Secret", "[ Send ]"] {
            #expect(screen.contains(label))
        }
        #expect(!screen.contains("more ↑") && !screen.contains("more ↓"))
        #expect(screen.contains("d3-failed-000003"), "the heading shows when there is room")
    }

    @Test("the first field focused: the fields below are marked as hidden", arguments: smallSizes)
    func hiddenBelow(size: Size) {
        let state = ScreenSnapshotTests.formState(.openCreateAttempt, on: Self.deployment, size: size)
        let screen = text(state)
        #expect(screen.contains("Stage"))
        #expect(screen.contains("more ↓"), "nothing says fields are hidden below:\n\(screen)")
        #expect(!screen.contains("more ↑"))
        #expect(screen.contains("[ Send ]  [ Cancel ]"))
    }

    /// A stage progress form at 60×15 with a message longer than its field typed, the caret at its end.
    private func messageTyped() -> DashboardState {
        var state = ScreenSnapshotTests.formState(
            .openStageProgress, on: Self.attempt, size: Size(width: 60, height: 15))
        state.press(.formKey(.tab), .formKey(.tab))
        type("This is a really long message that goes on and on", &state)
        return state
    }

    @Test("a long message being typed shows its end and the caret; once left it shows its start")
    func longDraft() throws {
        var state = messageTyped()
        var screen = text(state)
        let typing = try #require(line(containing: "Messages", in: screen))
        #expect(typing.contains("+ …"), "the cut start is not marked:\n\(typing)")
        #expect(typing.contains("goes on and on_"), "the end of the text or the caret is hidden:\n\(typing)")
        state.press(.formKey(.tab))
        screen = text(state)
        let left = try #require(line(containing: "Messages", in: screen))
        #expect(left.contains("+ This is a really long"))
        #expect(left.contains("…"))
        #expect(!left.contains("_"))
    }

    @Test("moving the caret into a long text keeps it in view, edits there, and Tab leaves it at the end")
    func caretInLongText() throws {
        var state = messageTyped()
        state.press(.formKey(.home))
        var typing = try #require(line(containing: "Messages", in: text(state)))
        #expect(typing.contains("+ This is a"), "the start is not shown at Home:\n\(typing)")
        for _ in 0..<5 { state.press(.formKey(.right)) }
        type("REALLY ", &state)
        state.press(.formKey(.control("w")), .formKey(.delete), .formKey(.delete))
        type("was", &state)
        typing = try #require(line(containing: "Messages", in: text(state)))
        #expect(typing.contains("+ This was "), "the edit at the caret is not shown:\n\(typing)")
        state.press(.formKey(.end))
        for _ in 0..<8 { state.press(.formKey(.left)) }
        typing = try #require(line(containing: "Messages", in: text(state)))
        #expect(typing.contains("+ …"), "the cut start is not marked:\n\(typing)")
        #expect(typing.contains("message that goes on and"), "the caret's surroundings are hidden:\n\(typing)")
        state.press(.formKey(.control("e")), .formKey(.enter))
        guard case .form(let form) = state.mode else {
            Issue.record("the form closed")
            return
        }
        #expect(form.field(.messages)?.lines == ["This was a really long message that goes on and on"])
        #expect(form.caret == 0)
    }

    @Test("a time field typed past its 22 columns shows the end of what is typed")
    func longTime() throws {
        var state = ScreenSnapshotTests.formState(
            .openStepProgress, on: FormTests.runningStep, size: Size(width: 60, height: 15))
        state.press(.formKey(.tab), .formKey(.control("u")))
        type("2026-11-29T11:58:50.123456Z+later", &state)
        let started = try #require(line(containing: "Started at", in: text(state)))
        #expect(started.contains("…"))
        #expect(started.contains("123456Z+later_"), "the end of the text or the caret is hidden:\n\(started)")
    }

    @Test("ASCII glyphs: the marks and the cut start are spelled in ASCII")
    func ascii() throws {
        var state = FormTests.state(selecting: Self.attempt)
        state.settings.glyphs = .ascii
        _ = DashboardReducer.reduce(&state, .resized(Size(width: 60, height: 12)))
        state.press(.openStageProgress, .formKey(.tab), .formKey(.tab))
        type("This is a really long message that goes on and on", &state)
        let screen = text(state)
        let typing = try #require(line(containing: "Messages", in: screen))
        #expect(typing.contains("+ ~"))
        #expect(typing.contains("goes on and on_"))
        #expect(screen.contains("more Down") || screen.contains("more Up"))
        #expect(!screen.unicodeScalars.contains { $0 == "↑" || $0 == "↓" || $0 == "…" })
    }
}
