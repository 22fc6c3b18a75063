import Foundation
import ProvisioningCore

/// The sentence a declaring command prints once the API accepted the declaration, e.g.
/// `created attempt 4f2c…e1/build/#2 (RUNNING, 5 steps)` or `declared stage 4f2c…e1/build/#1: 1 message`.
enum DeclarationConfirmation {
    static func sentence(for declaration: Declaration) -> String {
        let target = declaration.target
        let sentence =
            switch declaration {
            case .createAttempt(_, let request):
                "created attempt \(target)" + parenthesized(attemptFacts(request))
            case .stageProgress(_, let request):
                "declared stage \(target): " + stageFacts(request).joined(separator: ", ")
            case .stepProgress(_, let request):
                "declared step \(target): " + stepFacts(request).joined(separator: ", ")
            }
        return TerminalText.sanitized(sentence, limit: 400)
    }

    private static func attemptFacts(_ request: CreateStageAttemptRequest) -> [String] {
        [
            request.status?.rawValue, request.startedAt.map { "started \(RFC3339.format($0))" },
            request.steps.map { count($0.count, "step") }, request.messages.map { count($0.count, "message") },
        ].compactMap { $0 }
    }

    private static func stageFacts(_ request: DeclareStageProgressRequest) -> [String] {
        [
            request.status?.rawValue, request.finishedAt.map { "finished \(RFC3339.format($0))" },
            request.imagePushed == true ? "image pushed" : nil,
            request.internalFailure == true ? "internal failure" : nil,
            request.retryableFailure == true ? "retryable failure" : nil,
            request.messages.map { count($0.count, "message") },
        ].compactMap { $0 }
    }

    private static func stepFacts(_ request: DeclareStepProgressRequest) -> [String] {
        [
            request.status?.rawValue, request.startedAt.map { "started \(RFC3339.format($0))" },
            request.finishedAt.map { "finished \(RFC3339.format($0))" },
            request.messages.map { count($0.count, "message") },
        ].compactMap { $0 }
    }

    /// `1 message`, `2 messages`.
    private static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }

    private static func parenthesized(_ facts: [String]) -> String {
        facts.isEmpty ? "" : " (" + facts.joined(separator: ", ") + ")"
    }
}
