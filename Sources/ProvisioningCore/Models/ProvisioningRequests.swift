import Foundation

/// The body of `POST /v1/provisioning/{deployment_id}/status/{stage}/{attempt}` (`CreateStageAttempt_request`).
public struct CreateStageAttemptRequest: Codable, Hashable, Sendable, CustomStringConvertible, CustomReflectable {
    /// The per-deployment provisioning secret held by the builder. Never printed: see `description`.
    public var secret: String?
    /// The status to declare; absent leaves it as it is.
    public var status: ProvisioningStatus?
    /// When it started.
    public var startedAt: Date?
    /// Messages to show; they replace the previous ones.
    public var messages: [String]?
    /// The names of the steps this attempt plans to run, in order.
    public var steps: [String]?

    public init(
        secret: String? = nil, status: ProvisioningStatus? = nil, startedAt: Date? = nil, messages: [String]? = nil,
        steps: [String]? = nil
    ) {
        self.secret = secret
        self.status = status
        self.startedAt = startedAt
        self.messages = messages
        self.steps = steps
    }

    enum CodingKeys: String, CodingKey {
        case secret, status, messages, steps
        case startedAt = "started_at"
    }

    public var description: String {
        "CreateStageAttemptRequest(status: \(status?.rawValue ?? "-"), steps: \(steps ?? []), secret: \(Redacted.mark(secret)))"
    }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "secret": Redacted.mark(secret), "status": status as Any, "startedAt": startedAt as Any,
                "messages": messages as Any, "steps": steps as Any,
            ])
    }
}

/// The body of `PATCH /v1/provisioning/{deployment_id}/status/{stage}/{attempt}` (`DeclareStageProgress_request`).
public struct DeclareStageProgressRequest: Codable, Hashable, Sendable, CustomStringConvertible, CustomReflectable {
    /// The per-deployment provisioning secret held by the builder. Never printed: see `description`.
    public var secret: String?
    /// The status to declare; absent leaves it as it is.
    public var status: ProvisioningStatus?
    /// When it ended; goes with a final status.
    public var finishedAt: Date?
    /// Messages to show; they replace the previous ones.
    public var messages: [String]?
    /// Whether the built image was pushed to the registry.
    public var imagePushed: Bool?
    /// Whether a failure was Koyeb's rather than the build's.
    public var internalFailure: Bool?
    /// Whether a failed attempt may succeed if retried.
    public var retryableFailure: Bool?

    public init(
        secret: String? = nil, status: ProvisioningStatus? = nil, finishedAt: Date? = nil, messages: [String]? = nil,
        imagePushed: Bool? = nil, internalFailure: Bool? = nil, retryableFailure: Bool? = nil
    ) {
        self.secret = secret
        self.status = status
        self.finishedAt = finishedAt
        self.messages = messages
        self.imagePushed = imagePushed
        self.internalFailure = internalFailure
        self.retryableFailure = retryableFailure
    }

    enum CodingKeys: String, CodingKey {
        case secret, status, messages
        case finishedAt = "finished_at"
        case imagePushed = "image_pushed"
        case internalFailure = "internal_failure"
        case retryableFailure = "retryable_failure"
    }

    public var description: String {
        "DeclareStageProgressRequest(status: \(status?.rawValue ?? "-"), secret: \(Redacted.mark(secret)))"
    }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "secret": Redacted.mark(secret), "status": status as Any, "finishedAt": finishedAt as Any,
                "messages": messages as Any, "imagePushed": imagePushed as Any,
                "internalFailure": internalFailure as Any, "retryableFailure": retryableFailure as Any,
            ])
    }
}

/// The body of `PATCH /v1/provisioning/{deployment_id}/status/{stage}/{attempt}/{step}`
/// (`DeclareStepProgress_request`).
public struct DeclareStepProgressRequest: Codable, Hashable, Sendable, CustomStringConvertible, CustomReflectable {
    /// The per-deployment provisioning secret held by the builder. Never printed: see `description`.
    public var secret: String?
    /// The status to declare; absent leaves it as it is.
    public var status: ProvisioningStatus?
    /// When it started.
    public var startedAt: Date?
    /// When it ended; goes with a final status.
    public var finishedAt: Date?
    /// Messages to show; they replace the previous ones.
    public var messages: [String]?

    public init(
        secret: String? = nil, status: ProvisioningStatus? = nil, startedAt: Date? = nil, finishedAt: Date? = nil,
        messages: [String]? = nil
    ) {
        self.secret = secret
        self.status = status
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.messages = messages
    }

    enum CodingKeys: String, CodingKey {
        case secret, status, messages
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }

    public var description: String {
        "DeclareStepProgressRequest(status: \(status?.rawValue ?? "-"), secret: \(Redacted.mark(secret)))"
    }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "secret": Redacted.mark(secret), "status": status as Any, "startedAt": startedAt as Any,
                "finishedAt": finishedAt as Any, "messages": messages as Any,
            ])
    }
}

/// The reply to any of the three provisioning operations (`CreateStageAttemptReply`,
/// `DeclareStageProgressReply`, `DeclareStepProgressReply`): an object, empty today, kept as it came so
/// adapters can pass it on unchanged.
public struct ProvisioningReply: Codable, Hashable, Sendable {
    /// The reply's members; none today.
    public var fields: [String: JSONValue]

    public init(fields: [String: JSONValue] = [:]) { self.fields = fields }

    public init(from decoder: any Decoder) throws {
        fields = try decoder.singleValueContainer().decode([String: JSONValue].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(fields)
    }
}
