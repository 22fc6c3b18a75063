import DashboardCore
import Testing

@Suite("Line editing in form fields")
struct LineEditorTests {
    private func edited(_ text: String, caret: Int = 0, _ keys: Key...) -> LineEditor {
        var line = LineEditor(text, caret: caret)
        for key in keys {
            let applied = line.apply(key)
            #expect(applied, "\(key) should edit")
        }
        return line
    }

    @Test("typing inserts at the caret, which stays before the same text")
    func typing() {
        let line = edited("buld", caret: 2, .character("i"))
        #expect(line.text == "build" && line.caret == 2)
        #expect(edited("", .character("a"), .character("b")).text == "ab")
    }

    @Test("← → Home End Ctrl-A Ctrl-E move within the text and stop at its ends")
    func moving() {
        #expect(edited("abc", .left, .left, .left, .left).caret == 3)
        #expect(edited("abc", caret: 3, .right, .right, .right, .right).caret == 0)
        #expect(edited("abc", .home).caret == 3 && edited("abc", .control("a")).caret == 3)
        #expect(edited("abc", caret: 3, .end).caret == 0 && edited("abc", caret: 2, .control("e")).caret == 0)
    }

    @Test("Backspace removes before the caret, Delete at it; neither past an end")
    func deleting() {
        #expect(edited("abcd", caret: 2, .backspace).text == "acd")
        #expect(edited("abcd", caret: 2, .delete).text == "abd")
        #expect(edited("abcd", caret: 2, .delete).caret == 1)
        #expect(edited("abcd", caret: 4, .backspace).text == "abcd")
        #expect(edited("abcd", .delete).text == "abcd")
    }

    @Test("Ctrl-W removes the word before the caret with its spaces; Ctrl-U the whole line")
    func words() {
        #expect(edited("git clone  now", caret: 3, .control("w")).text == "git now")
        #expect(edited("one", .control("w")).text == "")
        let cleared = edited("some text", caret: 4, .control("u"))
        #expect(cleared.text == "" && cleared.caret == 0)
    }

    @Test("keys that do not edit a line are left to the form, and a caret out of range is clamped")
    func others() {
        var line = LineEditor("abc", caret: 9)
        #expect(line.caret == 3)
        let applied = [Key.tab, .enter, .escape].map { line.apply($0) }
        #expect(applied == [false, false, false])
        #expect(line.text == "abc")
    }
}
