import ArgumentParser
import Foundation
import ProvisioningCore

/// Plainer messages for two command lines ArgumentParser misreads, used when parsing fails.
///
/// - A word where a subcommand belongs (`kprov nosuchcmd`): ArgumentParser hands it to the default command
///   and says `Unexpected argument`; kprov says it is an unknown command and lists the commands.
/// - A negative number (`kprov stage declare D build -1`): ArgumentParser reads `-1` as an option, so the
///   value goes missing and the next word takes its place (`Missing expected argument '<attempt>'`, or a
///   step name reported as the attempt). The line is parsed again with the number out of the way, and the
///   argument it belongs to reports it. kprov has no option named by a digit, so nothing else is lost.
enum UsageDiagnosis {
    /// The message for a command line that failed to parse, when kprov can say better than ArgumentParser.
    static func message(for arguments: [String]) -> String? {
        unknownCommand(in: arguments) ?? negativeNumber(in: arguments)
    }

    /// `unknown command 'x'; commands: …` when a word stands where `kprov`, or a command with subcommands,
    /// expects a subcommand.
    static func unknownCommand(in arguments: [String]) -> String? {
        var command: any ParsableCommand.Type = Kprov.self
        var path = [Kprov._commandName]
        for word in arguments {
            let subcommands = command.configuration.subcommands
            guard !word.hasPrefix("-"), !subcommands.isEmpty, word != "help" else { return nil }
            guard let next = subcommands.first(where: { $0._commandName == word }) else {
                let names = subcommands.map { $0._commandName }.joined(separator: ", ")
                let parent = path.joined(separator: " ")
                let context = path.count > 1 ? " for '\(parent)'" : ""
                return "unknown command '\(TerminalText.sanitized(word, limit: 40))'\(context); commands: \(names) "
                    + "(`\(parent) --help` says what each does)"
            }
            command = next
            path.append(word)
        }
        return nil
    }

    /// What the argument a negative number was meant for says about it; `nil` when there is none, or when
    /// the number was not the problem.
    static func negativeNumber(in arguments: [String]) -> String? {
        let shielded = arguments.map { isNegativeNumber($0) ? minusSign + $0.dropFirst() : $0 }
        guard shielded != arguments else { return nil }
        do {
            _ = try Kprov.parseAsRoot(shielded)
            return nil
        } catch {
            return Kprov.message(for: error).replacingOccurrences(of: minusSign, with: "-")
        }
    }

    /// U+2212 MINUS SIGN: looks like `-` in a message, and ArgumentParser does not take it for an option.
    static let minusSign = "\u{2212}"

    private static func isNegativeNumber(_ word: String) -> Bool {
        word.count > 1 && word.first == "-" && word.dropFirst().allSatisfy(\.isASCIIDigit)
    }
}

extension Character {
    /// `0` to `9`, and no other digit.
    var isASCIIDigit: Bool { isASCII && isNumber }
}
