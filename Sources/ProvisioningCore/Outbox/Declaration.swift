/// One of the three provisioning operations with everything needed to send it: what it addresses and the body.
public enum Declaration: Codable, Hashable, Sendable, CustomStringConvertible {
    case createAttempt(ProvisioningTarget, CreateStageAttemptRequest)
    case stageProgress(ProvisioningTarget, DeclareStageProgressRequest)
    case stepProgress(ProvisioningTarget, DeclareStepProgressRequest)

    /// What the declaration addresses.
    public var target: ProvisioningTarget {
        switch self {
        case .createAttempt(let target, _), .stageProgress(let target, _), .stepProgress(let target, _): target
        }
    }

    /// The status it declares.
    public var status: ProvisioningStatus? {
        switch self {
        case .createAttempt(_, let request): request.status
        case .stageProgress(_, let request): request.status
        case .stepProgress(_, let request): request.status
        }
    }

    /// Whether the body carries a provisioning `secret`.
    var hasSecret: Bool {
        switch self {
        case .createAttempt(_, let request): request.secret != nil
        case .stageProgress(_, let request): request.secret != nil
        case .stepProgress(_, let request): request.secret != nil
        }
    }

    /// The same declaration with the body's `secret` left out, for records kept after it was sent.
    var withoutSecret: Declaration {
        switch self {
        case .createAttempt(let target, var request):
            request.secret = nil
            return .createAttempt(target, request)
        case .stageProgress(let target, var request):
            request.secret = nil
            return .stageProgress(target, request)
        case .stepProgress(let target, var request):
            request.secret = nil
            return .stepProgress(target, request)
        }
    }

    /// e.g. `step dep/build/#1/git-clone → COMPLETED`; never shows the secret.
    public var description: String {
        let kind =
            switch self {
            case .createAttempt: "create attempt"
            case .stageProgress: "stage"
            case .stepProgress: "step"
            }
        return "\(kind) \(target) → \(status?.rawValue ?? "-")"
    }
}

extension KoyebClient {
    /// Sends `declaration` with the matching operation — the one path every caller (CLI, dashboard, adapters,
    /// outbox) uses to declare progress.
    public func send(_ declaration: Declaration) async throws -> ProvisioningReply {
        switch declaration {
        case .createAttempt(let target, let request): try await createStageAttempt(target, request)
        case .stageProgress(let target, let request): try await declareStageProgress(target, request)
        case .stepProgress(let target, let request): try await declareStepProgress(target, request)
        }
    }
}
