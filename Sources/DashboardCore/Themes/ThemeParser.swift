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
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ThemeError(file: file, line: Self.line(of: error), message: "not valid YAML: \(Self.problem(error))")
        } catch {
            throw ThemeError(file: file, message: "not valid YAML")
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
        if let node = sections["styles"] { styles = try parseStyles(node, palette: palette, file: file) }
        return base.overlaid(with: styles, name: name)
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
            guard let text = value.scalar?.string, let color = Color(parsing: text) else {
                throw ThemeError(
                    file: file, line: value.mark?.line, key: key,
                    message: "\(Self.quoted(value)) is not a colour; allowed: \(Color.allowed)")
            }
            palette[name] = color
        }
        return palette
    }

    private func parseStyles(_ node: Node, palette: [String: Color], file: String) throws(ThemeError) -> [Role: Style] {
        guard let mapping = node.mapping else {
            throw ThemeError(file: file, line: node.mark?.line, key: "styles", message: "expected a mapping of roles")
        }
        var styles: [Role: Style] = [:]
        for (keyNode, value) in mapping {
            let name = keyNode.string ?? ""
            guard let role = Role(rawValue: name) else {
                throw ThemeError(
                    file: file, line: keyNode.mark?.line, key: "styles.\(name)",
                    message: "unknown role; allowed: \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            styles[role] = try parseStyle(value, key: "styles.\(name)", palette: palette, file: file)
        }
        return styles
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
        guard !text.isEmpty else {
            throw ThemeError(
                file: file, line: node.mark?.line, key: key,
                message: "no colour given (quote #rrggbb values: YAML reads an unquoted # as a comment)")
        }
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

    // MARK: - Error text

    private static func quoted(_ node: Node) -> String {
        "\"\(TerminalText.sanitized(node.scalar?.string ?? "?", limit: 40))\""
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: nil
        }
    }

    static func problem(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): problem
        case .duplicatedKeysInMapping(let duplicates, _):
            "duplicate keys: \(duplicates.map { TerminalText.sanitized($0, limit: 40) }.joined(separator: ", "))"
        default: TerminalText.sanitized(String(describing: error), limit: 120)
        }
    }
}
