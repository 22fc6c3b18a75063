import ArgumentParser
import Foundation
import ProvisioningCore

/// `kprov stage declare`.
struct StageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stage", abstract: "Declare stage progress.", subcommands: [Declare.self])

    /// `kprov stage declare DEPLOYMENT STAGE ATTEMPT [--status …] …`: PATCH a stage attempt's progress; every
    /// field is optional, as in the spec, but at least one must be given.
    struct Declare: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Declare a stage attempt's progress (PATCH).",
            discussion: """
                Example:
                  kprov stage declare 4f2c…e1 build 1 --status COMPLETED \\
                      --finished-at now --image-pushed

                \(CommandOutcome.declaringExitStatus)
                """)

        @OptionGroup var path: AttemptArguments
        @OptionGroup var declaration: DeclarationOptions

        @Option(help: "When the attempt finished: `now` or an RFC 3339 time.")
        var finishedAt: String?

        @Flag(help: "The image was pushed to the registry.")
        var imagePushed = false

        @Flag(help: "The failure was Koyeb's, not the build's.")
        var internalFailure = false

        @Flag(help: "The failure may succeed if retried.")
        var retryableFailure = false

        @OptionGroup var connection: ConnectionOptions

        func validate() throws {
            _ = try parseTimeOption(finishedAt, name: "--finished-at")
            try declaration.checkFinishTime(finishedAt)
            try requireAField([
                "--status": declaration.status != nil, "--finished-at": finishedAt != nil,
                "--message": !declaration.messages.isEmpty, "--image-pushed": imagePushed,
                "--internal-failure": internalFailure, "--retryable-failure": retryableFailure,
            ])
        }

        func run() async throws {
            let target = try path.target()
            let request = DeclareStageProgressRequest(
                secret: declaration.resolvedSecret, status: try declaration.parsedStatus(),
                finishedAt: try parseTimeOption(finishedAt, name: "--finished-at"),
                messages: declaration.messagesOrNil, imagePushed: imagePushed ? true : nil,
                internalFailure: internalFailure ? true : nil, retryableFailure: retryableFailure ? true : nil)
            try await DeclarationSender(connection: connection, output: declaration.output).send(
                .stageProgress(target, request))
        }
    }
}
