/// Makes text from the outside world (server messages, error bodies) safe to print on a terminal.
public enum TerminalText {
    /// Replaces control characters (including ESC, so no escape sequence survives) with `�`, turns line breaks
    /// and tabs into spaces, and cuts the result to `limit` characters with `…`.
    public static func sanitized(_ text: String, limit: Int = .max) -> String {
        var result = ""
        result.reserveCapacity(min(text.utf8.count, limit))
        var count = 0
        for scalar in text.unicodeScalars {
            if count >= limit {
                result.append("…")
                break
            }
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: result.append(" ")
            case 0x00..<0x20, 0x7F, 0x80..<0xA0, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069:
                result.append("\u{FFFD}")
            default: result.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return result
    }
}
