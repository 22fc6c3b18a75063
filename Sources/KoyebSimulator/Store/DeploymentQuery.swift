import ProvisioningCore

/// The query of `GET /v1/deployments`: a page (`limit`, `offset`) of the deployments that match the filters.
struct DeploymentQuery: Sendable, Hashable {
    /// Items per page, 1–100; 20 when absent.
    var limit: Int
    var offset: Int
    /// Matches any of these; empty matches all.
    var statuses: Set<DeploymentStatus>
    var appID: String?
    var serviceID: String?

    static let defaultLimit = 20
    static let limitRange = 1...100

    init(
        limit: Int = defaultLimit, offset: Int = 0, statuses: Set<DeploymentStatus> = [], appID: String? = nil,
        serviceID: String? = nil
    ) {
        self.limit = limit
        self.offset = offset
        self.statuses = statuses
        self.appID = appID
        self.serviceID = serviceID
    }

    /// Reads the query parameters (values already percent-decoded); a bad value is a 400 naming the parameter.
    /// Empty values count as absent, as Koyeb's gateway treats them.
    init(parameters: [(name: String, value: String)]) throws(SimulatorError) {
        self.init()
        for (name, value) in parameters where !value.isEmpty {
            switch name {
            case "limit":
                guard let number = Int(value), Self.limitRange.contains(number) else {
                    throw .invalid(
                        field: "limit",
                        "\(ProvisioningRules.quoted(value)) is not a valid limit; allowed: an integer from 1 to 100")
                }
                limit = number
            case "offset":
                guard let number = Int(value), number >= 0 else {
                    throw .invalid(
                        field: "offset",
                        "\(ProvisioningRules.quoted(value)) is not a valid offset; allowed: an integer ≥ 0")
                }
                offset = number
            case "statuses":
                let status = DeploymentStatus(rawValue: value)
                guard status.isRecognized else {
                    throw .invalid(
                        field: "statuses",
                        "\(ProvisioningRules.quoted(value)) is not a deployment status; allowed: "
                            + DeploymentStatus.recognizedList)
                }
                statuses.insert(status)
            case "app_id": appID = value
            case "service_id": serviceID = value
            default: continue
            }
        }
    }

    /// Whether `deployment` passes the filters.
    func matches(_ deployment: Deployment) -> Bool {
        (statuses.isEmpty || statuses.contains(deployment.status))
            && (appID == nil || deployment.appID == appID)
            && (serviceID == nil || deployment.serviceID == serviceID)
    }
}
