import ArgumentParser
import Foundation
import ProvisioningCore

/// The path arguments every provisioning command starts with: `DEPLOYMENT STAGE ATTEMPT`.
struct AttemptArguments: ParsableArguments {
    @Argument(help: "The deployment id.")
    var deployment: String

    @Argument(help: "The stage name, e.g. build.")
    var stage: String

    @Argument(help: "The attempt number (a non-negative integer).")
    var attempt: String

    func validate() throws {
        try requireNonEmpty(deployment, name: "DEPLOYMENT")
        try requireNonEmpty(stage, name: "STAGE")
        _ = try attemptNumber()
    }

    func attemptNumber() throws -> Int64 {
        guard let number = Int64(attempt), number >= 0 else {
            throw ValidationError("ATTEMPT: \"\(attempt)\" is not an attempt number; allowed: an integer ≥ 0, e.g. 1")
        }
        return number
    }

    func target(step: String? = nil) throws -> ProvisioningTarget {
        ProvisioningTarget(deploymentID: deployment, stage: stage, attempt: try attemptNumber(), step: step)
    }
}

/// `--status`, `--message`, `--secret` and `--output`, shared by the three provisioning commands.
struct DeclarationOptions: ParsableArguments {
    @Option(help: "The new status: \(ProvisioningStatus.recognizedList).")
    var status: String

    @Option(name: .customLong("message"), help: "A message to attach (repeatable).")
    var messages: [String] = []

    @Option(help: "The deployment's provisioning secret (default: KOYEB_PROVISIONING_SECRET).")
    var secret: String?

    @Option(help: "What to print on success: table (a sentence) or json (the API's reply).")
    var output: OutputFormat = .table

    func validate() throws { _ = try parsedStatus() }

    func parsedStatus() throws -> ProvisioningStatus {
        guard let status = ProvisioningStatus.recognized(matching: status) else {
            throw ValidationError(
                "--status: \"\(TerminalText.sanitized(status, limit: 40))\" is not a status; allowed: \(ProvisioningStatus.recognizedList)"
            )
        }
        return status
    }

    /// `--secret`, else `KOYEB_PROVISIONING_SECRET`, else none.
    var resolvedSecret: String? {
        if let secret, !secret.isEmpty { return secret }
        let environment = ProcessInfo.processInfo.environment["KOYEB_PROVISIONING_SECRET"]
        return environment?.isEmpty == false ? environment : nil
    }

    var messagesOrNil: [String]? { messages.isEmpty ? nil : messages }
}

/// Parses a time option: `now` or RFC 3339.
func parseTimeOption(_ text: String?, name: String) throws -> Date? {
    guard let text else { return nil }
    guard let date = TimeArgument.parse(text) else {
        throw ValidationError(
            "\(name): \"\(TerminalText.sanitized(text, limit: 40))\" is not a time; allowed: \(TimeArgument.allowed)")
    }
    return date
}

func requireNonEmpty(_ value: String, name: String) throws {
    guard !value.trimmingCharacters(in: .whitespaces).isEmpty else {
        throw ValidationError("\(name) is empty; give a non-empty value")
    }
}
