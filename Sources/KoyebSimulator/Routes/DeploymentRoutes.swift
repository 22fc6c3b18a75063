import Hummingbird
import NIOCore

/// `GET /v1/deployments` and `GET /v1/deployments/{id}`, answered from JSON the store keeps encoded.
struct DeploymentRoutes {
    let store: SimulatorStore

    func register(on router: Router<SimulatorRequestContext>) {
        router.get("/v1/deployments") { request, _ in
            let query = try DeploymentQuery(
                parameters: request.uri.queryParameters.map { (String($0.key), String($0.value)) })
            return Response.json(await store.page(query))
        }
        router.get("/v1/deployments/:id") { _, context in
            let id = try context.parameters.decoded("id")
            guard let reply = await store.reply(id: id) else {
                throw SimulatorError.notFound("deployment \(ProvisioningRules.quoted(id)) not found")
            }
            return Response.json(reply)
        }
    }
}

extension Response {
    /// 200 with a JSON body.
    static func json(_ body: ByteBuffer) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
    }
}
