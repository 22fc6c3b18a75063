import DashboardCore
import Foundation
import TerminalUI
import Testing

/// Toasts as the reviewer met them: long messages whose end matters. They take the screen's width and wrap.
@Suite("Screens: toast layout")
struct ToastLayoutTests {
    static let sizes = RowLayoutTests.sizes
    /// The most lines a toast takes.
    static let maximumLines = 4

    static let messages = [
        "/tmp/review-ui/broken.yaml:5: not valid YAML: did not find expected node content while parsing a flow "
            + "node — using the default theme",
        "not sent yet, kept in the outbox: restore RUNNING (build #1) — could not reach the API: connection "
            + "refused (127.0.0.1:8000); it goes out when the API answers (o shows the outbox)",
        "read-only: declaring is turned off (--read-only or read_only in the config)",
    ]

    /// The lines of the toast block whose last line sits on row `bottom`, read from the screen by its style.
    static func toastLines(_ screen: Screen, style: Style, bottom: Int) -> [String] {
        var lines: [String] = []
        var y = bottom
        while y > 0, screen[screen.size.width - 2, y].style == style {
            var x = screen.size.width - 2
            while x > 0, screen[x - 1, y].style == style { x -= 1 }
            #expect(x >= 1, "a column of margin at the left")
            lines.insert(String((x..<(screen.size.width - 1)).map { screen[$0, y].character }), at: 0)
            y -= 1
        }
        return lines
    }

    @Test("a long toast wraps at spaces and is read whole", arguments: sizes)
    func wrapsWhole(size: Size) {
        for (index, message) in Self.messages.enumerated() {
            var state = Fixtures.state(size: size)
            state.toast(.error, message)
            let screen = Renderer.render(state, size: size, theme: .builtinDefault)
            #expect(screen[size.width - 1, size.height - 2].character == " ", "a column of margin at the right")
            let style = Theme.builtinDefault.resolved(.toastError)
            let lines = Self.toastLines(screen, style: style, bottom: size.height - 2)
            #expect((1...Self.maximumLines).contains(lines.count), "message \(index): \(lines)")
            let text = lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            #expect(text == message, "message \(index) at \(size.width)×\(size.height)")
        }
    }

    @Test("a toast longer than its lines ends in an ellipsis on the last one")
    func ellipsisBeyondLines() {
        let size = Size(width: 60, height: 15)
        var state = Fixtures.state(size: size)
        state.toast(.info, Array(repeating: "word", count: 80).joined(separator: " "))
        let screen = Renderer.render(state, size: size, theme: .builtinDefault)
        let lines = Self.toastLines(screen, style: Theme.builtinDefault.resolved(.toastInfo), bottom: 13)
        #expect(lines.count == Self.maximumLines)
        #expect(lines.last?.trimmingCharacters(in: .whitespaces).hasSuffix("…") == true, "\(lines)")
    }

    @Test("toasts stack, newest lowest, each on its own lines")
    func stacked() {
        let size = Size(width: 80, height: 24)
        var state = Fixtures.state(size: size)
        state.toast(.error, Self.messages[0])
        state.toast(.info, "declared restore COMPLETED (build #1)")
        let screen = Renderer.render(state, size: size, theme: .builtinDefault)
        #expect(screen.line(22).hasSuffix(" declared restore COMPLETED (build #1)"))
        let error = Self.toastLines(screen, style: Theme.builtinDefault.resolved(.toastError), bottom: 21)
        let text = error.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(text == Self.messages[0])
    }
}
