import Foundation

/// One attempt at building a stage (`DeploymentProvisioningInfo.Stage.BuildAttempt`). A retry is a new attempt.
public struct BuildAttempt: Codable, Hashable, Sendable {
    /// The attempt number. An int64 in JSON, a decimal string in the provisioning paths.
    public var id: Int64
    /// Where the attempt is; `UNKNOWN` when Koyeb sent none.
    public var status: ProvisioningStatus
    /// What the builder said about the attempt.
    public var messages: [String]
    /// When the attempt started, if it has.
    public var startedAt: Date?
    /// When the attempt ended, if it has.
    public var finishedAt: Date?
    /// The planned steps, in order.
    public var steps: [BuildStep]
    /// Whether the built image was pushed to the registry.
    public var imagePushed: Bool?
    /// Whether a failure was Koyeb's rather than the build's.
    public var internalFailure: Bool?
    /// Whether a failed attempt may succeed if retried as a new attempt.
    public var retryableFailure: Bool?
    /// Set by Koyeb to finalize the build: continue the deployment on success, or cancel (and maybe retry) on
    /// failure.
    public var waitCompletion: Bool?

    public init(
        id: Int64, status: ProvisioningStatus = .unknown, messages: [String] = [], startedAt: Date? = nil,
        finishedAt: Date? = nil, steps: [BuildStep] = [], imagePushed: Bool? = nil, internalFailure: Bool? = nil,
        retryableFailure: Bool? = nil, waitCompletion: Bool? = nil
    ) {
        self.id = id
        self.status = status
        self.messages = messages
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.steps = steps
        self.imagePushed = imagePushed
        self.internalFailure = internalFailure
        self.retryableFailure = retryableFailure
        self.waitCompletion = waitCompletion
    }

    /// The step named `name`, if the attempt declared one.
    public func step(named name: String) -> BuildStep? { steps.first { $0.name == name } }

    /// Whether this attempt is as `request` creates one: the status, messages and step names the request
    /// declares (what it leaves out is not compared). After a create whose reply was lost, this tells the
    /// attempt that create made from one that was there before it, which Koyeb would have refused.
    public func matches(_ request: CreateStageAttemptRequest) -> Bool {
        (request.status.map { $0 == status } ?? true) && (request.messages.map { $0 == messages } ?? true)
            && (request.steps.map { $0 == steps.map(\.name) } ?? true)
    }

    enum CodingKeys: String, CodingKey {
        case id, status, messages, steps
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case imagePushed = "image_pushed"
        case internalFailure = "internal_failure"
        case retryableFailure = "retryable_failure"
        case waitCompletion = "wait_completion"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeLenientInt64IfPresent(forKey: .id) ?? 0
        status = try container.decodeIfPresent(ProvisioningStatus.self, forKey: .status) ?? .unknown
        messages = try container.decodeListIfPresent([String].self, forKey: .messages)
        startedAt = try container.decodeIfPresent(Date.self, forKey: .startedAt)
        finishedAt = try container.decodeIfPresent(Date.self, forKey: .finishedAt)
        steps = try container.decodeListIfPresent([BuildStep].self, forKey: .steps)
        imagePushed = try container.decodeIfPresent(Bool.self, forKey: .imagePushed)
        internalFailure = try container.decodeIfPresent(Bool.self, forKey: .internalFailure)
        retryableFailure = try container.decodeIfPresent(Bool.self, forKey: .retryableFailure)
        waitCompletion = try container.decodeIfPresent(Bool.self, forKey: .waitCompletion)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(status, forKey: .status)
        if !messages.isEmpty { try container.encode(messages, forKey: .messages) }
        try container.encodeIfPresent(startedAt, forKey: .startedAt)
        try container.encodeIfPresent(finishedAt, forKey: .finishedAt)
        if !steps.isEmpty { try container.encode(steps, forKey: .steps) }
        try container.encodeIfPresent(imagePushed, forKey: .imagePushed)
        try container.encodeIfPresent(internalFailure, forKey: .internalFailure)
        try container.encodeIfPresent(retryableFailure, forKey: .retryableFailure)
        try container.encodeIfPresent(waitCompletion, forKey: .waitCompletion)
    }
}
