import Foundation
import KoyebSimulator
import ProvisioningCore
import Testing

/// The built `kprov` binary against the local Koyeb API, as a builder script in CI would use it.
@Suite("kprov commands end to end", .serialized)
struct CLITests {
    private let kprov = KprovBinary()
    private let token = SimulatorConfiguration.developmentToken

    private func startSimulator() async throws -> SimulatorServer {
        try await SimulatorServer.start(SimulatorConfiguration(port: 0, deploymentCount: 5, seed: 42))
    }

    private func connection(_ simulator: SimulatorServer) -> [String] {
        ["--url", simulator.baseURL, "--token", token]
    }

    @Test func aStepDeclaredFromTheShellShowsInDeploymentsGet() async throws {
        let simulator = try await startSimulator()
        defer { Task { await simulator.stop() } }
        let deployment = try #require(await simulator.store.deployments().first)
        let attempt = String(
            (deployment.provisioningInfo?.stage(named: "build")?.buildAttempts.map(\.id).max() ?? 0) + 1)

        let created = try await kprov.run(
            [
                "attempt", "create", deployment.id, "build", attempt, "--status", "RUNNING", "--started-at", "now",
                "--step", "git-clone", "--step", "build",
            ] + connection(simulator))
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.hasPrefix("created attempt \(deployment.id)/build/#\(attempt) (RUNNING, started 20"))
        #expect(created.stdout.hasSuffix(", 2 steps)\n"), "\(created.stdout)")

        let declared = try await kprov.run(
            [
                "step", "declare", deployment.id, "build", attempt, "git-clone", "--status", "completed",
                "--started-at", "now", "--finished-at", "now", "--message", "cloned in 2s",
            ] + connection(simulator))
        #expect(declared.status == 0, "\(declared.stderr)")
        #expect(
            declared.stdout.hasPrefix("declared step \(deployment.id)/build/#\(attempt)/git-clone: COMPLETED, started ")
        )
        #expect(declared.stdout.hasSuffix(", 1 message\n"), "\(declared.stdout)")

        let staged = try await kprov.run(
            ["stage", "declare", deployment.id, "build", attempt, "--message", "hi"] + connection(simulator))
        #expect(staged.stdout == "declared stage \(deployment.id)/build/#\(attempt): 1 message\n", "\(staged.stdout)")

        let shown = try await kprov.run(
            ["deployments", "get", deployment.id, "--output", "json"] + connection(simulator))
        #expect(shown.status == 0, "\(shown.stderr)")
        let decoded = try KoyebJSON.decoder().decode(Deployment.self, from: Data(shown.stdout.utf8))
        let step = decoded.provisioningInfo?.stage(named: "build")?.attempt(id: Int64(attempt)!)?.step(
            named: "git-clone")
        #expect(step?.status == .completed)
        #expect(step?.finishedAt != nil)
        #expect(step?.messages == ["cloned in 2s"])
    }

    /// The issue's "done when", literally: `kprov sim --port 0 --builders` in one process, `kprov step declare`
    /// in another, and `kprov deployments get --output json` shows the change.
    @Test func theSimBinaryAndTheDeclareCommandTalkOverHTTP() async throws {
        let (sim, output, _) = try kprov.launch([
            "sim", "--port", "0", "--builders", "--deployments", "3", "--seed", "3",
        ])
        defer { sim.terminate() }
        var url = ""
        var printed = Data()
        while url.isEmpty, printed.count < 10_000 {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            printed.append(chunk)
            let text = String(decoding: printed, as: UTF8.self)
            if let range = text.range(of: #"http://127\.0\.0\.1:\d+"#, options: .regularExpression) {
                url = String(text[range])
            }
        }
        try #require(!url.isEmpty, "kprov sim printed no URL: \(String(decoding: printed, as: UTF8.self))")
        let connection = ["--url", url, "--token", token]
        let listed = try await kprov.run(["deployments", "list", "--output", "json"] + connection)
        let deployments = try KoyebJSON.decoder().decode([Deployment].self, from: Data(listed.stdout.utf8))
        // A deployment whose build is over, so no simulated builder works on it at the same time.
        let deployment = try #require(
            deployments.first { [.healthy, .stopped, .canceled, .error].contains($0.status) } ?? deployments.first)
        let attempt = String(
            (deployment.provisioningInfo?.stage(named: "build")?.buildAttempts.map(\.id).max() ?? 0) + 1)
        #expect(
            try await kprov.run(
                ["attempt", "create", deployment.id, "build", attempt, "--status", "RUNNING", "--step", "git-clone"]
                    + connection
            ).status == 0)
        let declared = try await kprov.run(
            [
                "step", "declare", deployment.id, "build", attempt, "git-clone", "--status", "FAILED", "--message",
                "boom",
            ]
                + connection)
        #expect(declared.status == 0, "\(declared.stderr)")
        let shown = try await kprov.run(["deployments", "get", deployment.id, "--output", "json"] + connection)
        let decoded = try KoyebJSON.decoder().decode(Deployment.self, from: Data(shown.stdout.utf8))
        let step = decoded.provisioningInfo?.stage(named: "build")?.attempt(id: Int64(attempt)!)?.step(
            named: "git-clone")
        #expect(step?.status == .failed)
        #expect(step?.messages == ["boom"])
    }

    @Test func badInputIsRefusedBeforeAnythingIsSentWithExitCode2() async throws {
        let cases: [([String], String)] = [
            (["step", "declare", "d", "build", "1", "git-clone", "--status", "DONE"], "--status"),
            (
                [
                    "step", "declare", "d", "build", "1", "git-clone", "--status", "RUNNING", "--started-at",
                    "yesterday",
                ], "--started-at"
            ),
            (["step", "declare", "", "build", "1", "git-clone", "--status", "RUNNING"], "DEPLOYMENT"),
            (["stage", "declare", "d", "build", "one", "--status", "RUNNING"], "ATTEMPT"),
            (["attempt", "create", "d", "build", "1", "--status", "RUNNING", "--step", ""], "--step"),
            (["deployments", "list", "--status", "GREEN"], "--status"),
            (["deployments", "get", "x", "--url", "not a url"], "--url"),
        ]
        for (arguments, named) in cases {
            let connection =
                arguments.contains("--url") ? ["--token", "t"] : ["--token", "t", "--url", "http://127.0.0.1:9"]
            let result = try await kprov.run(arguments + connection)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(named), "\(arguments): \(result.stderr)")
        }
        let status = try await kprov.run([
            "step", "declare", "d", "build", "1", "s", "--status", "DONE", "--token", "t",
        ])
        #expect(status.stderr.contains("UNKNOWN, PENDING, RUNNING, FAILED, COMPLETED, ABORTED"))
    }

    @Test func aMissingTokenIsAUsageError() async throws {
        let result = try await kprov.run(["deployments", "list", "--url", "http://127.0.0.1:9"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("KOYEB_API_KEY"))
    }

    @Test func aRefusalExitsWith1AndIsNotQueued() async throws {
        let simulator = try await startSimulator()
        defer { Task { await simulator.stop() } }
        let result = try await kprov.run(
            ["step", "declare", "no-such-deployment", "build", "1", "git-clone", "--status", "RUNNING"]
                + connection(simulator))
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: 404"))
        let outbox = try await kprov.run(["outbox", "list"])
        #expect(outbox.stdout.contains("the outbox is empty"))
    }

    @Test func aWrongTokenNeverAppearsInOutput() async throws {
        let simulator = try await startSimulator()
        defer { Task { await simulator.stop() } }
        let secretToken = "tok-\(UUID().uuidString)"
        let result = try await kprov.run(["deployments", "list", "--url", simulator.baseURL, "--token", secretToken])
        #expect(result.status == 1)
        #expect(result.stderr.contains("401"))
        #expect(!result.stderr.contains(secretToken) && !result.stdout.contains(secretToken))
    }

    @Test func anUnreachableAPIQueuesTheDeclarationUntilFlushedOnce() async throws {
        let statePath = kprov.stateHome + "-sim.json"
        var configuration = SimulatorConfiguration(port: 0, deploymentCount: 3, seed: 1, statePath: statePath)
        let first = try await SimulatorServer.start(configuration)
        let url = first.baseURL
        configuration.port = first.port
        let deployment = try #require(await first.store.deployments().first)
        let attempt = String(
            (deployment.provisioningInfo?.stage(named: "build")?.buildAttempts.map(\.id).max() ?? 0) + 1)
        await first.stop()

        let queued = try await kprov.run(
            [
                "attempt", "create", deployment.id, "build", attempt, "--status", "RUNNING", "--step", "build",
                "--secret", "builder-secret", "--url", url, "--token", token,
            ])
        #expect(queued.status == 3, "\(queued.stderr)")
        #expect(queued.stderr.contains("could not reach the API at \(url): connection refused"), "\(queued.stderr)")
        #expect(queued.stderr.contains("queued as outbox entry 1"))
        let listed = try await kprov.run(["outbox", "list", "--output", "json"])
        #expect(listed.stdout.contains("create attempt \(deployment.id)/build/#\(attempt)"))
        #expect(!listed.stdout.contains("builder-secret"))

        let second = try await SimulatorServer.start(configuration)
        defer { Task { await second.stop() } }
        let flushed = try await kprov.run(["outbox", "flush", "--url", url, "--token", token])
        #expect(flushed.status == 0, "\(flushed.stderr)")
        #expect(flushed.stderr.contains("outbox: delivered 1"))
        let again = try await kprov.run(["outbox", "flush", "--url", url, "--token", token])
        #expect(again.stdout.contains("nothing to send"))
        let stored = try #require(await second.store.deployment(id: deployment.id))
        #expect(stored.provisioningInfo?.stage(named: "build")?.attempt(id: Int64(attempt)!)?.status == .running)
    }

    @Test func aKill9MidSendLosesNothingAndTheReplayAppliesItOnce() async throws {
        let simulator = try await SimulatorServer.start(
            SimulatorConfiguration(
                port: 0, deploymentCount: 2, seed: 5, chaos: ChaosConfiguration(latency: .seconds(2))))
        defer { Task { await simulator.stop() } }
        let deployment = try #require(await simulator.store.deployments().first)
        let attempt = String(
            (deployment.provisioningInfo?.stage(named: "build")?.buildAttempts.map(\.id).max() ?? 0) + 1)
        let (process, _, _) = try kprov.launch(
            ["attempt", "create", deployment.id, "build", attempt, "--status", "RUNNING", "--step", "build"]
                + connection(simulator))
        try await Task.sleep(for: .milliseconds(700))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        let listed = try await kprov.run(["outbox", "list"])
        #expect(listed.stdout.contains("create attempt \(deployment.id)/build/#\(attempt)"), "\(listed.stdout)")
        try await Task.sleep(for: .seconds(2))  // the killed request, already sent, lands meanwhile
        let flushed = try await kprov.run(["outbox", "flush"] + connection(simulator))
        #expect(flushed.status == 0, "\(flushed.stderr)")
        #expect(flushed.stderr.contains("outbox: delivered 1"), "\(flushed.stderr)")
        let stored = try #require(await simulator.store.deployment(id: deployment.id))
        let attempts = stored.provisioningInfo?.stage(named: "build")?.buildAttempts.filter { $0.id == Int64(attempt)! }
        #expect(attempts?.count == 1)
        #expect(await simulator.store.statistics.refusedDeclarations == 0)
    }

    @Test func readsExit3WhenTheAPIFails() async throws {
        let failing = try FailingServer()
        defer { failing.stop() }
        for arguments in [["deployments", "list"], ["deployments", "get", "d"], ["tree"]] {
            let result = try await kprov.run(arguments + ["--url", failing.baseURL, "--token", token])
            #expect(result.status == 3, "\(arguments): \(result.stderr)")
            #expect(result.stderr.hasPrefix("error: 500 api_error"), "\(arguments): \(result.stderr)")
        }
    }

    @Test func outboxDropNamesUnknownEntries() async throws {
        let result = try await kprov.run(["outbox", "drop", "41"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no entry 41"))
    }
}
