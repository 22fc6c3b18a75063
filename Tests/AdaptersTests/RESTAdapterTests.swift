import Adapters
import Foundation
import KoyebSimulator
import ProvisioningCore
import Testing

/// The REST adapter end to end against the simulator: each route forwards, the simulator's state changes, and
/// Koyeb's answers come back as they were.
@Suite("REST adapter against the simulator")
struct RESTAdapterTests {
    typealias H = AdapterHarness

    @Test func eachRouteForwardsAndChangesTheSimulatorsState() async throws {
        try await H.withSimulator { simulator in
            try await H.withREST(upstream: simulator.baseURL) { rest in
                let created = try await TestHTTP.send(
                    .POST, rest + H.restPath(),
                    json: """
                        {"secret": "\(H.secret)", "status": "RUNNING", "started_at": "2026-05-19T10:00:00Z",
                         "steps": ["git-clone", "build"], "messages": ["starting"]}
                        """)
                #expect(created.status == 200)
                #expect(created.json == .object([:]))
                var attempt = try #require(await simulator.attempt("build", 1))
                #expect(attempt.status == .running)
                #expect(attempt.steps.map(\.name) == ["git-clone", "build"])

                let step = try await TestHTTP.send(
                    .PATCH, rest + H.restPath(step: "git-clone"),
                    json: #"{"secret": "\#(H.secret)", "status": "COMPLETED", "messages": ["cloned"]}"#)
                #expect(step.status == 200)
                attempt = try #require(await simulator.attempt("build", 1))
                #expect(attempt.step(named: "git-clone")?.status == .completed)
                #expect(attempt.step(named: "git-clone")?.messages == ["cloned"])

                let stage = try await TestHTTP.send(
                    .PATCH, rest + H.restPath(),
                    json: #"{"secret": "\#(H.secret)", "status": "FAILED", "retryable_failure": true}"#)
                #expect(stage.status == 200)
                attempt = try #require(await simulator.attempt("build", 1))
                #expect(attempt.status == .failed)
                #expect(attempt.retryableFailure == true)
            }
        }
    }

    @Test func aStageNameWithSlashAndSpaceReachesKoyebAsOneSegment() async throws {
        try await H.withSimulator { simulator in
            try await H.withREST(upstream: simulator.baseURL) { rest in
                let path = H.restPath("build/arm 64", attempt: "3")
                #expect(path.contains("build%2Farm%2064"))
                let reply = try await TestHTTP.send(
                    .POST, rest + path, json: #"{"secret": "\#(H.secret)", "status": "PENDING"}"#)
                #expect(reply.status == 200, "\(reply.text)")
                #expect(await simulator.attempt("build/arm 64", 3)?.status == .pending)
            }
        }
    }

    @Test func koyebsErrorsPassThroughWithTheirStatusAndBody() async throws {
        try await H.withSimulator { simulator in
            try await H.withREST(upstream: simulator.baseURL) { rest in
                let cases: [(path: String, body: String)] = [
                    (H.restPath(step: "no-such-step"), #"{"secret": "\#(H.secret)", "status": "RUNNING"}"#),
                    (H.restPath(deployment: "no-such-deployment"), #"{"status": "RUNNING"}"#),
                    (H.restPath(), #"{"secret": "wrong", "status": "RUNNING"}"#),
                ]
                for (path, body) in cases {
                    let direct = try await TestHTTP.send(
                        .PATCH, simulator.baseURL + path.replacingOccurrences(of: "/v1/v1/", with: "/v1/"), json: body,
                        headers: [("Authorization", "Bearer \(H.upstreamToken)")])
                    let adapted = try await TestHTTP.send(.PATCH, rest + path, json: body)
                    #expect(direct.status >= 400)
                    #expect(adapted.status == direct.status, "\(path)")
                    #expect(adapted.json == direct.json, "\(adapted.text) vs \(direct.text)")
                    #expect(adapted.headers.first(name: "Content-Type") == "application/json")
                }
            }
        }
    }

    @Test func healthAndOpenAPIDocumentAreServedAndHEADAnswersLikeGET() async throws {
        try await FakeUpstream.run { upstream, recorder in
            try await H.withREST(upstream: upstream) { rest in
                let health = try await TestHTTP.send(.GET, rest + "/healthz")
                #expect(health.status == 200)
                #expect(health.json == .object(["status": .string("ok")]))
                let head = try await TestHTTP.send(.HEAD, rest + "/healthz")
                #expect(head.status == 200)
                #expect(head.body.isEmpty)
                #expect(head.headers.first(name: "Content-Length") == health.headers.first(name: "Content-Length"))

                let document = try await TestHTTP.send(.GET, rest + "/openapi.json")
                #expect(document.status == 200)
                #expect(document.json["openapi"]?.stringValue?.hasPrefix("3.") == true)
                let paths = try #require(document.json["paths"])
                let operationIDs = ["createstageattempt", "declarestageprogress", "declarestepprogress"]
                let attemptPath = "/v1/v1/provisioning/{deployment-id}/status/{stage}/{attempt}"
                #expect(paths[attemptPath]?["post"]?["operationId"]?.stringValue == operationIDs[0])
                #expect(paths[attemptPath]?["patch"]?["operationId"]?.stringValue == operationIDs[1])
                #expect(paths[attemptPath + "/{step}"]?["patch"]?["operationId"]?.stringValue == operationIDs[2])
                #expect(await recorder.requests.isEmpty)
            }
        }
    }
}

extension SimulatorServer {
    /// The attempt `id` of stage `stage` of the test deployment, as the simulator holds it now.
    func attempt(_ stage: String, _ id: Int64) async -> BuildAttempt? {
        await store.deployment(id: AdapterHarness.deploymentID)?.provisioningInfo?.stage(named: stage)?.attempt(id: id)
    }
}
