/// Editing one line of a form's text around a caret, as shells and editors do: ← → move, Home End (or Ctrl-A
/// Ctrl-E) jump, Backspace and Delete remove before and at the caret, Ctrl-W the word before it, Ctrl-U the line.
///
/// The caret is counted in characters from the end of the text, so typing at the end (the usual case, and where
/// a field's caret starts) needs no bookkeeping.
public struct LineEditor: Hashable, Sendable {
    public private(set) var text: String
    /// Characters between the caret and the end of `text`.
    public private(set) var caret: Int

    public init(_ text: String, caret: Int = 0) {
        self.text = text
        self.caret = min(max(0, caret), text.count)
    }

    /// Applies `key`; `false` when the key does not edit a line (the caller may give it another meaning).
    public mutating func apply(_ key: Key) -> Bool {
        var characters = Array(text)
        let position = characters.count - caret
        switch key {
        case .character(let character):
            characters.insert(character, at: position)
        case .backspace where position > 0:
            characters.remove(at: position - 1)
        case .delete where caret > 0:
            characters.remove(at: position)
            caret -= 1
        case .control("w"):
            var start = position
            while start > 0, characters[start - 1] == " " { start -= 1 }
            while start > 0, characters[start - 1] != " " { start -= 1 }
            characters.removeSubrange(start..<position)
        case .control("u"):
            characters = []
            caret = 0
        case .left: caret = min(caret + 1, characters.count)
        case .right: caret = max(caret - 1, 0)
        case .home, .control("a"): caret = characters.count
        case .end, .control("e"): caret = 0
        case .backspace, .delete: break
        default: return false
        }
        text = String(characters)
        return true
    }
}
