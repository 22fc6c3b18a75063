/// Fitting text into a number of columns.
public enum TextFit {
    /// `text` cut to at most `width` columns; when cut, the last column shows `ellipsis`.
    public static func truncate(_ text: String, width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        guard CharacterWidth.of(text) > width else { return text }
        let ellipsisWidth = CharacterWidth.of(ellipsis)
        var result = ""
        var used = 0
        for character in text {
            let characterWidth = CharacterWidth.of(character)
            if used + characterWidth > width - ellipsisWidth { break }
            result.append(character)
            used += characterWidth
        }
        return result + (ellipsisWidth <= width ? ellipsis : "")
    }

    /// `text` padded with spaces (or cut) to exactly `width` columns.
    public static func pad(_ text: String, width: Int, ellipsis: String = "…") -> String {
        let fitted = truncate(text, width: width, ellipsis: ellipsis)
        return fitted + String(repeating: " ", count: max(0, width - CharacterWidth.of(fitted)))
    }

    /// `text` broken into lines of at most `width` columns, at spaces where possible; a word longer than a line
    /// is broken after its last `-` or `/` that fits (an id, a path), else at the width.
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            let wordWidth = CharacterWidth.of(word)
            if lineWidth > 0 && lineWidth + 1 + wordWidth <= width {
                line += " " + word
                lineWidth += 1 + wordWidth
                continue
            }
            if lineWidth > 0 {
                lines.append(line)
                line = ""
                lineWidth = 0
            }
            var rest = word
            while CharacterWidth.of(rest) > width {
                let head = longWordHead(rest, width: width)
                lines.append(head)
                rest = String(rest.dropFirst(head.count))
            }
            line = rest
            lineWidth = CharacterWidth.of(rest)
        }
        if lineWidth > 0 || lines.isEmpty { lines.append(line) }
        return lines
    }

    /// `text` wrapped as `wrap` does, on at most `maximumLines` lines, the last of them ending in `ellipsis` when
    /// there was more.
    public static func wrap(_ text: String, width: Int, maximumLines: Int, ellipsis: String) -> [String] {
        let lines = wrap(text, width: width)
        guard lines.count > maximumLines, maximumLines > 0 else { return lines }
        let rest = lines[(maximumLines - 1)...].joined(separator: " ")
        return lines.prefix(maximumLines - 1) + [truncate(rest, width: width, ellipsis: ellipsis)]
    }

    /// The first line of a word too long for `width` columns: up to its last `-` or `/` that fits, when that keeps
    /// at least half the line; else as much as fits.
    private static func longWordHead(_ word: String, width: Int) -> String {
        let head = truncate(word, width: width, ellipsis: "")
        guard let separator = head.lastIndex(where: { $0 == "-" || $0 == "/" }) else { return head }
        let broken = String(head[...separator])
        return CharacterWidth.of(broken) * 2 >= width ? broken : head
    }
}
