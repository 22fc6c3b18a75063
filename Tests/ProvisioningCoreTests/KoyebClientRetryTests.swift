import Foundation
import Logging
import Synchronization
import Testing

@testable import ProvisioningCore

@Suite("KoyebClient on the wire: headers, retries, ambiguous POSTs, error bodies")
struct KoyebClientRetryTests {
    private let target = ProvisioningTarget(deploymentID: "dep-1", stage: "build/arm 64", attempt: 3, step: "git clone")

    private func client(
        _ server: ScriptedServer, sleeper: RecordingSleeper, policy: RetryPolicy = .standard,
        timeout: Duration = .seconds(10)
    ) -> KoyebClient {
        KoyebClient(
            configuration: KoyebClientConfiguration(
                baseURL: server.baseURL, token: APIToken("tok-123"), requestTimeout: timeout, retryPolicy: policy),
            sleeper: sleeper.sleeper)
    }

    @Test func sendsTheDocumentedHeadersAndAnEncodedPath() async throws {
        let server = try await ScriptedServer.start([])
        defer { server.stop() }
        let sleeper = RecordingSleeper()
        let client = client(server, sleeper: sleeper)
        _ = try await client.declareStepProgress(target, DeclareStepProgressRequest(secret: "x", status: .completed))
        await client.shutdown()
        let request = try #require(await server.received.first)
        #expect(request.method == "PATCH")
        #expect(request.path == "/v1/provisioning/dep-1/status/build%2Farm%2064/3/git%20clone")
        #expect(request.headers["authorization"] == "Bearer tok-123")
        #expect(request.headers["user-agent"] == "kprov/\(KprovVersion.current)")
        #expect(request.headers["content-type"] == "application/json")
        #expect(request.body == #"{"secret":"x","status":"COMPLETED"}"#)
    }

    @Test(arguments: [429, 502, 503, 504])
    func patchesAreRetriedOnTransientStatuses(status: Int) async throws {
        let server = try await ScriptedServer.start([.json(.init(code: status), #"{"code":"x","message":"busy"}"#)])
        defer { server.stop() }
        let sleeper = RecordingSleeper()
        let client = client(server, sleeper: sleeper)
        _ = try await client.declareStageProgress(target, DeclareStageProgressRequest(status: .completed))
        await client.shutdown()
        #expect(await server.received.count == 2)
        #expect(sleeper.waits.count == 1)
    }

    @Test(arguments: [400, 401, 403, 404, 500])
    func otherAnswersAreNotRetried(status: Int) async throws {
        let server = try await ScriptedServer.start([], fallback: .json(.init(code: status), #"{"code":"nope"}"#))
        defer { server.stop() }
        let sleeper = RecordingSleeper()
        let client = client(server, sleeper: sleeper)
        let error = await #expect(throws: APIError.self) {
            try await client.declareStepProgress(target, DeclareStepProgressRequest(status: .running))
        }
        await client.shutdown()
        #expect(error?.httpStatus == status)
        #expect(await server.received.count == 1)
        #expect(sleeper.waits.isEmpty)
    }

    @Test func retryAfterIsHonoured() async throws {
        let server = try await ScriptedServer.start(
            [.init(status: .tooManyRequests, body: "slow down", headers: ["Retry-After": "7"])],
            fallback: .json(.ok, #"{"deployment": {"id": "x"}}"#))
        defer { server.stop() }
        let sleeper = RecordingSleeper()
        let client = client(server, sleeper: sleeper)
        _ = try await client.deployment(id: "x")
        await client.shutdown()
        #expect(sleeper.waits == [.seconds(7)])
    }

    @Test func retriesStopAtTheAttemptBound() async throws {
        let server = try await ScriptedServer.start([], fallback: .json(.serviceUnavailable, "{}"))
        defer { server.stop() }
        let sleeper = RecordingSleeper()
        let client = client(server, sleeper: sleeper, policy: RetryPolicy(maximumAttempts: 3))
        let error = await #expect(throws: APIError.self) { try await client.deployment(id: "x") }
        await client.shutdown()
        #expect(error?.httpStatus == 503)
        #expect(await server.received.count == 3)
        #expect(sleeper.waits.count == 2)
    }

    @Test func retriesStopAtTheTotalTimeBound() async throws {
        let server = try await ScriptedServer.start(
            [], fallback: .init(status: .tooManyRequests, body: "", headers: ["Retry-After": "20"]))
        defer { server.stop() }
        let sleeper = RecordingSleeper()
        let client = client(
            server, sleeper: sleeper, policy: RetryPolicy(maximumAttempts: 10, maximumTotalDelay: .seconds(45)))
        await #expect(throws: APIError.self) { try await client.deployment(id: "x") }
        await client.shutdown()
        #expect(sleeper.waits == [.seconds(20), .seconds(20)])
    }

    @Test func aPlainTextRateLimitGivesACleanError() async throws {
        let server = try await ScriptedServer.start(
            [], fallback: .init(status: .tooManyRequests, body: "rate limited\n"))
        defer { server.stop() }
        let client = client(server, sleeper: RecordingSleeper(), policy: .none)
        let error = await #expect(throws: APIError.self) { try await client.deployment(id: "x") }
        await client.shutdown()
        #expect(error?.description == "429: too many requests — rate limited; wait and try again")
    }

    /// A refused token is named by where it came from (never by its value), so the hint points at what to fix.
    @Test func aRefusedTokenIsNamedByItsSource() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("kprov-401-\(UUID())").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        FileManager.default.createFile(
            atPath: home + "/.koyeb.yaml", contents: Data("token: FILESECRET\n".utf8),
            attributes: [.posixPermissions: 0o600])
        let refused = #"{"code": "authentication_error", "message": "invalid token"}"#
        let server = try await ScriptedServer.start([], fallback: .json(.unauthorized, refused))
        defer { server.stop() }
        let cases: [(String?, [String: String], String)] = [
            ("FLAGSECRET", ["HOME": home], "--token"),
            (nil, ["HOME": home, "KOYEB_TOKEN": "ENVSECRET"], "KOYEB_TOKEN"),
            (nil, ["HOME": home], home + "/.koyeb.yaml"),
        ]
        for (flag, environment, source) in cases {
            let settings = try ConnectionSettings.resolve(
                tokenFlag: flag, urlFlag: server.baseURL.text, environment: environment)
            let client = KoyebClient(
                configuration: KoyebClientConfiguration(baseURL: settings.baseURL, token: settings.token),
                sleeper: RecordingSleeper().sleeper)
            let error = await #expect(throws: APIError.self) { try await client.deployment(id: "x") }
            await client.shutdown()
            #expect(
                error?.description
                    == "401 authentication_error: invalid token — the token from \(source) was refused; replace it "
                    + "with a valid API token")
            #expect(error?.description.contains("SECRET") == false)
        }
    }

    @Test func anAmbiguousCreateIsCheckedBeforeBeingSentAgain() async throws {
        let existing = """
            {"deployment": {"id": "dep-1", "provisioning_info": {"stages": [{"name": "build/arm 64",
             "build_attempts": [{"id": "3", "status": "RUNNING"}]}]}}}
            """
        let server = try await ScriptedServer.start([.json(.badGateway, "{}"), .json(.ok, existing)])
        defer { server.stop() }
        let client = client(server, sleeper: RecordingSleeper())
        _ = try await client.createStageAttempt(target, CreateStageAttemptRequest(status: .running))
        await client.shutdown()
        let methods = await server.received.map(\.method)
        #expect(methods == ["POST", "GET"])
    }

    /// One-shot commands print what the default log handler lets through (info and above) on standard error:
    /// a create found after an ambiguous failure is a success, said by the command, not a log line.
    @Test func theClientLogsNothingAboveDebugWhenACreateIsFoundAfterAnAmbiguousFailure() async throws {
        let server = try await ScriptedServer.start([
            .json(.badGateway, "{}"), .json(.internalServerError, "{}"), .json(.badRequest, Self.exists),
            .json(.ok, Self.matching),
        ])
        defer { server.stop() }
        let log = LogRecorder()
        let client = KoyebClient(
            configuration: KoyebClientConfiguration(baseURL: server.baseURL, token: APIToken("tok-123")),
            logger: Logger(label: "test", factory: { _ in log }), sleeper: RecordingSleeper().sleeper)
        await #expect(throws: Never.self) {
            try await client.createStageAttempt(target, CreateStageAttemptRequest(status: .running))
        }
        await client.shutdown()
        #expect(log.levels.contains(.debug))
        #expect(log.levels.allSatisfy { $0 <= .debug }, "\(log.levels)")
    }

    @Test func anAmbiguousCreateThatDidNotLandIsSentAgain() async throws {
        let absent = #"{"deployment": {"id": "dep-1"}}"#
        let server = try await ScriptedServer.start([
            .json(.gatewayTimeout, "{}"), .json(.ok, absent), .json(.ok, "{}"),
        ])
        defer { server.stop() }
        let client = client(server, sleeper: RecordingSleeper())
        _ = try await client.createStageAttempt(target, CreateStageAttemptRequest(status: .running))
        await client.shutdown()
        #expect(await server.received.map(\.method) == ["POST", "GET", "POST"])
    }

    /// The attempt was there before this create (another status, other steps): the create did not make it, so
    /// it is sent again and Koyeb's refusal reaches the caller, as it would have without the lost reply.
    @Test func anAmbiguousCreateFindingAnotherAttemptIsSentAgainAndRefused() async throws {
        let other = """
            {"deployment": {"id": "dep-1", "provisioning_info": {"stages": [{"name": "build/arm 64",
             "build_attempts": [{"id": "3", "status": "SUCCEEDED", "steps": [{"name": "build"}]}]}]}}}
            """
        let refusal = #"{"status": 400, "code": "failed_precondition", "message": "attempt 3 already exists"}"#
        let server = try await ScriptedServer.start([
            .json(.badGateway, "{}"), .json(.ok, other), .json(.badRequest, refusal),
        ])
        defer { server.stop() }
        let client = client(server, sleeper: RecordingSleeper())
        await #expect {
            _ = try await client.createStageAttempt(target, CreateStageAttemptRequest(status: .running))
        } throws: { error in
            (error as? APIError)?.httpStatus == 400
        }
        await client.shutdown()
        #expect(await server.received.map(\.method) == ["POST", "GET", "POST"])
    }

    private static let matching = """
        {"deployment": {"id": "dep-1", "provisioning_info": {"stages": [{"name": "build/arm 64",
         "build_attempts": [{"id": "3", "status": "RUNNING"}]}]}}}
        """
    private static let exists =
        #"{"status": 400, "code": "failed_precondition", "message": "attempt 3 already exists"}"#

    /// The create landed but its reply was lost, and the GET that would have said so failed too: Koyeb's "already
    /// exists" answer to the second POST is checked with a GET, and the attempt as this create makes it is success.
    @Test func anAmbiguousCreateRefusedAsExistingIsCheckedAndTakenWhenItMatches() async throws {
        let server = try await ScriptedServer.start([
            .json(.badGateway, "{}"), .json(.internalServerError, "{}"), .json(.badRequest, Self.exists),
            .json(.ok, Self.matching),
        ])
        defer { server.stop() }
        let client = client(server, sleeper: RecordingSleeper())
        await #expect(throws: Never.self) {
            try await client.createStageAttempt(target, CreateStageAttemptRequest(status: .running))
        }
        await client.shutdown()
        #expect(await server.received.map(\.method) == ["POST", "GET", "POST", "GET"])
    }

    /// The checking GET is retried like any other GET.
    @Test func theCheckAfterAnExistingRefusalIsRetried() async throws {
        let server = try await ScriptedServer.start([
            .json(.badGateway, "{}"), .json(.internalServerError, "{}"), .json(.badRequest, Self.exists),
            .json(.serviceUnavailable, "{}"), .json(.ok, Self.matching),
        ])
        defer { server.stop() }
        let sleeper = RecordingSleeper()
        let client = client(server, sleeper: sleeper)
        await #expect(throws: Never.self) {
            try await client.createStageAttempt(target, CreateStageAttemptRequest(status: .running))
        }
        await client.shutdown()
        #expect(await server.received.map(\.method) == ["POST", "GET", "POST", "GET", "GET"])
        #expect(sleeper.waits.count == 2)
    }

    /// An attempt that differs from the create was there before it: the refusal stands.
    @Test func anAmbiguousCreateRefusedAsExistingByAnotherAttemptIsRefused() async throws {
        let other = Self.matching.replacingOccurrences(of: "RUNNING", with: "FAILED")
        let server = try await ScriptedServer.start([
            .json(.badGateway, "{}"), .json(.internalServerError, "{}"), .json(.badRequest, Self.exists),
            .json(.ok, other),
        ])
        defer { server.stop() }
        let client = client(server, sleeper: RecordingSleeper())
        let error = await #expect(throws: APIError.self) {
            try await client.createStageAttempt(target, CreateStageAttemptRequest(status: .running))
        }
        await client.shutdown()
        #expect(error?.code == "failed_precondition")
        #expect(await server.received.map(\.method) == ["POST", "GET", "POST", "GET"])
    }

    /// Without an earlier ambiguous failure, "already exists" is Koyeb's answer to this very create: no check.
    @Test func aCreateRefusedAsExistingAtOnceIsNotChecked() async throws {
        let server = try await ScriptedServer.start([.json(.badRequest, Self.exists)])
        defer { server.stop() }
        let client = client(server, sleeper: RecordingSleeper())
        await #expect(throws: APIError.self) {
            try await client.createStageAttempt(target, CreateStageAttemptRequest(status: .running))
        }
        await client.shutdown()
        #expect(await server.received.map(\.method) == ["POST"])
    }

    @Test func anAttemptMatchesTheCreateOnlyInWhatTheCreateDeclares() {
        let attempt = BuildAttempt(
            id: 3, status: .running, messages: ["go"], steps: [BuildStep(name: "clone"), BuildStep(name: "build")])
        #expect(attempt.matches(CreateStageAttemptRequest()))
        #expect(
            attempt.matches(CreateStageAttemptRequest(status: .running, messages: ["go"], steps: ["clone", "build"])))
        #expect(!attempt.matches(CreateStageAttemptRequest(status: .pending)))
        #expect(!attempt.matches(CreateStageAttemptRequest(messages: [])))
        #expect(!attempt.matches(CreateStageAttemptRequest(steps: ["build", "clone"])))
    }

    @Test func aRateLimitedCreateIsRetriedWithoutACheck() async throws {
        let server = try await ScriptedServer.start([.json(.tooManyRequests, "{}")])
        defer { server.stop() }
        let client = client(server, sleeper: RecordingSleeper())
        _ = try await client.createStageAttempt(target, CreateStageAttemptRequest(status: .running))
        await client.shutdown()
        #expect(await server.received.map(\.method) == ["POST", "POST"])
    }

    @Test func aRefusedCreateIsNeverRetried() async throws {
        let server = try await ScriptedServer.start([], fallback: .json(.badRequest, #"{"code":"invalid_argument"}"#))
        defer { server.stop() }
        let client = client(server, sleeper: RecordingSleeper())
        await #expect(throws: APIError.self) {
            try await client.createStageAttempt(target, CreateStageAttemptRequest(status: .running))
        }
        await client.shutdown()
        #expect(await server.received.count == 1)
    }

    @Test func aSlowServerIsATimeout() async throws {
        // The first reply is quick, so that the slow one comes on a connection already open: the timeout is then
        // the reply's, however long connecting takes on a busy machine.
        let server = try await ScriptedServer.start(
            [.json(.ok, "{}")], fallback: .init(status: .ok, body: "{}", delay: .seconds(5)))
        defer { server.stop() }
        let client = client(server, sleeper: RecordingSleeper(), policy: .none, timeout: .seconds(1))
        _ = try await client.declareStageProgress(target, DeclareStageProgressRequest())
        let error = await #expect(throws: APIError.self) {
            try await client.declareStageProgress(target, DeclareStageProgressRequest())
        }
        await client.shutdown()
        #expect(error?.transportFailure == .timedOut(phase: "waiting for the reply"))
    }

    @Test func aClosedPortIsUnreachable() async throws {
        let sleeper = RecordingSleeper()
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        let client = KoyebClient(
            configuration: KoyebClientConfiguration(
                baseURL: try APIBaseURL(parsing: "http://127.0.0.1:1"), token: APIToken("t"),
                retryPolicy: RetryPolicy(maximumAttempts: 2)),
            sleeper: sleeper.sleeper)
        let error = await #expect(throws: APIError.self) { try await client.deployment(id: "x") }
        await client.shutdown()
        #expect(error?.transportFailure == .unreachable(detail: "connection refused"))
        #expect(sleeper.waits.count == 1)
    }

    @Test func anUnreadableSuccessIsReportedNotCrashed() async throws {
        let server = try await ScriptedServer.start([], fallback: .json(.ok, "<html>"))
        defer { server.stop() }
        let client = client(server, sleeper: RecordingSleeper())
        let error = await #expect(throws: APIError.self) { try await client.deployment(id: "x") }
        await client.shutdown()
        #expect(error?.description.contains("could not be read") == true)
    }

    @Test func anErrorBodyIsKeptAsItCameForAdaptersToPassOn() async throws {
        let server = try await ScriptedServer.start(
            [], fallback: .json(.notFound, #"{"code": 5, "message": "gone", "request_id": "r-1"}"#))
        defer { server.stop() }
        let client = client(server, sleeper: RecordingSleeper())
        let error = await #expect(throws: APIError.self) { try await client.deployment(id: "x") }
        await client.shutdown()
        #expect(error?.originalBody?["request_id"] == .string("r-1"))
        #expect(error?.originalBody?["code"] == .number(5))
        #expect(error?.code == "5")
    }
}
