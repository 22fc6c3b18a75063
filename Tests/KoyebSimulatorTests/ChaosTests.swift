import Foundation
import ProvisioningCore
import Testing

@testable import KoyebSimulator

/// `--chaos`: parsing, and each fault injected deterministically for a seed.
@Suite struct ChaosTests {
    private let token = SimulatorConfiguration.developmentToken

    // MARK: - Parsing

    @Test func theDocumentedExampleParses() throws {
        let chaos = try ChaosConfiguration(
            parsing: "latency=200ms,jitter=100ms,error-rate=0.2,rate-limit=5/s,drop=0.05")
        #expect(chaos.latency == .milliseconds(200))
        #expect(chaos.jitter == .milliseconds(100))
        #expect(chaos.errorRate == 0.2)
        #expect(chaos.rateLimit == 5)
        #expect(chaos.dropRate == 0.05)
        #expect(chaos.isEnabled)
        #expect(try ChaosConfiguration(parsing: "latency=1.5s").latency == .milliseconds(1500))
        #expect(try ChaosConfiguration(parsing: "") == .none)
        #expect(!ChaosConfiguration.none.isEnabled)
    }

    @Test(arguments: [
        ("speed=3", "unknown key \"speed\""), ("latency=fast", "latency=fast"), ("latency=61s", "latency=61s"),
        ("jitter=-5ms", "jitter=-5ms"), ("error-rate=2", "error-rate=2"), ("drop=lots", "drop=lots"),
        ("rate-limit=5", "rate-limit=5"), ("rate-limit=0/s", "rate-limit=0/s"), ("drop", "\"drop\" is not key=value"),
    ])
    func aBadChaosTextNamesTheProblemAndTheAllowedKeys(text: String, named: String) {
        let error = #expect(throws: ChaosConfiguration.ParseError.self) { try ChaosConfiguration(parsing: text) }
        let message = error?.description ?? ""
        #expect(message.contains(named))
        #expect(message.contains("allowed"))
        #expect(!message.contains("\n"))
    }

    // MARK: - Determinism

    /// What happened to each of `count` requests, one after the other: the status code, or `drop`.
    private func outcomes(seed: UInt64, chaos: String, count: Int = 40) async throws -> [String] {
        let configuration = SimulatorConfiguration(seed: seed, chaos: try ChaosConfiguration(parsing: chaos))
        return try await SimulatorHarness.with(configuration) { harness in
            var outcomes: [String] = []
            for _ in 0..<count {
                let reply = try await RawHTTP.exchange(
                    port: harness.server.port, RawHTTP.request("GET", "/v1/deployments", token: token))
                outcomes.append(reply.isEmpty ? "drop" : String(reply.dropFirst(9).prefix(3)))
            }
            return outcomes
        }
    }

    @Test func faultsRepeatForTheSameSeedAndDifferForAnother() async throws {
        let chaos = "error-rate=0.3,drop=0.2"
        let first = try await outcomes(seed: 42, chaos: chaos)
        #expect(try await outcomes(seed: 42, chaos: chaos) == first)
        #expect(try await outcomes(seed: 43, chaos: chaos) != first)
        #expect(Set(first).isSuperset(of: ["200", "drop"]))
        #expect(first.contains("500") || first.contains("503"))
    }

    @Test func theEngineDrawsTheSameDecisionsForTheSameSeed() async {
        let chaos = ChaosConfiguration(jitter: .milliseconds(100), errorRate: 0.2, dropRate: 0.1)
        let one = ChaosEngine(configuration: chaos, seed: 5)
        let two = ChaosEngine(configuration: chaos, seed: 5)
        var first: [ChaosDecision] = []
        var second: [ChaosDecision] = []
        for _ in 0..<200 {
            first.append(await one.decide())
            second.append(await two.decide())
        }
        #expect(first == second)
        #expect(Set(first.map(\.delay)).count > 100)
        #expect(first.allSatisfy { $0.delay >= .zero && $0.delay <= .milliseconds(100) })
    }

    // MARK: - Each fault

    @Test func serverErrorsAreKoyebErrorBodies() async throws {
        let configuration = SimulatorConfiguration(seed: 1, chaos: ChaosConfiguration(errorRate: 1))
        try await SimulatorHarness.with(configuration) { harness in
            var statuses = Set<Int>()
            for _ in 0..<20 {
                let answer = try await harness.send(.GET, "/v1/deployments")
                statuses.insert(answer.status)
                #expect(try answer.errorBody().code == "api_error")
            }
            #expect(statuses == [500, 503])
        }
    }

    @Test func rateLimitingAnswers429WithRetryAfterInJSONOrPlainText() async throws {
        let configuration = SimulatorConfiguration(seed: 3, chaos: ChaosConfiguration(rateLimit: 0.2))
        try await SimulatorHarness.with(configuration) { harness in
            var answers: [SimulatorHarness.Answer] = []
            for _ in 0..<12 { answers.append(try await harness.send(.GET, "/v1/deployments")) }
            #expect(answers.map(\.status) == [200] + Array(repeating: 429, count: 11))
            let limited = answers.filter { $0.status == 429 }
            #expect(limited.allSatisfy { (1...5).contains(Int($0.headers["retry-after"] ?? "") ?? 0) }, "\(limited)")
            let json = limited.filter { $0.headers["content-type"] == "application/json" }
            #expect(json.allSatisfy { (try? $0.errorBody().code) == "rate_limit_error" })
            let plain = limited.filter { $0.headers["content-type"]?.hasPrefix("text/plain") == true }
            #expect(!json.isEmpty && !plain.isEmpty)

            let error = await #expect(throws: APIError.self) { try await harness.client.deployment(id: "x") }
            #expect(error?.httpStatus == 429)
            #expect((error?.retryAfterSeconds ?? 0) >= 1)
        }
    }

    @Test func latencyDelaysEveryAnswer() async throws {
        let configuration = SimulatorConfiguration(chaos: ChaosConfiguration(latency: .milliseconds(150)))
        try await SimulatorHarness.with(configuration) { harness in
            let started = ContinuousClock.now
            let answer = try await harness.send(.GET, "/v1/deployments")
            #expect(answer.status == 200)
            #expect(ContinuousClock.now - started >= .milliseconds(150))
        }
    }

    @Test func aDroppedConnectionIsATransportFailureForTheClient() async throws {
        let configuration = SimulatorConfiguration(seed: 2, chaos: ChaosConfiguration(dropRate: 1))
        try await SimulatorHarness.with(configuration) { harness in
            let error = await #expect(throws: APIError.self) { try await harness.client.deployment(id: "x") }
            #expect(error?.isTransportFailure == true)
        }
    }

    @Test func someDropsHappenAfterTheChangeWasMadeExactlyAsTheSeedSays() async throws {
        let chaos = ChaosConfiguration(dropRate: 1)
        let predictor = ChaosEngine(configuration: chaos, seed: 9)
        var expected: [Int64] = []
        for attempt in Int64(1)...16 {
            if case .drop(afterHandling: true) = await predictor.decide().fault { expected.append(attempt) }
        }
        try await SimulatorHarness.with(SimulatorConfiguration(seed: 9, chaos: chaos)) { harness in
            try await harness.insertDeployment()
            for attempt in 1...16 {
                let reply = try await RawHTTP.exchange(
                    port: harness.server.port,
                    RawHTTP.request("POST", "/v1/provisioning/dep-1/status/build/\(attempt)", body: "{}", token: token))
                #expect(reply.isEmpty)
            }
            let created = await harness.store.deployment(id: "dep-1")?.provisioningInfo?.stages.first?.buildAttempts
            #expect((created ?? []).map(\.id) == expected)
            #expect(!expected.isEmpty && expected.count < 16)
        }
    }

    @Test func theTokenBucketRefillsAtTheConfiguredRate() {
        var bucket = TokenBucket(ratePerSecond: 2)
        let start = ContinuousClock.now
        #expect(bucket.take(at: start) == nil)
        #expect(bucket.take(at: start) == nil)
        let wait = bucket.take(at: start)
        #expect(wait == .milliseconds(500))
        #expect(bucket.take(at: start + .milliseconds(600)) == nil)
        #expect(bucket.take(at: start + .milliseconds(600)) != nil)
    }
}
