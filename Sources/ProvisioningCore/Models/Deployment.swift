import Foundation

/// A Koyeb deployment, as `GET /v1/deployments/{id}` returns it (`Deployment`) and as the listing returns it
/// (`DeploymentListItem`, which has the same fields less `skip_build` and `role`).
///
/// kprov reads the identity, status, dates and `provisioning_info`; `metadata`, `definition` and
/// `database_info` are kept as raw JSON so nothing is lost on a round trip.
public struct Deployment: Codable, Hashable, Sendable, Identifiable {
    /// The deployment's id (a UUID).
    public var id: String
    /// When the deployment was created.
    public var createdAt: Date?
    /// When the deployment last changed.
    public var updatedAt: Date?
    /// When instances were allocated.
    public var allocatedAt: Date?
    /// When the deployment started.
    public var startedAt: Date?
    /// When the deployment became healthy.
    public var succeededAt: Date?
    /// When the deployment was stopped.
    public var terminatedAt: Date?
    /// The organization that owns it.
    public var organizationID: String?
    /// The app it belongs to.
    public var appID: String?
    /// The service it deploys.
    public var serviceID: String?
    /// The deployment this one replaces.
    public var parentID: String?
    /// The deployment that replaced this one.
    public var childID: String?
    /// The deployment's status; `PENDING` when absent, as the spec's default says.
    public var status: DeploymentStatus
    /// `DeploymentMetadata` (trigger, git, …), kept as it came.
    public var metadata: JSONValue?
    /// `DeploymentDefinition` (name, type, regions, …), kept as it came.
    public var definition: JSONValue?
    /// What Koyeb said about the deployment.
    public var messages: [String]?
    /// The build: sha, image, stages → attempts → steps.
    public var provisioningInfo: ProvisioningInfo?
    /// `DeploymentDatabaseInfo`, kept as it came.
    public var databaseInfo: JSONValue?
    /// Whether the build was skipped (full deployment only).
    public var skipBuild: Bool?
    /// `Deployment.Role` (full deployment only).
    public var role: String?
    /// The deployment's version number, a uint64 in a string.
    public var version: String?
    /// The deployment group it belongs to.
    public var deploymentGroup: String?
    /// The instance snapshot its instances boot from.
    public var instanceSnapshotID: String?

    public init(
        id: String, status: DeploymentStatus = .pending, appID: String? = nil, serviceID: String? = nil,
        organizationID: String? = nil, createdAt: Date? = nil, updatedAt: Date? = nil,
        provisioningInfo: ProvisioningInfo? = nil, definition: JSONValue? = nil, messages: [String]? = nil
    ) {
        self.id = id
        self.status = status
        self.appID = appID
        self.serviceID = serviceID
        self.organizationID = organizationID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.provisioningInfo = provisioningInfo
        self.definition = definition
        self.messages = messages
    }

    /// The service name from `definition.name`, when Koyeb sent one.
    public var serviceName: String? { definition?["name"]?.stringValue }

    enum CodingKeys: String, CodingKey {
        case id, status, metadata, definition, messages, role, version
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case allocatedAt = "allocated_at"
        case startedAt = "started_at"
        case succeededAt = "succeeded_at"
        case terminatedAt = "terminated_at"
        case organizationID = "organization_id"
        case appID = "app_id"
        case serviceID = "service_id"
        case parentID = "parent_id"
        case childID = "child_id"
        case provisioningInfo = "provisioning_info"
        case databaseInfo = "database_info"
        case skipBuild = "skip_build"
        case deploymentGroup = "deployment_group"
        case instanceSnapshotID = "instance_snapshot_id"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(String.self, forKey: .id) ?? ""
        createdAt = try container.decodeIfPresent(Date.self, forKey: .createdAt)
        updatedAt = try container.decodeIfPresent(Date.self, forKey: .updatedAt)
        allocatedAt = try container.decodeIfPresent(Date.self, forKey: .allocatedAt)
        startedAt = try container.decodeIfPresent(Date.self, forKey: .startedAt)
        succeededAt = try container.decodeIfPresent(Date.self, forKey: .succeededAt)
        terminatedAt = try container.decodeIfPresent(Date.self, forKey: .terminatedAt)
        organizationID = try container.decodeIfPresent(String.self, forKey: .organizationID)
        appID = try container.decodeIfPresent(String.self, forKey: .appID)
        serviceID = try container.decodeIfPresent(String.self, forKey: .serviceID)
        parentID = try container.decodeIfPresent(String.self, forKey: .parentID)
        childID = try container.decodeIfPresent(String.self, forKey: .childID)
        status = try container.decodeIfPresent(DeploymentStatus.self, forKey: .status) ?? .pending
        metadata = try container.decodeIfPresent(JSONValue.self, forKey: .metadata)
        definition = try container.decodeIfPresent(JSONValue.self, forKey: .definition)
        messages = try container.decodeIfPresent([String].self, forKey: .messages)
        provisioningInfo = try container.decodeIfPresent(ProvisioningInfo.self, forKey: .provisioningInfo)
        databaseInfo = try container.decodeIfPresent(JSONValue.self, forKey: .databaseInfo)
        skipBuild = try container.decodeIfPresent(Bool.self, forKey: .skipBuild)
        role = try container.decodeIfPresent(String.self, forKey: .role)
        version = try container.decodeIfPresent(String.self, forKey: .version)
        deploymentGroup = try container.decodeIfPresent(String.self, forKey: .deploymentGroup)
        instanceSnapshotID = try container.decodeIfPresent(String.self, forKey: .instanceSnapshotID)
    }
}

/// The reply of `GET /v1/deployments/{id}` (`GetDeploymentReply`).
public struct GetDeploymentReply: Codable, Hashable, Sendable {
    /// The deployment asked for.
    public var deployment: Deployment?

    public init(deployment: Deployment?) { self.deployment = deployment }
}

/// One page of `GET /v1/deployments` (`ListDeploymentsReply`).
public struct ListDeploymentsReply: Codable, Hashable, Sendable {
    /// This page's deployments.
    public var deployments: [Deployment]
    /// The page size the server used.
    public var limit: Int64?
    /// Where this page starts.
    public var offset: Int64?
    /// The total number of deployments that match, across all pages.
    public var count: Int64?
    /// Whether another page follows.
    public var hasNext: Bool?

    public init(deployments: [Deployment], limit: Int64?, offset: Int64?, count: Int64?, hasNext: Bool?) {
        self.deployments = deployments
        self.limit = limit
        self.offset = offset
        self.count = count
        self.hasNext = hasNext
    }

    enum CodingKeys: String, CodingKey {
        case deployments, limit, offset, count
        case hasNext = "has_next"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        deployments = try container.decodeListIfPresent([Deployment].self, forKey: .deployments)
        limit = try container.decodeLenientInt64IfPresent(forKey: .limit)
        offset = try container.decodeLenientInt64IfPresent(forKey: .offset)
        count = try container.decodeLenientInt64IfPresent(forKey: .count)
        hasNext = try container.decodeIfPresent(Bool.self, forKey: .hasNext)
    }
}

extension Deployment {
    /// Koyeb's listing order, which the simulator lists in and the dashboard shows: newest first, deployments
    /// without a creation date last, ties by id so the order is stable.
    public static func isListedBefore(_ left: Deployment, _ right: Deployment) -> Bool {
        switch (left.createdAt, right.createdAt) {
        case let (l?, r?) where l != r: l > r
        case (_?, nil): true
        case (nil, _?): false
        default: left.id < right.id
        }
    }
}
