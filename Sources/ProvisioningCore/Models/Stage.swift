import Foundation

/// A provisioning stage (`DeploymentProvisioningInfo.Stage`), such as `build`, with its attempts.
public struct Stage: Codable, Hashable, Sendable {
    /// The stage's name, e.g. `build`.
    public var name: String
    /// Where the stage is; `UNKNOWN` when Koyeb sent none.
    public var status: ProvisioningStatus
    /// What the builder said about the stage.
    public var messages: [String]
    /// When the stage started, if it has.
    public var startedAt: Date?
    /// When the stage ended, if it has.
    public var finishedAt: Date?
    /// The attempts at this stage, oldest first; a retry is a new attempt.
    public var buildAttempts: [BuildAttempt]

    public init(
        name: String, status: ProvisioningStatus = .unknown, messages: [String] = [], startedAt: Date? = nil,
        finishedAt: Date? = nil, buildAttempts: [BuildAttempt] = []
    ) {
        self.name = name
        self.status = status
        self.messages = messages
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.buildAttempts = buildAttempts
    }

    /// The attempt with id `id`, if there is one.
    public func attempt(id: Int64) -> BuildAttempt? { buildAttempts.first { $0.id == id } }

    enum CodingKeys: String, CodingKey {
        case name, status, messages
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case buildAttempts = "build_attempts"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        status = try container.decodeIfPresent(ProvisioningStatus.self, forKey: .status) ?? .unknown
        messages = try container.decodeListIfPresent([String].self, forKey: .messages)
        startedAt = try container.decodeIfPresent(Date.self, forKey: .startedAt)
        finishedAt = try container.decodeIfPresent(Date.self, forKey: .finishedAt)
        buildAttempts = try container.decodeListIfPresent([BuildAttempt].self, forKey: .buildAttempts)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(status, forKey: .status)
        if !messages.isEmpty { try container.encode(messages, forKey: .messages) }
        try container.encodeIfPresent(startedAt, forKey: .startedAt)
        try container.encodeIfPresent(finishedAt, forKey: .finishedAt)
        if !buildAttempts.isEmpty { try container.encode(buildAttempts, forKey: .buildAttempts) }
    }
}

/// What Koyeb knows about a deployment's build (`DeploymentProvisioningInfo`).
public struct ProvisioningInfo: Codable, Hashable, Sendable {
    /// The git sha being built, resolved at the start of the build.
    public var sha: String?
    /// The docker image the build produced.
    public var image: String?
    /// The build's stages, in order.
    public var stages: [Stage]

    public init(sha: String? = nil, image: String? = nil, stages: [Stage] = []) {
        self.sha = sha
        self.image = image
        self.stages = stages
    }

    /// The stage named `name`, if there is one.
    public func stage(named name: String) -> Stage? { stages.first { $0.name == name } }

    enum CodingKeys: String, CodingKey {
        case sha, image, stages
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sha = try container.decodeIfPresent(String.self, forKey: .sha)
        image = try container.decodeIfPresent(String.self, forKey: .image)
        stages = try container.decodeListIfPresent([Stage].self, forKey: .stages)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(sha, forKey: .sha)
        try container.encodeIfPresent(image, forKey: .image)
        if !stages.isEmpty { try container.encode(stages, forKey: .stages) }
    }
}
