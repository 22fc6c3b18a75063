import ArgumentParser
import Foundation
import ProvisioningCore

/// `kprov`: a terminal dashboard and toolkit for Koyeb's provisioning API. With no subcommand it opens the
/// dashboard; every subcommand is a thin layer over the library targets.
@main
struct Kprov: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kprov",
        abstract: "Watch Koyeb deployments build, and declare build progress.",
        discussion: """
            Try it with no account:
              kprov --demo
            Declare a step from CI:
              kprov step declare DEPLOYMENT build 1 git-clone \\
                  --status COMPLETED --finished-at now

            `kprov` alone opens the dashboard; its options (--demo, --interval, --theme, --ascii, --read-only, \
            --deployment, --status, …) are listed by:
              kprov dashboard --help
            """,
        version: KprovVersion.current,
        subcommands: [
            Dashboard.self, Sim.self, Serve.self, Attempt.self, StageCommand.self, StepCommand.self,
            Deployments.self, Tree.self, Watch.self, OutboxCommand.self,
        ],
        defaultSubcommand: Dashboard.self
    )

    /// Runs the command. Bad usage (a parse or validation error, a bad configuration value or file) prints one
    /// `error: …` line and exits with 2, the code kprov documents; ArgumentParser's own default on Linux is 64.
    static func main() async {
        Console.prepare()
        let arguments = Array(CommandLine.arguments.dropFirst())
        var command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            usageError(UsageDiagnosis.message(for: arguments, error: error))
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as ConfigurationError {
            usageError(error.description)
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            usageError(message(for: error))
        }
    }

    private static func usageError(_ message: String) -> Never {
        Console.note("error: \(message)")
        Foundation.exit(2)
    }
}
