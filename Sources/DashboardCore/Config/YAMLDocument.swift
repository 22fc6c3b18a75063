import ProvisioningCore
import Yams

/// Composes the text of a YAML file kprov reads (its config, a theme) into nodes. A syntax error comes back as a
/// line and a short problem, never with the file's text, which Yams puts in some of its errors.
enum YAMLDocument {
    /// What is wrong with a YAML text, and where.
    struct SyntaxError: Error {
        var line: Int?
        /// The key at fault, for a key given twice.
        var key: String?
        var message: String
    }

    /// The root node of `text`, `nil` for an empty document.
    static func compose(_ text: String) throws(SyntaxError) -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw syntaxError(error, in: text)
        } catch {
            throw SyntaxError(message: "not valid YAML")
        }
    }

    private static func syntaxError(_ error: YamlError, in text: String) -> SyntaxError {
        switch error {
        case .scanner, .parser, .composer, .reader:
            let (position, problem) = YAMLErrorText.parts(of: error)
            return SyntaxError(line: position?.line, message: "not valid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? ""
            let shown = TerminalText.sanitized(key, limit: 40)
            let first = context.mark.line
            guard let again = lineGivenAgain(key, at: context.mark, in: text) else {
                return SyntaxError(line: first, key: shown, message: "given more than once; give each key once")
            }
            return SyntaxError(
                line: again, key: shown, message: "given again (first on line \(first)); give each key once")
        default:
            return SyntaxError(message: "not valid YAML")
        }
    }

    /// The line where `key`, first given at `first`, is given again in the same mapping: later on the same line
    /// in a flow mapping (`{ fg: 1, fg: 2 }`), else on a later line at the same column.
    private static func lineGivenAgain(_ key: String, at first: Mark, in text: String) -> Int? {
        func startsWithKey(_ text: Substring) -> Bool {
            text.hasPrefix(key) && text.dropFirst(key.count).drop { $0 == " " }.hasPrefix(":")
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let indent = first.column - 1
        guard (1...lines.count).contains(first.line), indent >= 0 else { return nil }
        let restOfLine = lines[first.line - 1].dropFirst(indent + key.count)
        if restOfLine.split(separator: ",").dropFirst().contains(where: { startsWithKey($0.drop { $0 == " " }) }) {
            return first.line
        }
        let later = lines.indices.dropFirst(first.line).first { index in
            let line = lines[index]
            return line.prefix(indent).allSatisfy { $0 == " " } && startsWithKey(line.dropFirst(indent))
        }
        return later.map { $0 + 1 }
    }
}
