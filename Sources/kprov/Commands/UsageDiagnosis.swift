import ArgumentParser
import Foundation
import ProvisioningCore

/// Plainer messages for command lines that fail to parse, where kprov can say better than ArgumentParser.
///
/// - A word where a subcommand belongs (`kprov nosuchcmd`): ArgumentParser hands it to the default command
///   and says `Unexpected argument`; kprov says it is an unknown command and lists the commands.
/// - A negative number (`kprov stage declare D build -1`): ArgumentParser reads `-1` as an option, so the
///   value goes missing and the next word takes its place (`Missing expected argument '<attempt>'`, or a
///   step name reported as the attempt). The line is parsed again with the number out of the way, and the
///   argument it belongs to reports it. kprov has no option named by a digit, so nothing else is lost.
/// - A value an option or argument does not allow (`The value '0.5' is invalid for '--interval <interval>'`):
///   kprov names the option, the value, and what is allowed (`AllowedNumbers` or an enumeration's cases).
/// - A missing argument (`Missing expected argument '<id>'`): kprov says what the argument is, in the words of
///   its help.
enum UsageDiagnosis {
    /// The message for a command line that failed to parse with `error`.
    static func message(for arguments: [String], error: any Error) -> String {
        if let unknown = unknownCommand(in: arguments) { return unknown }
        let message = Kprov.message(for: negativeNumberError(in: arguments) ?? error)
        let plainer = invalidValue(message) ?? missingArgument(message, arguments: arguments) ?? message
        return plainer.replacingOccurrences(of: minusSign, with: "-")
    }

    /// `unknown command 'x'; commands: …` when a word stands where `kprov`, or a command with subcommands,
    /// expects a subcommand.
    static func unknownCommand(in arguments: [String]) -> String? {
        let named = command(in: arguments)
        guard let word = named.unknownWord else { return nil }
        let names = named.command.configuration.subcommands.map { $0._commandName }.joined(separator: ", ")
        let parent = named.path.joined(separator: " ")
        let context = named.path.count > 1 ? " for '\(parent)'" : ""
        return "unknown command '\(TerminalText.sanitized(word, limit: 40))'\(context); commands: \(names) "
            + "(`\(parent) --help` says what each does)"
    }

    /// The error of the command line parsed again with negative numbers out of ArgumentParser's way; `nil`
    /// when there is none, or when the numbers were not the problem.
    static func negativeNumberError(in arguments: [String]) -> (any Error)? {
        let shielded = arguments.map { isNegativeNumber($0) ? minusSign + $0.dropFirst() : $0 }
        guard shielded != arguments else { return nil }
        do {
            _ = try Kprov.parseAsRoot(shielded)
            return nil
        } catch {
            return error
        }
    }

    /// U+2212 MINUS SIGN: looks like `-` in a message, and ArgumentParser does not take it for an option.
    static let minusSign = "\u{2212}"

    /// `--interval: 0.5 is not allowed; allowed: …` for ArgumentParser's
    /// `The value '0.5' is invalid for '--interval <interval>': allowed: …`.
    static func invalidValue(_ message: String) -> String? {
        guard
            let match = message.wholeMatch(
                of: /The value '(?<value>.*)' is invalid for '(?<name>[^' ]+)[^']*'(?<detail>[:.] .*)?/)
        else { return nil }
        let name = displayName(match.name)
        let value = TerminalText.sanitized(String(match.value), limit: 40)
        let allowed = match.detail.map { allowedValues(String($0.dropFirst(2))) } ?? "`--help` says what is allowed"
        return "\(name): \(value) is not allowed; \(allowed)"
    }

    /// `ID is missing: give the deployment id, …`, in the words of the argument's help, for ArgumentParser's
    /// `Missing expected argument '<id>'`.
    static func missingArgument(_ message: String, arguments: [String]) -> String? {
        guard let match = message.wholeMatch(of: /Missing expected argument '(?<name><[^>]+>)'/) else { return nil }
        let name = displayName(match.name)
        // The argument's line in the ARGUMENTS section: `  <id>   The deployment id, as … shows it.`
        let help = Kprov.helpMessage(for: command(in: arguments).command, columns: 10_000)
        let described = help.split(separator: "\n").lazy.compactMap {
            $0.wholeMatch(of: /\s+(?<name><[^>]+>)\s+(?<first>\S)(?<rest>.*?)\.?/)
        }.first { $0.name == match.name }
        guard let described else { return "\(name) is missing" }
        return "\(name) is missing: give \(described.first.lowercased())\(described.rest)"
    }

    // MARK: - Helpers

    /// `--interval` as it is; `<id>` as `ID`, the way kprov's own messages name arguments.
    private static func displayName(_ name: Substring) -> String {
        name.hasPrefix("<") ? name.dropFirst().dropLast().uppercased() : String(name)
    }

    /// `allowed: …` from what ArgumentParser added to its message: a transform's `allowed: …` as it is, an
    /// enumeration's `Please provide one of 'table' and 'json'.` as `allowed: table, json`.
    private static func allowedValues(_ detail: String) -> String {
        guard detail.hasPrefix("Please provide one of") else { return detail }
        let values = detail.matches(of: /'([^']*)'/).map { String($0.output.1) }
        return "allowed: " + values.joined(separator: ", ")
    }

    /// The command `arguments` name, followed from `kprov` through the subcommand words at their start, with
    /// the word standing where a subcommand belongs that names none (`unknownWord`).
    private static func command(
        in arguments: [String]
    ) -> (command: any ParsableCommand.Type, path: [String], unknownWord: String?) {
        var command: any ParsableCommand.Type = Kprov.self
        var path = [Kprov._commandName]
        for word in arguments {
            let subcommands = command.configuration.subcommands
            guard !word.hasPrefix("-"), !subcommands.isEmpty, word != "help" else { break }
            guard let next = subcommands.first(where: { $0._commandName == word }) else {
                return (command, path, word)
            }
            command = next
            path.append(word)
        }
        return (command, path, nil)
    }

    private static func isNegativeNumber(_ word: String) -> Bool {
        word.count > 1 && word.first == "-" && word.dropFirst().allSatisfy(\.isASCIIDigit)
    }
}

extension Character {
    /// `0` to `9`, and no other digit.
    var isASCIIDigit: Bool { isASCII && isNumber }
}
