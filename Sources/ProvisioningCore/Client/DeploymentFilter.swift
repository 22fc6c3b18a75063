/// What `KoyebClient.listDeployments` asks for: the query parameters of `GET /v1/deployments`.
public struct DeploymentFilter: Sendable, Hashable, Codable {
    /// Only deployments in one of these statuses (repeated `statuses` parameter); empty means all.
    public var statuses: [DeploymentStatus]
    /// Only deployments of this app.
    public var appID: String?
    /// Only deployments of this service.
    public var serviceID: String?
    /// Items per page, 1–100 (Koyeb's maximum).
    public var pageSize: Int

    /// A filter; `pageSize` is clamped to 1–100.
    public init(statuses: [DeploymentStatus] = [], appID: String? = nil, serviceID: String? = nil, pageSize: Int = 100)
    {
        self.statuses = statuses
        self.appID = appID
        self.serviceID = serviceID
        self.pageSize = min(max(pageSize, 1), 100)
    }

    /// The query string for the page at `offset`, without the leading `?`.
    func query(offset: Int) -> String {
        var items = ["limit=\(pageSize)", "offset=\(offset)"]
        items += statuses.map { "statuses=\(PathSegment.encode($0.rawValue))" }
        if let appID { items.append("app_id=\(PathSegment.encode(appID))") }
        if let serviceID { items.append("service_id=\(PathSegment.encode(serviceID))") }
        return items.joined(separator: "&")
    }
}
