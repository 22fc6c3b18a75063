import ProvisioningCore
import Yams

/// Reads a theme file:
///
/// ```yaml
/// palette:                 # optional names for colours, used as $name below
///   accent: "#005fd7"
/// styles:
///   status.running: { fg: $accent, attrs: [bold] }
///   cursor: { bg: 24 }
///   text.dim: bright-black  # a bare colour sets fg only
/// ```
///
/// Roles not named keep the built-in default's style. Every error names the file, the line and the key.
public struct ThemeParser: Sendable {
    /// The theme every file is laid over.
    public var base: Theme

    public init(base: Theme = .builtinDefault) {
        self.base = base
    }

    /// Parses `text`, read from `file`, into a theme called `name`.
    public func parse(_ text: String, file: String, name: String) throws(ThemeError) -> Theme {
        let root: Node?
        do {
            root = try YAMLDocument.compose(text)
        } catch {
            if let hash = Self.unquotedHash(in: text) {
                throw ThemeError(
                    file: file, line: hash.line,
                    message: "\(hash.colour) starts a YAML comment, so the colour is lost; quote it: \"\(hash.colour)\""
                )
            }
            throw ThemeError(file: file, line: error.line, key: error.key, message: error.message)
        }
        guard let root else { return base.overlaid(with: [:], name: name) }
        guard let mapping = root.mapping else {
            throw ThemeError(
                file: file, line: root.mark?.line, message: "expected a mapping with `palette` and `styles`")
        }
        var sections: [String: Node] = [:]
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            guard ["name", "description", "palette", "styles"].contains(key) else {
                throw ThemeError(
                    file: file, line: keyNode.mark?.line, key: key,
                    message: "unknown key; allowed: name, description, palette, styles")
            }
            sections[key] = value
        }
        var palette: [String: Color] = [:]
        if let node = sections["palette"] { palette = try parsePalette(node, file: file) }
        var styles: [Role: Style] = [:]
        var lines: [Role: Int] = [:]
        if let node = sections["styles"] {
            (styles, lines) = try parseStyles(node, palette: palette, file: file)
        }
        let theme = base.overlaid(with: styles, name: name)
        try Self.requireReadable(theme, lines: lines, file: file)
        return theme
    }

    // MARK: - Sections

    private func parsePalette(_ node: Node, file: String) throws(ThemeError) -> [String: Color] {
        guard let mapping = node.mapping else {
            throw ThemeError(
                file: file, line: node.mark?.line, key: "palette", message: "expected `name: colour` lines")
        }
        var palette: [String: Color] = [:]
        for (keyNode, value) in mapping {
            let name = keyNode.string ?? ""
            let key = "palette.\(name)"
            if value.scalar?.string.isEmpty == true { throw Self.noColour(value, key: key, file: file) }
            guard let text = value.scalar?.string, let color = Color(parsing: text) else {
                throw ThemeError(
                    file: file, line: value.mark?.line, key: key,
                    message: "\(Self.quoted(value)) is not a colour; allowed: \(Color.allowed)")
            }
            palette[name] = color
        }
        return palette
    }

    /// The styles the file sets, and the line of each.
    private func parseStyles(_ node: Node, palette: [String: Color], file: String) throws(ThemeError)
        -> (styles: [Role: Style], lines: [Role: Int])
    {
        guard let mapping = node.mapping else {
            throw ThemeError(file: file, line: node.mark?.line, key: "styles", message: "expected a mapping of roles")
        }
        var styles: [Role: Style] = [:]
        var lines: [Role: Int] = [:]
        for (keyNode, value) in mapping {
            let name = keyNode.string ?? ""
            guard let role = Role(rawValue: name) else {
                throw ThemeError(
                    file: file, line: keyNode.mark?.line, key: "styles.\(name)", message: Self.unknownRole(name))
            }
            styles[role] = try parseStyle(value, key: "styles.\(name)", palette: palette, file: file)
            lines[role] = keyNode.mark?.line
        }
        return (styles, lines)
    }

    private func parseStyle(_ node: Node, key: String, palette: [String: Color], file: String) throws(ThemeError)
        -> Style
    {
        if node.scalar != nil {
            return Style(foreground: try parseColor(node, key: key + ".fg", palette: palette, file: file))
        }
        guard let mapping = node.mapping else {
            throw ThemeError(
                file: file, line: node.mark?.line, key: key, message: "expected a colour or { fg, bg, attrs }")
        }
        var style = Style()
        for (keyNode, value) in mapping {
            let field = keyNode.string ?? ""
            switch field {
            case "fg": style.foreground = try parseColor(value, key: "\(key).fg", palette: palette, file: file)
            case "bg": style.background = try parseColor(value, key: "\(key).bg", palette: palette, file: file)
            case "attrs": style.attributes = try parseAttributes(value, key: "\(key).attrs", file: file)
            default:
                throw ThemeError(
                    file: file, line: keyNode.mark?.line, key: "\(key).\(field)",
                    message: "unknown field; allowed: fg, bg, attrs")
            }
        }
        return style
    }

    // MARK: - Values

    private func parseColor(_ node: Node, key: String, palette: [String: Color], file: String) throws(ThemeError)
        -> Color
    {
        guard let text = node.scalar?.string else {
            throw ThemeError(
                file: file, line: node.mark?.line, key: key, message: "expected a colour; allowed: \(Color.allowed)")
        }
        if text.hasPrefix("$") {
            let name = String(text.dropFirst())
            guard let color = palette[name] else {
                let known = palette.keys.sorted().map { "$" + $0 }.joined(separator: ", ")
                throw ThemeError(
                    file: file, line: node.mark?.line, key: key,
                    message:
                        "\"\(text)\" is not in the palette; allowed: "
                        + (known.isEmpty ? "no palette names are defined" : known)
                )
            }
            return color
        }
        guard !text.isEmpty else { throw Self.noColour(node, key: key, file: file) }
        guard let color = Color(parsing: text) else {
            throw ThemeError(
                file: file, line: node.mark?.line, key: key,
                message: "\(Self.quoted(node)) is not a colour; allowed: \(Color.allowed) or $palette-name")
        }
        return color
    }

    private func parseAttributes(_ node: Node, key: String, file: String) throws(ThemeError) -> TextAttributes {
        let words: [(String, Node)]
        if let sequence = node.sequence {
            words = sequence.map { ($0.string ?? "", $0) }
        } else if let text = node.scalar?.string {
            words = text.split(whereSeparator: { $0 == " " || $0 == "," }).map { (String($0), node) }
        } else {
            throw ThemeError(
                file: file, line: node.mark?.line, key: key, message: "expected a list such as [bold, underline]")
        }
        var attributes = TextAttributes()
        for (word, wordNode) in words {
            guard let attribute = TextAttributes.named.first(where: { $0.0 == word.lowercased() })?.1 else {
                throw ThemeError(
                    file: file, line: wordNode.mark?.line, key: key,
                    message:
                        "\"\(TerminalText.sanitized(word, limit: 40))\" is not an attribute; "
                        + "allowed: bold, dim, underline, reverse"
                )
            }
            attributes.insert(attribute)
        }
        return attributes
    }

    // MARK: - Checks and error text

    /// Refuses a theme that draws a role in one colour on the same colour, naming the style at fault: the role's
    /// own when the file sets it, else the `text` style every role is drawn over.
    private static func requireReadable(_ theme: Theme, lines: [Role: Int], file: String) throws(ThemeError) {
        for role in Role.allCases {
            let style = theme.resolved(role)
            let culprit = lines[role] != nil ? role : Role.text
            guard let color = style.foreground, color != .terminalDefault, color == style.background,
                let line = lines[culprit]
            else { continue }
            throw ThemeError(
                file: file, line: line, key: "styles.\(culprit.rawValue)",
                message:
                    "\(role.rawValue) would be drawn \(color) on \(color), which cannot be read; "
                    + "give fg and bg different colours")
        }
    }

    /// Why `name` is not a role, with the closest role when there is one.
    private static func unknownRole(_ name: String) -> String {
        let allowed = "allowed: the \(Role.allCases.count) roles in the README's Roles table"
        guard let closest = ClosestName.closest(to: name, among: Role.allCases.map(\.rawValue)) else {
            return "unknown role; \(allowed), such as text, cursor, status.running"
        }
        return "unknown role; did you mean \(closest)? \(allowed)"
    }

    /// The first `#…` in `text` where a value belongs (after `key:`, `[`, `{`, `,` or `- `) with no quotes: YAML
    /// reads it as the start of a comment, so the colour is lost. Its line and the colour, e.g. `#005f87`.
    private static func unquotedHash(in text: String) -> (line: Int, colour: String)? {
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard line.first(where: { $0 != " " }) != "#",
                let match = line.firstMatch(of: #/[:\[{,-][ \t]+(#[0-9A-Za-z]+)/#)
            else { continue }
            return (index + 1, String(match.1))
        }
        return nil
    }

    /// A colour left empty, most often by an unquoted `#rrggbb` that YAML read as a comment.
    private static func noColour(_ node: Node, key: String, file: String) -> ThemeError {
        ThemeError(
            file: file, line: node.mark?.line, key: key,
            message: "no colour given (quote #rrggbb values: YAML reads an unquoted # as a comment)")
    }

    private static func quoted(_ node: Node) -> String {
        "\"\(TerminalText.sanitized(node.scalar?.string ?? "?", limit: 40))\""
    }
}
