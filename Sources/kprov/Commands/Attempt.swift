import ArgumentParser
import Foundation
import ProvisioningCore

/// `kprov attempt create`.
struct Attempt: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create build attempts.", subcommands: [Create.self])

    /// `kprov attempt create DEPLOYMENT STAGE ATTEMPT --status … --step …`: POST a new attempt for a stage.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an attempt for a stage (POST).",
            discussion: """
                Example:
                  kprov attempt create 4f2c…e1 build 1 --status RUNNING \\
                      --started-at now --step git-clone --step detect \\
                      --step restore --step build --step export

                \(CommandOutcome.declaringExitStatus)
                """)

        @OptionGroup var path: AttemptArguments
        @OptionGroup var declaration: DeclarationOptions

        @Option(help: "When the attempt started: `now` or an RFC 3339 time.")
        var startedAt: String?

        @Option(name: .customLong("step"), help: "A step this attempt plans to run, in order (repeatable).")
        var steps: [String] = []

        @OptionGroup var connection: ConnectionOptions

        func validate() throws {
            _ = try parseTimeOption(startedAt, name: "--started-at")
            var planned = Set<String>()
            for step in steps {
                try requireNonEmpty(step, name: "--step")
                guard planned.insert(step).inserted else {
                    throw ValidationError(
                        "--step: \"\(TerminalText.sanitized(step, limit: 80))\" is listed twice; each step is planned once"
                    )
                }
            }
        }

        func run() async throws {
            let target = try path.target()
            let request = CreateStageAttemptRequest(
                secret: declaration.resolvedSecret, status: try declaration.parsedStatus(),
                startedAt: try parseTimeOption(startedAt, name: "--started-at"), messages: declaration.messagesOrNil,
                steps: steps.isEmpty ? nil : steps)
            try await DeclarationSender(connection: connection, output: declaration.output).send(
                .createAttempt(target, request))
        }
    }
}
