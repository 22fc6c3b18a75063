import ArgumentParser
import Foundation
import ProvisioningCore

/// The path arguments every provisioning command starts with: `DEPLOYMENT STAGE ATTEMPT`.
struct AttemptArguments: ParsableArguments {
    @Argument(help: "The deployment id, as `kprov deployments list` shows it.")
    var deployment: String

    @Argument(help: "The stage name, e.g. build.")
    var stage: String

    @Argument(help: "The attempt number: an integer from 0 to \(Int64.max), e.g. 1.")
    var attempt: String

    func validate() throws {
        try requireNonEmpty(deployment, name: "DEPLOYMENT")
        try requireNonEmpty(stage, name: "STAGE")
        _ = try attemptNumber()
    }

    /// `attempt` as a number. A negative or too large integer is out of range; anything else is not a number.
    /// The minus sign U+2212 counts as `-`: `UsageDiagnosis` puts it in place of a `-` that ArgumentParser
    /// would take for an option.
    func attemptNumber() throws -> Int64 {
        let text = attempt.replacingOccurrences(of: UsageDiagnosis.minusSign, with: "-")
        if let number = Int64(text), number >= 0 { return number }
        let allowed = "allowed: an integer from 0 to \(Int64.max)"
        let digits = text.first == "-" || text.first == "+" ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit) else {
            throw ValidationError(
                "ATTEMPT: \"\(TerminalText.sanitized(text, limit: 40))\" is not an attempt number; \(allowed), e.g. 1")
        }
        throw ValidationError("ATTEMPT: \(TerminalText.sanitized(text, limit: 40)) is out of range; \(allowed)")
    }

    func target(step: String? = nil) throws -> ProvisioningTarget {
        ProvisioningTarget(deploymentID: deployment, stage: stage, attempt: try attemptNumber(), step: step)
    }
}

/// `--status`, `--message`, `--secret` and `--output`, shared by the three provisioning commands.
struct DeclarationOptions: ParsableArguments {
    @Option(help: "The new status: \(ProvisioningStatus.recognizedList). Without it the status stays as it is.")
    var status: String?

    @Option(name: .customLong("message"), help: "A message to attach (repeatable).")
    var messages: [String] = []

    @Option(help: "The deployment's provisioning secret (default: KOYEB_PROVISIONING_SECRET).")
    var secret: String?

    @Option(help: "What to print on success: table (a sentence) or json (the API's reply).")
    var output: OutputFormat = .table

    func validate() throws { _ = try parsedStatus() }

    /// `--status`, or `nil` when it is not given.
    func parsedStatus() throws -> ProvisioningStatus? {
        guard let status else { return nil }
        guard let parsed = ProvisioningStatus.recognized(matching: status) else {
            throw ValidationError(
                "--status: \"\(TerminalText.sanitized(status, limit: 40))\" is not a status; allowed: \(ProvisioningStatus.recognizedList)"
            )
        }
        return parsed
    }

    /// Refuses `--finished-at` with a status that is not final, as the API does (with the same words): only a
    /// finished item has a finish time. Without `--status` (or with UNKNOWN, which keeps the status) the item's
    /// current status decides, which only the API knows.
    func checkFinishTime(_ finishedAt: String?) throws {
        guard finishedAt != nil, let status = try parsedStatus(), status != .unknown,
            let refusal = status.finishTimeRefusal
        else { return }
        throw ValidationError("--finished-at: \(refusal)")
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

/// Refuses a declaration that declares nothing: at least one of `fields` (option name, whether it was given)
/// must be given.
func requireAField(_ fields: KeyValuePairs<String, Bool>) throws {
    guard !fields.contains(where: \.value) else { return }
    throw ValidationError(
        "nothing to declare: give at least one of " + fields.map(\.key).joined(separator: ", "))
}

func requireNonEmpty(_ value: String, name: String) throws {
    guard !value.trimmingCharacters(in: .whitespaces).isEmpty else {
        throw ValidationError("\(name) is empty; give a non-empty value")
    }
}
