import Foundation
import ProvisioningCore
import Testing

@testable import DashboardCore
@testable import TerminalUI

/// A wake-up in which only spinners move advances them on the last screen instead of rendering it again; the
/// result must be the screen a full render gives.
@Suite("Spinner-only frames")
struct SpinnerFrameTests {
    /// The next spinner frame: a quarter of a second on, inside the same second, so no time shown changes.
    private func advanced(_ state: DashboardState) -> (patched: Screen, rendered: Screen) {
        let before = Renderer.render(state, size: state.size, theme: .builtinDefault)
        var later = state
        _ = DashboardReducer.reduce(&later, .tick(state.now.addingTimeInterval(0.25)))
        let glyph = Character(later.settings.glyphs.icon(for: .running, frame: later.spinnerFrame))
        #expect(glyph != Character(state.settings.glyphs.icon(for: .running, frame: state.spinnerFrame)))
        return (before.advancingSpinners(to: glyph), Renderer.render(later, size: later.size, theme: .builtinDefault))
    }

    @Test("the tree, with the cursor on a running step", arguments: [Glyphs.unicode, .ascii])
    func tree(glyphs: Glyphs) {
        var state = Fixtures.state(size: Size(width: 132, height: 43), glyphs: glyphs)
        state.press(.expandAll, .moveDown, .moveDown, .moveDown, .moveDown, .moveDown)
        let (patched, rendered) = advanced(state)
        #expect(!patched.spinnerCells.isEmpty)
        #expect(patched == rendered)
    }

    @Test("overlays over running rows: help and the sending form", arguments: [Glyphs.unicode, .ascii])
    func overlays(glyphs: Glyphs) {
        var help = Fixtures.state(glyphs: glyphs)
        help.press(.expandAll, .toggleHelp)
        let (patchedHelp, renderedHelp) = advanced(help)
        #expect(patchedHelp == renderedHelp)

        var form = FormTests.state(selecting: FormTests.runningStep)
        form.press(.openStepProgress, .formKey(.character("c")), .formKey(.control("s")))
        let (patchedForm, renderedForm) = advanced(form)
        #expect(patchedForm.text.contains("sending"))
        #expect(patchedForm == renderedForm)
    }

    @Test("while the data is stale, running items stand still and nothing asks for a redraw")
    func staleDataStillsSpinners() {
        var state = Fixtures.state(size: Size(width: 132, height: 43))
        state.press(.expandAll)
        #expect(Renderer.render(state, size: state.size, theme: .builtinDefault).isAnimated)
        state.refresh.failure = RefreshFailure(message: "could not reach the API: connection refused")
        let before = Renderer.render(state, size: state.size, theme: .builtinDefault)
        var later = state
        later.now = state.now.addingTimeInterval(0.25)
        let after = Renderer.render(later, size: later.size, theme: .builtinDefault)
        #expect(!before.isAnimated)
        #expect(before.spinnerCells.isEmpty)
        // The header's retry countdown moves on; the tree below it does not.
        #expect(before.text.split(separator: "\n").dropFirst() == after.text.split(separator: "\n").dropFirst())
        #expect(before.text.contains(state.settings.glyphs.spinner[0]))
    }

    @Test("a full render is due after a second, or when a toast went")
    func whenToRender() {
        var state = Fixtures.state()
        let rendered = (at: state.now, toasts: 0)
        #expect(DashboardRuntime.spinnerOnlyFrame(state: state, lastRender: rendered, now: state.now + 0.75) != nil)
        #expect(DashboardRuntime.spinnerOnlyFrame(state: state, lastRender: rendered, now: state.now + 1) == nil)
        #expect(DashboardRuntime.spinnerOnlyFrame(state: state, lastRender: rendered, now: state.now - 60) == nil)
        state.press(.toggleFollow)
        #expect(DashboardRuntime.spinnerOnlyFrame(state: state, lastRender: rendered, now: state.now + 0.25) == nil)
    }

    @Test(
        "no spinner frame is the tree's vertical line, a branch's first glyph, or another status's icon",
        arguments: [Glyphs.unicode, .ascii])
    func framesStandApart(glyphs: Glyphs) {
        let statusIcons = [glyphs.completed, glyphs.failed, glyphs.aborted, glyphs.unknown, glyphs.pending]
        for frame in glyphs.spinner {
            #expect(frame != glyphs.vertical && !glyphs.branch.hasPrefix(frame) && !glyphs.lastBranch.hasPrefix(frame))
            #expect(!statusIcons.contains(frame))
        }
    }
}
