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
            let target = try target(context.parameters)
            try await store.createStageAttempt(target, try await bodyReader.decode(CreateStageAttemptRequest.self, from: request))
            return Response.json(Self.emptyReply)
        }
        router.patch(Self.attemptPath) { request, context in
            let target = try target(context.parameters)
            try await store.declareStageProgress(target, try await bodyReader.decode(DeclareStageProgressRequest.self, from: request))
            return Response.json(Self.emptyReply)
        }
        router.patch(Self.stepPath) { request, context in
            let target = try target(context.parameters, step: true)
            try await store.declareStepProgress(target, try await bodyReader.decode(DeclareStepProgressRequest.self, from: request))
            return Response.json(Self.emptyReply)
        }
    }

    private func target(_ parameters: Parameters, step: Bool = false) throws(SimulatorError) -> ProvisioningTarget {
        ProvisioningTarget(
            deploymentID: try parameters.decoded("deployment_id"), stage: try parameters.decoded("stage"),
            attempt: try parameters.attemptNumber(), step: step ? try parameters.decoded("step") : nil)
    }

    /// The reply of all three operations: an empty object.
    private static let emptyReply = ByteBuffer(string: "{}")
}
