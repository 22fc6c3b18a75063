import ArgumentParser
import Foundation
import ProvisioningCore

/// `kprov step declare`.
struct StepCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "step", abstract: "Declare step progress.", subcommands: [Declare.self])

    /// `kprov step declare DEPLOYMENT STAGE ATTEMPT STEP [--status …] …`: PATCH one step's progress; every field
    /// is optional, as in the spec, but at least one must be given.
    struct Declare: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Declare one build step's progress (PATCH).",
            discussion: """
                Example:
                  kprov step declare 4f2c…e1 build 1 git-clone \\
                      --status COMPLETED --finished-at now \\
                      --message "Cloned koyeb/example-flask@1a2b3c4"

                \(CommandOutcome.declaringExitStatus)
                """)

        @OptionGroup var path: AttemptArguments

        @Argument(help: "The step name, e.g. git-clone.")
        var step: String

        @OptionGroup var declaration: DeclarationOptions

        @Option(help: "When the step started: `now` or an RFC 3339 time.")
        var startedAt: String?

        @Option(help: "When the step finished: `now` or an RFC 3339 time.")
        var finishedAt: String?

        @OptionGroup var connection: ConnectionOptions

        func validate() throws {
            try requireNonEmpty(step, name: "STEP")
            let started = try parseTimeOption(startedAt, name: "--started-at")
            let finished = try parseTimeOption(finishedAt, name: "--finished-at")
            if let started, let finished, finished < started {
                throw ValidationError("--finished-at is before --started-at; a step cannot finish before it starts")
            }
            try declaration.checkFinishTime(finishedAt)
            try requireAField([
                "--status": declaration.status != nil, "--started-at": startedAt != nil,
                "--finished-at": finishedAt != nil, "--message": !declaration.messages.isEmpty,
            ])
        }

        func run() async throws {
            let target = try path.target(step: step)
            let request = DeclareStepProgressRequest(
                secret: declaration.resolvedSecret, status: try declaration.parsedStatus(),
                startedAt: try parseTimeOption(startedAt, name: "--started-at"),
                finishedAt: try parseTimeOption(finishedAt, name: "--finished-at"), messages: declaration.messagesOrNil)
            try await DeclarationSender(connection: connection, output: declaration.output).send(
                .stepProgress(target, request))
        }
    }
}
