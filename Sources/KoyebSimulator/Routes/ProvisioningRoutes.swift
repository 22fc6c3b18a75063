import Hummingbird
import NIOCore
import ProvisioningCore

/// The three provisioning operations. Each reads its body, calls the store's declaration function (the one the
/// simulated builders call too) and answers `{}`.
struct ProvisioningRoutes {
    let store: SimulatorStore
    let bodyReader: RequestBodyReader

    private static let attemptPath: RouterPath = "/v1/provisioning/:deployment_id/status/:stage/:attempt"
    private static let stepPath: RouterPath = "/v1/provisioning/:deployment_id/status/:stage/:attempt/:step"

    func register(on router: Router<SimulatorRequestContext>) {
        router.post(Self.attemptPath) { request, context in
            try await declare(request, context, as: CreateStageAttemptRequest.self) {
                try await store.createStageAttempt($0, $1)
            }
        }
        router.patch(Self.attemptPath) { request, context in
            try await declare(request, context, as: DeclareStageProgressRequest.self) {
                try await store.declareStageProgress($0, $1)
            }
        }
        router.patch(Self.stepPath) { request, context in
            try await declare(request, context, as: DeclareStepProgressRequest.self, step: true) {
                try await store.declareStepProgress($0, $1)
            }
        }
    }

    /// Reads the path and the body, applies the declaration, answers `{}`.
    private func declare<Body: Decodable>(
        _ request: Request, _ context: SimulatorRequestContext, as type: Body.Type, step: Bool = false,
        apply: (ProvisioningTarget, Body) async throws -> Void
    ) async throws -> Response {
        let target = try target(context.parameters, step: step)
        try await apply(target, try await bodyReader.decode(type, from: request))
        return .json(Self.emptyReply)
    }

    private func target(_ parameters: Parameters, step: Bool = false) throws(SimulatorError) -> ProvisioningTarget {
        ProvisioningTarget(
            deploymentID: try parameters.decoded("deployment_id"), stage: try parameters.decoded("stage"),
            attempt: try parameters.attemptNumber(), step: step ? try parameters.decoded("step") : nil)
    }

    /// The reply of all three operations: an empty object.
    private static let emptyReply = ByteBuffer(string: "{}")
}
