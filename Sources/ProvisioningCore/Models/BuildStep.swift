import Foundation

/// One step of a build attempt (`DeploymentProvisioningInfo.Stage.BuildAttempt.BuildStep`), e.g. `git-clone`.
public struct BuildStep: Codable, Hashable, Sendable {
    /// The step's name, e.g. `git-clone`; one the attempt planned.
    public var name: String
    /// Where the step is; `UNKNOWN` when Koyeb sent none.
    public var status: ProvisioningStatus
    /// What the builder said about the step, oldest first.
    public var messages: [String]
    /// When the step started, if it has.
    public var startedAt: Date?
    /// When the step ended, if it has.
    public var finishedAt: Date?

    public init(
        name: String, status: ProvisioningStatus = .unknown, messages: [String] = [], startedAt: Date? = nil,
        finishedAt: Date? = nil
    ) {
        self.name = name
        self.status = status
        self.messages = messages
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }

    enum CodingKeys: String, CodingKey {
        case name, status, messages
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        status = try container.decodeIfPresent(ProvisioningStatus.self, forKey: .status) ?? .unknown
        messages = try container.decodeListIfPresent([String].self, forKey: .messages)
        startedAt = try container.decodeIfPresent(Date.self, forKey: .startedAt)
        finishedAt = try container.decodeIfPresent(Date.self, forKey: .finishedAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(status, forKey: .status)
        if !messages.isEmpty { try container.encode(messages, forKey: .messages) }
        try container.encodeIfPresent(startedAt, forKey: .startedAt)
        try container.encodeIfPresent(finishedAt, forKey: .finishedAt)
    }
}
