import Hummingbird

/// One route of the REST adapter: a method, a path template and what it does.
///
/// `RESTRoute.all` is the whole surface; the responder dispatches from it and the OpenAPI document describes it.
struct RESTRoute: Hashable, Sendable {
    /// What a route does.
    enum Action: Hashable, Sendable {
        /// Calls Koyeb.
        case provisioning(ProvisioningOperation)
        /// `GET /healthz` (and `HEAD`), for load balancers.
        case health
        /// `GET /openapi.json`, the OpenAPI document of this surface.
        case openAPI
    }

    let method: HTTPRequest.Method
    let template: PathTemplate
    let action: Action

    /// `/v1/v1/provisioning/{deployment-id}/status/{stage}/{attempt}`: the spec prefixes Koyeb's own path with
    /// `/v1`, hence the double `v1`.
    static let attemptPath = PathTemplate([
        .literal("v1"), .literal("v1"), .literal("provisioning"), .parameter(.deploymentID), .literal("status"),
        .parameter(.stage), .parameter(.attempt),
    ])
    /// `/v1/v1/provisioning/{deployment-id}/status/{stage}/{attempt}/{step}`.
    static let stepPath = PathTemplate(attemptPath.segments + [.parameter(.step)])
    static let healthPath = PathTemplate([.literal("healthz")])
    static let openAPIPath = PathTemplate([.literal("openapi.json")])

    /// Every route the adapter serves.
    static let all: [RESTRoute] =
        ProvisioningOperation.allCases.map { operation in
            RESTRoute(method: operation.method, template: path(of: operation), action: .provisioning(operation))
        } + [
            RESTRoute(method: .get, template: healthPath, action: .health),
            RESTRoute(method: .get, template: openAPIPath, action: .openAPI),
        ]

    /// The path template of a provisioning operation.
    static func path(of operation: ProvisioningOperation) -> PathTemplate {
        operation.pathParameters.contains(.step) ? stepPath : attemptPath
    }

    // MARK: - Resolving

    /// Where a request goes.
    enum Resolution: Equatable {
        /// A route, with its path parameters still percent-encoded.
        case found(RESTRoute, [PathParameter: String])
        /// The path exists, for other methods.
        case methodNotAllowed(PathTemplate, allowed: [HTTPRequest.Method])
        /// No route has this path.
        case notFound
    }

    /// Finds the route for `method` and a raw `path`. `HEAD` finds the `GET` route of its path (the responder
    /// leaves out the body), as load balancers' health checks expect.
    static func resolve(method: HTTPRequest.Method, path: String) -> Resolution {
        guard let pieces = PathTemplate.pieces(of: path) else { return .notFound }
        var allowed = [HTTPRequest.Method]()
        var matchedTemplate: PathTemplate?
        for route in all {
            guard case .matched(let values) = route.template.match(pieces) else { continue }
            if route.method == method || (method == .head && route.method == .get) { return .found(route, values) }
            allowed.append(route.method)
            if route.method == .get { allowed.append(.head) }
            matchedTemplate = route.template
        }
        guard let matchedTemplate else { return .notFound }
        return .methodNotAllowed(matchedTemplate, allowed: allowed)
    }
}
