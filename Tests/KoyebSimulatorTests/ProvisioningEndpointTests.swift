import Foundation
import KoyebSimulator
import ProvisioningCore
import Testing

/// The three provisioning operations and the simulator's rules, through real HTTP.
@Suite struct ProvisioningEndpointTests {
    private let attempt1 = ProvisioningTarget(deploymentID: "dep-1", stage: "build", attempt: 1)
    private let start = Date(timeIntervalSince1970: 1_800_000_100)

    private func step(_ name: String, attempt: Int64 = 1) -> ProvisioningTarget {
        ProvisioningTarget(deploymentID: "dep-1", stage: "build", attempt: attempt, step: name)
    }

    /// Creates attempt `id` RUNNING with steps git-clone and build.
    private func createAttempt(_ harness: SimulatorHarness, id: Int64 = 1) async throws {
        _ = try await harness.client.createStageAttempt(
            ProvisioningTarget(deploymentID: "dep-1", stage: "build", attempt: id),
            CreateStageAttemptRequest(status: .running, startedAt: start, steps: ["git-clone", "build"]))
    }

    private func expectRefusal(
        status: Int, code: String, field: String? = nil, sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () async throws -> Void
    ) async {
        let error = await #expect(throws: APIError.self, sourceLocation: sourceLocation) { try await body() }
        #expect(error?.httpStatus == status, sourceLocation: sourceLocation)
        #expect(error?.code == code, sourceLocation: sourceLocation)
        if let field { #expect(error?.fieldErrors.map(\.field) == [field], sourceLocation: sourceLocation) }
    }

    // MARK: - The three operations

    @Test func creatingAnAttemptCreatesItsStageAndAnswersAnEmptyObject() async throws {
        try await SimulatorHarness.with { harness in
            try await harness.insertDeployment()
            let answer = try await harness.send(
                .POST, "/v1/provisioning/dep-1/status/build/1",
                body:
                    #"{"status":"RUNNING","started_at":"2027-01-15T08:00:00.5Z","steps":["git-clone","build"],"#
                    + #""messages":["queued"]}"#
            )
            #expect(answer.status == 200)
            #expect(String(decoding: answer.body, as: UTF8.self) == "{}")

            let deployment = try await harness.deployment()
            let stage = try #require(deployment.provisioningInfo?.stage(named: "build"))
            let attempt = try #require(stage.attempt(id: 1))
            #expect(attempt.status == .running)
            #expect(attempt.messages == ["queued"])
            #expect(attempt.startedAt == RFC3339.parse("2027-01-15T08:00:00.5Z"))
            #expect(attempt.steps.map(\.name) == ["git-clone", "build"])
            #expect(attempt.steps.map(\.status) == [.pending, .pending])
            #expect(stage.status == .running)
            #expect(deployment.status == .provisioning)
        }
    }

    @Test func aStageNameWithASlashAndASpaceRoundTrips() async throws {
        try await SimulatorHarness.with { harness in
            try await harness.insertDeployment()
            let stage = ProvisioningTarget(deploymentID: "dep-1", stage: "build/arm 64", attempt: 7)
            _ = try await harness.client.createStageAttempt(stage, CreateStageAttemptRequest(steps: ["my step/1"]))
            _ = try await harness.client.declareStepProgress(
                ProvisioningTarget(deploymentID: "dep-1", stage: "build/arm 64", attempt: 7, step: "my step/1"),
                DeclareStepProgressRequest(status: .running))
            let raw = try await harness.send(
                .PATCH, "/v1/provisioning/dep-1/status/build%2Farm%2064/7", body: #"{"status":"RUNNING"}"#)
            #expect(raw.status == 200)

            let info = try #require(try await harness.deployment().provisioningInfo)
            #expect(info.stages.map(\.name) == ["build/arm 64"])
            #expect(info.stages.first?.attempt(id: 7)?.step(named: "my step/1")?.status == .running)
            #expect(info.stages.first?.attempt(id: 7)?.status == .running)
        }
    }

    @Test func aBuilderRunThroughMovesTheDeploymentFromPendingToScheduled() async throws {
        let configuration = SimulatorConfiguration(speed: 0.001)
        try await SimulatorHarness.with(configuration) { harness in
            try await harness.insertDeployment()
            #expect(try await harness.deployment().status == .pending)
            try await createAttempt(harness)
            #expect(try await harness.deployment().status == .provisioning)
            for name in ["git-clone", "build"] {
                _ = try await harness.client.declareStepProgress(
                    step(name), DeclareStepProgressRequest(status: .running, messages: ["\(name) started"]))
                _ = try await harness.client.declareStepProgress(
                    step(name), DeclareStepProgressRequest(status: .completed, messages: ["\(name) done"]))
            }
            #expect(try await harness.deployment().status == .provisioning)
            _ = try await harness.client.declareStageProgress(
                attempt1, DeclareStageProgressRequest(status: .completed, imagePushed: true))

            let deployment = try await harness.deployment()
            #expect(deployment.status == .scheduled)
            let attempt = try #require(deployment.provisioningInfo?.stage(named: "build")?.attempt(id: 1))
            #expect(attempt.status == .completed)
            #expect(attempt.imagePushed == true)
            #expect(attempt.finishedAt != nil)
            #expect(attempt.steps.map(\.messages) == [["git-clone done"], ["build done"]])
            #expect(attempt.steps.allSatisfy { $0.startedAt != nil && $0.finishedAt != nil })
            #expect(deployment.provisioningInfo?.stage(named: "build")?.status == .completed)
        }
    }

    @Test func aCompletedBuildRollsOutToHealthy() async throws {
        try await SimulatorHarness.with(SimulatorConfiguration(speed: 200)) { harness in
            try await harness.insertDeployment()
            try await createAttempt(harness)
            _ = try await harness.client.declareStageProgress(attempt1, DeclareStageProgressRequest(status: .completed))
            let healthy = try await eventually { try await harness.deployment().status == .healthy }
            #expect(healthy)
            let deployment = try await harness.deployment()
            #expect(deployment.allocatedAt != nil && deployment.startedAt != nil && deployment.succeededAt != nil)
            #expect(deployment.messages == ["Deployment is healthy"])
        }
    }

    @Test func aNewHealthyDeploymentStopsItsServicesPreviousOne() async throws {
        try await SimulatorHarness.with(SimulatorConfiguration(speed: 200)) { harness in
            try await harness.insertDeployment(id: "old", status: .healthy)
            try await harness.insertDeployment(id: "other-service", serviceID: "svc-2", status: .healthy)
            try await harness.insertDeployment()
            try await createAttempt(harness)
            _ = try await harness.client.declareStageProgress(attempt1, DeclareStageProgressRequest(status: .completed))
            #expect(try await eventually { try await harness.deployment().status == .healthy })
            let old = try await harness.deployment("old")
            #expect(old.status == .stopped)
            #expect(old.terminatedAt != nil)
            #expect(try await harness.deployment("other-service").status == .healthy)
        }
    }

    @Test func aFailedAttemptMakesTheDeploymentErrorAndARetryBringsItBack() async throws {
        try await SimulatorHarness.with(SimulatorConfiguration(speed: 0.001)) { harness in
            try await harness.insertDeployment()
            try await createAttempt(harness)
            _ = try await harness.client.declareStepProgress(
                step("build"), DeclareStepProgressRequest(status: .failed, messages: ["npm ERR! code ELIFECYCLE"]))
            _ = try await harness.client.declareStageProgress(
                attempt1,
                DeclareStageProgressRequest(
                    status: .failed, messages: ["build failed"], internalFailure: false, retryableFailure: true))
            var deployment = try await harness.deployment()
            #expect(deployment.status == .error)
            #expect(deployment.terminatedAt != nil)
            #expect(deployment.messages == ["Build failed", "build failed"])
            let failed = try #require(deployment.provisioningInfo?.stage(named: "build")?.attempt(id: 1))
            #expect(failed.retryableFailure == true && failed.internalFailure == false)

            try await createAttempt(harness, id: 2)
            deployment = try await harness.deployment()
            #expect(deployment.status == .provisioning)
            let stage = try #require(deployment.provisioningInfo?.stage(named: "build"))
            #expect(stage.buildAttempts.map(\.id) == [1, 2])
            #expect(stage.status == .running)
            #expect(stage.startedAt == start)
            #expect(stage.finishedAt == nil)
        }
    }

    @Test func missingTimesAreFilledInAndAbsentStatusKeepsTheCurrentOne() async throws {
        try await SimulatorHarness.with { harness in
            try await harness.insertDeployment()
            _ = try await harness.client.createStageAttempt(attempt1, CreateStageAttemptRequest(steps: ["build"]))
            var attempt = try #require(try await harness.deployment().provisioningInfo?.stages.first?.attempt(id: 1))
            #expect(attempt.status == .pending)
            #expect(attempt.startedAt == nil)

            _ = try await harness.client.declareStepProgress(
                step("build"), DeclareStepProgressRequest(status: .running))
            _ = try await harness.client.declareStepProgress(
                step("build"), DeclareStepProgressRequest(status: .unknown, messages: ["still going"]))
            attempt = try #require(try await harness.deployment().provisioningInfo?.stages.first?.attempt(id: 1))
            let build = try #require(attempt.step(named: "build"))
            #expect(build.status == .running)
            #expect(build.startedAt != nil)
            #expect(build.messages == ["still going"])

            _ = try await harness.client.declareStageProgress(attempt1, DeclareStageProgressRequest(status: .aborted))
            attempt = try #require(try await harness.deployment().provisioningInfo?.stages.first?.attempt(id: 1))
            #expect(attempt.finishedAt != nil)
        }
    }

    // MARK: - Rules

    @Test func anAttemptIDAlreadyUsedForTheStageIsRefused() async throws {
        try await SimulatorHarness.with { harness in
            try await harness.insertDeployment()
            try await createAttempt(harness)
            await expectRefusal(status: 400, code: "failed_precondition", field: "attempt") {
                try await createAttempt(harness)
            }
            _ = try await harness.client.createStageAttempt(
                ProvisioningTarget(deploymentID: "dep-1", stage: "deploy", attempt: 1), CreateStageAttemptRequest())
            #expect(try await harness.deployment().provisioningInfo?.stages.map(\.name) == ["build", "deploy"])
        }
    }

    @Test func unknownDeploymentStageAttemptAndStepAre404() async throws {
        try await SimulatorHarness.with { harness in
            try await harness.insertDeployment()
            try await createAttempt(harness)
            await expectRefusal(status: 404, code: "unknown_resource") {
                _ = try await harness.client.createStageAttempt(
                    ProvisioningTarget(deploymentID: "ghost", stage: "build", attempt: 1), CreateStageAttemptRequest())
            }
            await expectRefusal(status: 404, code: "unknown_resource") {
                _ = try await harness.client.declareStageProgress(
                    ProvisioningTarget(deploymentID: "dep-1", stage: "deploy", attempt: 1),
                    DeclareStageProgressRequest(status: .running))
            }
            await expectRefusal(status: 404, code: "unknown_resource") {
                _ = try await harness.client.declareStageProgress(
                    ProvisioningTarget(deploymentID: "dep-1", stage: "build", attempt: 2),
                    DeclareStageProgressRequest(status: .running))
            }
            await expectRefusal(status: 404, code: "unknown_resource") {
                _ = try await harness.client.declareStepProgress(
                    step("build", attempt: 2), DeclareStepProgressRequest(status: .running))
            }
        }
    }

    @Test func aStepMustBeOneTheAttemptDeclared() async throws {
        try await SimulatorHarness.with { harness in
            try await harness.insertDeployment()
            try await createAttempt(harness)
            let error = await #expect(throws: APIError.self) {
                _ = try await harness.client.declareStepProgress(
                    step("export"), DeclareStepProgressRequest(status: .running))
            }
            #expect(error?.httpStatus == 404)
            #expect(error?.body?.message?.contains("git-clone, build") == true)
        }
    }

    @Test(arguments: [ProvisioningStatus.completed, .failed, .aborted])
    func aFinishedItemNeverGoesBackToRunning(finalStatus: ProvisioningStatus) async throws {
        try await SimulatorHarness.with { harness in
            try await harness.insertDeployment()
            try await createAttempt(harness)
            _ = try await harness.client.declareStepProgress(
                step("git-clone"), DeclareStepProgressRequest(status: finalStatus))
            await expectRefusal(status: 400, code: "failed_precondition", field: "status") {
                _ = try await harness.client.declareStepProgress(
                    step("git-clone"), DeclareStepProgressRequest(status: .running))
            }
            _ = try await harness.client.declareStageProgress(
                attempt1, DeclareStageProgressRequest(status: finalStatus))
            let error = await #expect(throws: APIError.self) {
                _ = try await harness.client.declareStageProgress(
                    attempt1, DeclareStageProgressRequest(status: .running))
            }
            #expect(error?.httpStatus == 400)
            #expect(error?.body?.message?.contains("already \(finalStatus.rawValue)") == true)
            #expect(error?.body?.message?.contains("new attempt") == true)
            #expect(
                try await harness.deployment().provisioningInfo?.stages.first?.attempt(id: 1)?.status == finalStatus)
        }
    }

    @Test func statusesNeverMoveBackwardsNorBetweenFinalStates() async throws {
        try await SimulatorHarness.with { harness in
            try await harness.insertDeployment()
            try await createAttempt(harness)
            await expectRefusal(status: 400, code: "failed_precondition", field: "status") {
                _ = try await harness.client.declareStageProgress(
                    attempt1, DeclareStageProgressRequest(status: .pending))
            }
            _ = try await harness.client.declareStageProgress(attempt1, DeclareStageProgressRequest(status: .completed))
            await expectRefusal(status: 400, code: "failed_precondition", field: "status") {
                _ = try await harness.client.declareStageProgress(
                    attempt1, DeclareStageProgressRequest(status: .failed))
            }
        }
    }

    @Test func redeclaringTheCurrentStateSucceedsAndChangesNothing() async throws {
        try await SimulatorHarness.with { harness in
            try await harness.insertDeployment()
            try await createAttempt(harness)
            let finished = DeclareStepProgressRequest(
                status: .completed, finishedAt: start.addingTimeInterval(5), messages: ["done"])
            _ = try await harness.client.declareStepProgress(step("git-clone"), finished)
            let before = try await harness.deployment()
            _ = try await harness.client.declareStepProgress(step("git-clone"), finished)
            #expect(try await harness.deployment() == before)
            let statistics = await harness.store.statistics
            #expect(statistics.attemptsCreated == 1)
            #expect(statistics.stepDeclarations == 1)
            #expect(statistics.unchangedDeclarations == 1)
        }
    }

    @Test func aStepCannotStartOnceItsAttemptFinished() async throws {
        try await SimulatorHarness.with { harness in
            try await harness.insertDeployment()
            try await createAttempt(harness)
            _ = try await harness.client.declareStageProgress(attempt1, DeclareStageProgressRequest(status: .failed))
            await expectRefusal(status: 400, code: "failed_precondition", field: "status") {
                _ = try await harness.client.declareStepProgress(
                    step("build"), DeclareStepProgressRequest(status: .running))
            }
            _ = try await harness.client.declareStepProgress(
                step("build"), DeclareStepProgressRequest(status: .aborted))
        }
    }

    @Test func finishedAtBeforeStartedAtIsRefused() async throws {
        try await SimulatorHarness.with { harness in
            try await harness.insertDeployment()
            try await createAttempt(harness)
            await expectRefusal(status: 400, code: "invalid_argument", field: "finished_at") {
                _ = try await harness.client.declareStageProgress(
                    attempt1, DeclareStageProgressRequest(status: .completed, finishedAt: start.addingTimeInterval(-1)))
            }
            await expectRefusal(status: 400, code: "invalid_argument", field: "finished_at") {
                _ = try await harness.client.declareStepProgress(
                    step("build"),
                    DeclareStepProgressRequest(
                        status: .completed, startedAt: start, finishedAt: start.addingTimeInterval(-0.5)))
            }
            #expect(try await harness.deployment().provisioningInfo?.stages.first?.attempt(id: 1)?.status == .running)
        }
    }

    @Test func aFinishTimeNeedsAFinalStatus() async throws {
        try await SimulatorHarness.with { harness in
            try await harness.insertDeployment()
            try await createAttempt(harness)
            await expectRefusal(status: 400, code: "invalid_argument", field: "finished_at") {
                _ = try await harness.client.declareStepProgress(
                    step("build"), DeclareStepProgressRequest(status: .running, finishedAt: start.addingTimeInterval(9))
                )
            }
        }
    }

    @Test func plannedStepsMustBeNamedOnce() async throws {
        try await SimulatorHarness.with { harness in
            try await harness.insertDeployment()
            await expectRefusal(status: 400, code: "invalid_argument", field: "steps") {
                _ = try await harness.client.createStageAttempt(
                    attempt1, CreateStageAttemptRequest(steps: ["build", "build"]))
            }
            await expectRefusal(status: 400, code: "invalid_argument", field: "steps") {
                _ = try await harness.client.createStageAttempt(attempt1, CreateStageAttemptRequest(steps: [""]))
            }
            #expect(try await harness.deployment().provisioningInfo?.stages.isEmpty == true)
        }
    }

    // MARK: - Provisioning secret

    @Test func aDeploymentWithASecretRefusesAMissingOrWrongOne() async throws {
        try await SimulatorHarness.with { harness in
            try await harness.insertDeployment(secret: "s3cr3t-value")
            for secret in [nil, "wrong", ""] as [String?] {
                let error = await #expect(throws: APIError.self) {
                    _ = try await harness.client.createStageAttempt(attempt1, CreateStageAttemptRequest(secret: secret))
                }
                #expect(error?.httpStatus == 403)
                #expect(error?.code == "authorization_error")
                #expect(error?.description.contains("s3cr3t-value") == false)
            }
            _ = try await harness.client.createStageAttempt(
                attempt1, CreateStageAttemptRequest(secret: "s3cr3t-value", steps: ["build"]))
            await expectRefusal(status: 403, code: "authorization_error") {
                _ = try await harness.client.declareStepProgress(
                    step("build"), DeclareStepProgressRequest(status: .running))
            }
            _ = try await harness.client.declareStepProgress(
                step("build"), DeclareStepProgressRequest(secret: "s3cr3t-value", status: .running))
            await expectRefusal(status: 403, code: "authorization_error") {
                _ = try await harness.client.declareStageProgress(
                    attempt1, DeclareStageProgressRequest(secret: "nope", status: .completed))
            }
        }
    }

    @Test func generatedDeploymentsRequireTheConfiguredSecret() async throws {
        let configuration = SimulatorConfiguration(deploymentCount: 3, seed: 11, provisioningSecret: "fleet-secret")
        try await SimulatorHarness.with(configuration) { harness in
            let id = try #require(await harness.store.deployments().first?.id)
            let target = ProvisioningTarget(deploymentID: id, stage: "extra", attempt: 1)
            await expectRefusal(status: 403, code: "authorization_error") {
                _ = try await harness.client.createStageAttempt(target, CreateStageAttemptRequest())
            }
            _ = try await harness.client.createStageAttempt(target, CreateStageAttemptRequest(secret: "fleet-secret"))
        }
    }

    // MARK: - Bad bodies and paths

    @Test(arguments: [
        (#"{"status":"DONE"}"#, "status"),
        (#"{"status":3}"#, "status"),
        (#"{"started_at":"yesterday"}"#, "started_at"),
        (#"{"started_at":"2027-13-01T00:00:00Z"}"#, "started_at"),
        (#"{"started_at":1700000000}"#, "started_at"),
        (#"{"steps":"git-clone"}"#, "steps"),
        (#"{"steps":["git-clone",4]}"#, "steps[1]"),
        (#"{"messages":[null]}"#, "messages[0]"),
        (#"{"secret":false}"#, "secret"),
        (#"{"status":"RUNNING""#, "body"),
        (#"not json"#, "body"),
        (#"["RUNNING"]"#, "body"),
        ("", "body"),
    ])
    func aBadCreateBodyIs400NamingTheField(body: String, field: String) async throws {
        try await SimulatorHarness.with { harness in
            try await harness.insertDeployment()
            let answer = try await harness.send(.POST, "/v1/provisioning/dep-1/status/build/1", body: body)
            #expect(answer.status == 400)
            let error = try answer.errorBody()
            #expect(error.code == "invalid_argument")
            #expect(error.fields.map(\.field) == [field])
            #expect(try await harness.deployment().provisioningInfo?.stages.isEmpty == true)
        }
    }

    @Test func malformedDatesInThePatchesNameTheirField() async throws {
        try await SimulatorHarness.with { harness in
            try await harness.insertDeployment()
            try await createAttempt(harness)
            let stage = try await harness.send(
                .PATCH, "/v1/provisioning/dep-1/status/build/1", body: #"{"finished_at":"2027-01-01"}"#)
            #expect(try stage.errorBody().fields.map(\.field) == ["finished_at"])
            let step = try await harness.send(
                .PATCH, "/v1/provisioning/dep-1/status/build/1/build", body: #"{"started_at":"soon"}"#)
            #expect(try step.errorBody().fields.map(\.field) == ["started_at"])
            let flag = try await harness.send(
                .PATCH, "/v1/provisioning/dep-1/status/build/1", body: #"{"image_pushed":"yes"}"#)
            #expect(try flag.errorBody().fields.map(\.field) == ["image_pushed"])
        }
    }

    @Test func unknownFieldsAreIgnored() async throws {
        try await SimulatorHarness.with { harness in
            try await harness.insertDeployment()
            let answer = try await harness.send(
                .POST, "/v1/provisioning/dep-1/status/build/1",
                body: #"{"status":"RUNNING","steps":["build"],"colour":"blue","nested":{"deep":[1,2,3]}}"#)
            #expect(answer.status == 200)
            #expect(try await harness.deployment().provisioningInfo?.stages.first?.attempt(id: 1)?.status == .running)
        }
    }

    @Test(arguments: ["one", "-1", "1.5", "99999999999999999999"])
    func anAttemptThatIsNotANumberIs400(attempt: String) async throws {
        try await SimulatorHarness.with { harness in
            try await harness.insertDeployment()
            let answer = try await harness.send(.POST, "/v1/provisioning/dep-1/status/build/\(attempt)", body: "{}")
            #expect(answer.status == 400)
            #expect(try answer.errorBody().fields.map(\.field) == ["attempt"])
        }
    }

    @Test func aBrokenPercentEncodingIs400() async throws {
        try await SimulatorHarness.with { harness in
            try await harness.insertDeployment()
            let reply = try await RawHTTP.exchange(
                port: harness.server.port,
                RawHTTP.request(
                    "POST", "/v1/provisioning/dep-1/status/b%FFuild/1", body: "{}",
                    token: SimulatorConfiguration.developmentToken))
            #expect(reply.hasPrefix("HTTP/1.1 400"))
            #expect(reply.contains(#""field":"stage""#))
        }
    }

    @Test func provisioningNeedsAToken() async throws {
        try await SimulatorHarness.with { harness in
            try await harness.insertDeployment()
            let answer = try await harness.send(.POST, "/v1/provisioning/dep-1/status/build/1", body: "{}", token: nil)
            #expect(answer.status == 401)
            #expect(try await harness.deployment().provisioningInfo?.stages.isEmpty == true)
        }
    }
}
