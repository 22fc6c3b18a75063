import DashboardCore
import TerminalUI
import Testing

@Suite("Screen, text width and fitting")
struct ScreenTests {
    @Test("writing stops at the limit and control characters never reach a cell")
    func write() {
        var screen = Screen(size: Size(width: 10, height: 2))
        let end = screen.write("ab\u{1B}[31mcdefghij", x: 1, y: 0, style: .plain, limit: 8)
        #expect(end == 8)
        #expect(screen.line(0) == " ab\u{FFFD}[31m")
        screen.write("x", x: 0, y: 5, style: .plain)
        #expect(screen.line(1) == "")
    }

    @Test("wide characters take two cells; combining marks stay with their letter")
    func wide() {
        var screen = Screen(size: Size(width: 6, height: 1))
        screen.write("日本e\u{301}x", x: 0, y: 0, style: .plain)
        #expect(screen[1, 0].isContinuation)
        #expect(screen.line(0) == "日本éx")
        #expect(CharacterWidth.of("日本") == 4)
        #expect(CharacterWidth.of("✓▸⠋") == 3)
    }

    @Test("cells are equal when their scalars and style are, whatever the storage; other spellings differ")
    func cellEquality() {
        let family = "👨‍👩‍👧‍👦"  // 25 UTF-8 bytes: stored out of line, not as a small string
        #expect(Cell(Character(family)) == Cell(Character(String(family.unicodeScalars))))
        #expect(Cell("a") == Cell(Character(String(["a"]))))
        #expect(Cell("⠋") != Cell("⠙"))
        #expect(Cell("\u{E9}") != Cell("e\u{301}"), "precomposed and decomposed are different writes")
        #expect(Cell("a", style: Style(attributes: .bold)) != Cell("a"))
        var spinner = Cell("⠋")
        spinner.isSpinner = true
        #expect(spinner == Cell("⠋"))
    }

    @Test("truncate, pad and wrap by display width")
    func fitting() {
        #expect(TextFit.truncate("abcdefgh", width: 5) == "abcd…")
        #expect(TextFit.truncate("abc", width: 5) == "abc")
        #expect(TextFit.truncate("日本語", width: 5) == "日本…")
        #expect(TextFit.pad("ab", width: 4) == "ab  ")
        #expect(TextFit.wrap("the quick brown fox", width: 9) == ["the quick", "brown fox"])
        #expect(TextFit.wrap("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
        #expect(TextFit.wrap("", width: 4) == [""])
        #expect(
            TextFit.wrap("deployment 6888964c-e117-481c-901f-e5be6b631f66", width: 30)
                == ["deployment", "6888964c-e117-481c-901f-", "e5be6b631f66"])
        #expect(TextFit.wrap("a-bcdefghij", width: 6) == ["a-bcde", "fghij"])
    }

    @Test("the attribute dump names each style once, in order of appearance")
    func attributeDump() {
        var screen = Screen(size: Size(width: 4, height: 1))
        screen.write("ab", x: 1, y: 0, style: Style(foreground: .indexed(2), attributes: .bold))
        #expect(screen.attributeDump == "abba\n\na: plain\nb: fg=green bold")
    }
}
