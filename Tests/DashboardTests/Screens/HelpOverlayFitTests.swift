import DashboardCore
import TerminalUI
import Testing

/// The help overlay at the sizes the dashboard supports: no meaning is cut, and what does not fit scrolls.
@Suite("Help overlay at small sizes")
struct HelpOverlayFitTests {
    /// The help open on the main screen (cursor on a running step: three keys "On this row"), scrolled down
    /// `scroll` lines.
    private func lines(at size: Size, scroll: Int = 0) -> [String] {
        var state = ScreenSnapshotTests.mainState(size: size)
        state.press(.toggleHelp)
        if scroll > 0 { state.press(.scrollHelp(by: scroll)) }
        return Renderer.render(state, size: size, theme: .builtinDefault).text.split(
            separator: "\n", omittingEmptySubsequences: false
        ).map(String.init)
    }

    /// Every help entry and the row's three.
    private static let entries =
        KeyMap.help.flatMap(\.entries).map { ($0.keys, $0.meaning) } + KeyMap.actions(for: .step)

    /// The entries that show whole: their keys, then their whole meaning, on one line.
    private func shownWhole(in lines: [String]) -> Set<String> {
        Set(
            Self.entries.filter { keys, meaning in
                lines.contains { line in
                    guard let key = line.range(of: " \(keys) "), let rest = line.range(of: meaning) else {
                        return false
                    }
                    return key.upperBound <= rest.lowerBound
                }
            }.map { "\($0.0) \($0.1)" })
    }

    @Test(
        "at the smallest sizes the help scrolls: every key shows whole at some point, the rest is counted",
        arguments: [Size(width: 60, height: 12), Size(width: 60, height: 15), Size(width: 79, height: 24)])
    func small(size: Size) throws {
        let top = lines(at: size)
        let below = try #require(top.first { $0.contains(" more keys (↓ PgDn)") }, "\(top)")
        let left = try #require(Int(below.split(separator: "↓ ")[1].split(separator: " ")[0]))
        #expect(shownWhole(in: top).count + left == Self.entries.count, "\(top.joined(separator: "\n"))")
        #expect(!top.contains { $0.contains("(↑ PgUp)") })
        var seen = Set<String>()
        for scroll in stride(from: 0, through: 60, by: 3) {
            seen.formUnion(shownWhole(in: lines(at: size, scroll: scroll)))
        }
        #expect(seen.count == Self.entries.count)
        let bottom = lines(at: size, scroll: 1_000)
        #expect(bottom.contains { $0.contains(" more keys (↑ PgUp)") })
        #expect(!bottom.contains { $0.contains("(↓ PgDn)") })
        for cut in ["previous / ne ", "filter (Esc c "] { #expect(!top.contains { $0.contains(cut) }) }
    }

    @Test("narrow but tall: one column holds every key")
    func narrowTall() {
        let lines = lines(at: Size(width: 60, height: 40))
        #expect(shownWhole(in: lines).count == Self.entries.count, "\(lines.joined(separator: "\n"))")
        #expect(!lines.contains { $0.contains("more keys") })
        #expect(lines.contains { $0.contains("│ Declare") })
    }

    @Test(
        "wide enough: two columns hold every key",
        arguments: [Size(width: 80, height: 24), Size(width: 132, height: 43)])
    func wide(size: Size) {
        let lines = lines(at: size)
        #expect(shownWhole(in: lines).count == Self.entries.count, "\(lines.joined(separator: "\n"))")
        #expect(lines.contains { $0.contains("│ Move") && $0.contains("View") })
    }
}
