import Hummingbird
import Testing

@testable import Adapters

/// `RESTRoute.resolve`: which route a raw path and method reach, and the raw (still percent-encoded) parameters.
@Suite struct RESTRouteTests {
    private let step = "/v1/v1/provisioning/dep%201/status/build%2Farm/3/git-clone"

    @Test func aStepPathGivesTheStepRouteWithItsRawParameters() {
        guard case .found(let route, let parameters) = RESTRoute.resolve(method: .patch, path: step) else {
            Issue.record("not found")
            return
        }
        #expect(route.action == .provisioning(.declareStepProgress))
        #expect(
            parameters == [.deploymentID: "dep%201", .stage: "build%2Farm", .attempt: "3", .step: "git-clone"])
    }

    @Test func anAttemptPathGivesTheRouteOfItsMethod() {
        let path = "/v1/v1/provisioning/dep-1/status/build/1"
        guard case .found(let post, _) = RESTRoute.resolve(method: .post, path: path),
            case .found(let patch, _) = RESTRoute.resolve(method: .patch, path: path)
        else {
            Issue.record("not found")
            return
        }
        #expect(post.action == .provisioning(.createStageAttempt))
        #expect(patch.action == .provisioning(.declareStageProgress))
    }

    @Test func anotherMethodOnAKnownPathIs405WithTheAllowedOnes() {
        #expect(RESTRoute.resolve(method: .get, path: step) == .methodNotAllowed(RESTRoute.stepPath, allowed: [.patch]))
        #expect(
            RESTRoute.resolve(method: .delete, path: "/v1/v1/provisioning/d/status/s/1")
                == .methodNotAllowed(RESTRoute.attemptPath, allowed: [.post, .patch]))
        #expect(
            RESTRoute.resolve(method: .post, path: "/healthz")
                == .methodNotAllowed(RESTRoute.healthPath, allowed: [.get, .head]))
    }

    @Test func headFindsTheGETRouteOfItsPathAndNoOther() {
        guard case .found(let route, _) = RESTRoute.resolve(method: .head, path: "/healthz") else {
            Issue.record("not found")
            return
        }
        #expect(route.action == .health)
        #expect(
            RESTRoute.resolve(method: .head, path: step) == .methodNotAllowed(RESTRoute.stepPath, allowed: [.patch]))
    }

    @Test(arguments: [
        "", "healthz", "/", "/healthz/", "/v1/v1/provisioning/d/status/s", "/v1/v1/provisioning/d/status/s/1/x/y",
        "/v1/v1/provisioning/d/Status/s/1", "/v1/v1/provisióning/d/status/s/1", "//healthz",
    ])
    func otherPathsAreNotFound(path: String) {
        #expect(RESTRoute.resolve(method: .patch, path: path) == .notFound)
        #expect(RESTRoute.resolve(method: .get, path: path) == .notFound)
    }

    @Test func emptyAndNonASCIISegmentsAreKept() {
        guard
            case .found(_, let parameters) = RESTRoute.resolve(
                method: .patch, path: "/v1/v1/provisioning//status/é/1/ß")
        else {
            Issue.record("not found")
            return
        }
        #expect(parameters == [.deploymentID: "", .stage: "é", .attempt: "1", .step: "ß"])
        #expect(RESTRoute.resolve(method: .get, path: "/healthz") != .notFound)
        #expect(RESTRoute.resolve(method: .get, path: "/openapi.json") != .notFound)
    }
}
