import DashboardCore

/// Text renderings of a screen for snapshots and `kprov tree`: the characters, and a parallel map of styles.
extension Screen {
    /// One line per row, trailing spaces removed.
    public var text: String {
        (0..<size.height).map(line).joined(separator: "\n")
    }

    /// Row `y` as text, trailing spaces removed.
    public func line(_ y: Int) -> String {
        var text = ""
        for cell in row(y) where !cell.isContinuation { text.append(cell.character) }
        while text.last == " " { text.removeLast() }
        return text
    }

    /// The styles of the screen: one letter per cell naming its style, in the same grid as `text`, followed by a
    /// legend (`a: fg=green bold`). Letters are given in order of first appearance, so the dump is stable.
    public var attributeDump: String {
        let symbols = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var letters: [Style: Character] = [:]
        var legend: [String] = []
        var lines: [String] = []
        for y in 0..<size.height {
            var line = ""
            for cell in row(y) {
                if letters[cell.style] == nil {
                    let symbol = letters.count < symbols.count ? symbols[letters.count] : "?"
                    letters[cell.style] = symbol
                    legend.append("\(symbol): \(cell.style)")
                }
                line.append(letters[cell.style]!)
            }
            lines.append(line)
        }
        return (lines + [""] + legend).joined(separator: "\n")
    }
}
