import Foundation
import KoyebSimulator
import ProvisioningCore
import Testing

/// Declaring from the keyboard, end to end: the real binary in tmux sends through the API, and the simulator's
/// state (read back with `kprov deployments get`) shows what was declared.
@Suite("Dashboard forms end to end in tmux", .serialized)
struct DashboardFormEndToEndTests {
    private let kprov = KprovBinary()
    private let id = "e2e00000-0000-4000-8000-00000000f0f0"

    /// A simulator with one seed deployment and, newest of all so it is the first row, a deployment of ours
    /// whose build attempt 1 is RUNNING its first step (`secret` protects it when given).
    private func simulator(building: Bool = true, secret: String? = nil) async throws -> SimulatorServer {
        let simulator = try await SimulatorServer.start(
            SimulatorConfiguration(port: 0, deploymentCount: 1, seed: 42, provisioningSecret: secret))
        try await seed(simulator.store, building: building, secret: secret)
        return simulator
    }

    /// Adds our deployment to `store`; when `building`, with attempt 1 RUNNING its first step.
    private func seed(_ store: SimulatorStore, building: Bool = true, secret: String? = nil) async throws {
        try await store.insert(
            Deployment(id: id, status: .provisioning, appID: "app-e2e", serviceID: "svc-e2e", createdAt: Date()),
            secret: secret)
        guard building else { return }
        let attempt = ProvisioningTarget(deploymentID: id, stage: "build", attempt: 1)
        try await store.createStageAttempt(
            attempt,
            CreateStageAttemptRequest(
                secret: secret, status: .running, startedAt: Date(), steps: ["git-clone", "build"]))
        var step = attempt
        step.step = "git-clone"
        try await store.declareStepProgress(
            step, DeclareStepProgressRequest(secret: secret, status: .running, startedAt: Date()))
    }

    private func connection(_ simulator: SimulatorServer) -> [String] {
        ["--url", simulator.baseURL, "--token", SimulatorConfiguration.developmentToken]
    }

    /// A state file for `kprov sim --state` holding only our deployment, building.
    private func stateFileWithOurBuild() async throws -> String {
        let stateFile = kprov.stateHome + "/sim-state.json"
        try FileManager.default.createDirectory(atPath: kprov.stateHome, withIntermediateDirectories: true)
        let seeded = try await SimulatorServer.start(
            SimulatorConfiguration(port: 0, deploymentCount: 0, statePath: stateFile))
        try await seed(seeded.store)
        await seeded.stop()
        return stateFile
    }

    /// Opens the dashboard on the API `connection` names and puts the cursor on our deployment's running step.
    private func openOnRunningStep(_ connection: [String], extra: [String] = []) async throws
        -> DashboardTmuxSession
    {
        let session = try DashboardTmuxSession(kprov: kprov)
        try session.launch(connection + extra)
        try await session.waitFor("the dashboard") { $0.contains("kprov http://") && $0.contains("e2e00000") }
        try session.press("l", "j", "j", "j")
        try await session.waitFor("the cursor on git-clone") { $0.contains("Step Clone repository") }
        return session
    }

    private func deploymentFromTheCLI(_ simulator: SimulatorServer) async throws -> Deployment {
        let result = try await kprov.run(["deployments", "get", id, "--output", "json"] + connection(simulator))
        #expect(result.status == 0, "\(result.stderr)")
        return try KoyebJSON.decoder().decode(Deployment.self, from: Data(result.stdout.utf8))
    }

    @Test func aRunningStepDeclaredCompletedFromTheFormShowsInTheAPIAndOnScreen() async throws {
        let simulator = try await simulator()
        defer { Task { await simulator.stop() } }
        let session = try await openOnRunningStep(connection(simulator))
        try session.press("p")
        try await session.waitFor("the step form") { $0.contains("Declare step progress") }
        try session.press("c")
        try await session.waitFor("COMPLETED picked") { $0.contains("◂ ✓ COMPLETED ▸") }
        try session.press("C-s")
        try await session.waitFor("the success toast") { $0.contains("declared git-clone COMPLETED") }
        let screen = try await session.waitFor("the step done") { $0.contains("✓ Clone repository") }
        #expect(!screen.contains("Declare step progress"))
        let step = try await deploymentFromTheCLI(simulator).provisioningInfo?.stage(named: "build")?.attempt(id: 1)?
            .step(named: "git-clone")
        #expect(step?.status == .completed)
        #expect(step?.finishedAt != nil)
        try session.press("q")
        try await session.expectRestored(exit: 0)
    }

    @Test func anAttemptCreatedFromTheFormRoundTrips() async throws {
        let simulator = try await simulator(building: false)
        defer { Task { await simulator.stop() } }
        let session = try DashboardTmuxSession(kprov: kprov)
        try session.launch(connection(simulator))
        try await session.waitFor("the dashboard") { $0.contains("kprov http://") && $0.contains("1/2") }
        try session.press("a")
        try await session.waitFor("the create form") { $0.contains("Create attempt") && $0.contains("\(id)/build/#1") }
        try session.press("C-s")
        try await session.waitFor("the success toast") {
            $0.contains("created build #1 RUNNING") && !$0.contains("declared created")
        }
        let attempt = try await deploymentFromTheCLI(simulator).provisioningInfo?.stage(named: "build")?.attempt(id: 1)
        #expect(attempt?.status == .running)
        #expect(attempt?.startedAt != nil)
        #expect(attempt?.steps.map(\.name) == ["git-clone", "detect", "restore", "build", "export"])
        try session.press("q")
        try await session.expectRestored(exit: 0)
    }

    @Test func aWrongSecretKeepsTheFormOpenWithThe403ExplainedAndTheMessagesTyped() async throws {
        let simulator = try await simulator(secret: "the-right-secret")
        defer { Task { await simulator.stop() } }
        let session = try await openOnRunningStep(connection(simulator))
        try session.press("p")
        try await session.waitFor("the step form") { $0.contains("Declare step progress") }
        try session.press("c", "Tab", "Tab", "Tab")
        try session.typeLiterally("still here after the 403")
        try session.press("Enter", "Tab")
        try session.typeLiterally("wrong-secret")
        try session.press("C-s")
        let screen = try await session.waitFor("the 403") { $0.contains("403: not allowed") }
        #expect(screen.contains("Declare step progress"))
        #expect(screen.contains("still here after the 403"))
        #expect(!screen.contains("wrong-secret"), "the secret must be masked")
        let step = try await deploymentFromTheCLI(simulator).provisioningInfo?.stage(named: "build")?.attempt(id: 1)?
            .step(named: "git-clone")
        #expect(step?.status == .running)
        try session.press("Escape", "y", "q")
        try await session.expectRestored(exit: 0)
    }

    /// Runs `kprov sim arguments…` as its own process (so killing it closes its sockets, as a crashed API
    /// server's are) and returns it with its URL.
    private func simProcess(_ arguments: [String]) async throws -> (process: Process, url: String) {
        let (process, output, _) = try kprov.launch(["sim"] + arguments)
        let url = try await onOwnThread { () -> String? in
            var printed = Data()
            while printed.count < 10_000 {
                let chunk = output.fileHandleForReading.availableData
                guard !chunk.isEmpty else { return nil }
                printed.append(chunk)
                let text = String(decoding: printed, as: UTF8.self)
                if let range = text.range(of: #"http://127\.0\.0\.1:\d+"#, options: .regularExpression) {
                    return String(text[range])
                }
            }
            return nil
        }
        guard let url else {
            process.terminate()
            throw SimDidNotStart()
        }
        return (process, url)
    }

    private struct SimDidNotStart: Error {}

    /// The API dies (kill -9), comes back on the same port in chaos (every request waits 5 s, then fails), then
    /// comes back well: the declaration made meanwhile waits in the outbox and is delivered, keys answer while
    /// requests hang, the data is marked stale, and the dashboard recovers by itself.
    @Test func aDeclarationMadeWhileTheAPIIsDownIsQueuedAndDeliveredOnceTheAPIIsBack() async throws {
        let stateFile = try await stateFileWithOurBuild()

        let first = try await simProcess(["--port", "0", "--state", stateFile])
        defer { if first.process.isRunning { first.process.terminate() } }
        let port = try #require(first.url.split(separator: ":").last.map(String.init))
        let connection = ["--url", first.url, "--token", SimulatorConfiguration.developmentToken]
        let session = try await openOnRunningStep(connection, extra: ["--interval", "1", "--timeout", "3"])
        kill(first.process.processIdentifier, SIGKILL)
        first.process.waitUntilExit()

        try session.press("c")
        try await session.waitFor("the question") { $0.contains("Mark git-clone COMPLETED") }
        try session.press("y")
        try await session.waitFor("the queued toast", timeout: .seconds(30)) {
            $0.contains("outbox: 1 waiting (o)") && $0.contains("not sent yet, kept in the outbox")
        }
        try await session.waitFor("the stale mark", timeout: .seconds(30)) { $0.contains("STALE") }
        try session.press("o")
        try await session.waitFor("the outbox panel") { $0.contains("Outbox — 1 waiting") && $0.contains("git-clone") }
        try session.press("r")
        try await session.waitFor("the retry's answer", timeout: .seconds(30)) {
            $0.contains("outbox entry 1 still queued") && $0.contains("last try failed: could not reach the API")
        }
        try session.press("Escape")

        let chaotic = try await simProcess(
            ["--port", port, "--state", stateFile, "--chaos", "latency=5s,error-rate=1"])
        // Killed below; this stops it too when an expectation fails before, so no simulator outlives the test.
        defer { if chaotic.process.isRunning { chaotic.process.terminate() } }
        try await Task.sleep(for: .seconds(1))
        try session.press("r")  // a poll now, which the chaos holds for 5 s
        try await Task.sleep(for: .milliseconds(300))
        let pressed = ContinuousClock.now
        try session.press("?")
        try await session.waitFor("the help overlay") { $0.contains("kprov — keys: ↑↓ scroll, any other key closes") }
        let answeredIn = ContinuousClock.now - pressed
        #expect(answeredIn < .seconds(2), "a key took \(answeredIn) while requests hang for 5 s")
        try session.press("Escape")
        try await session.waitFor("the help closed") { !$0.contains("kprov — keys: ↑↓ scroll, any other key closes") }
        #expect(try session.capture().contains("STALE"))
        kill(chaotic.process.processIdentifier, SIGKILL)
        chaotic.process.waitUntilExit()

        let healthy = try await simProcess(["--port", port, "--state", stateFile])
        defer { healthy.process.terminate() }
        let recovered = try await session.waitFor("recovery and delivery", timeout: .seconds(60)) {
            !$0.contains("STALE") && !$0.contains("outbox:") && $0.contains("✓ Clone repository")
        }
        #expect(recovered.contains("updated"))
        let shown = try await kprov.run(["deployments", "get", id, "--output", "json"] + connection)
        let deployment = try KoyebJSON.decoder().decode(Deployment.self, from: Data(shown.stdout.utf8))
        let step = deployment.provisioningInfo?.stage(named: "build")?.attempt(id: 1)?.step(named: "git-clone")
        #expect(step?.status == .completed)
        try session.press("q")
        try await session.expectRestored(exit: 0)
    }

    /// Quitting while a declaration waits in the outbox says so on the shell, with how to send it.
    @Test func quittingWithADeclarationWaitingSaysSo() async throws {
        let stateFile = try await stateFileWithOurBuild()
        let sim = try await simProcess(["--port", "0", "--state", stateFile])
        defer { if sim.process.isRunning { sim.process.terminate() } }
        let connection = ["--url", sim.url, "--token", SimulatorConfiguration.developmentToken]
        let session = try await openOnRunningStep(connection, extra: ["--timeout", "2"])
        kill(sim.process.processIdentifier, SIGKILL)
        sim.process.waitUntilExit()
        try session.press("c")
        try await session.waitFor("the question") { $0.contains("Mark git-clone COMPLETED") }
        try session.press("y")
        try await session.waitFor("the queued toast", timeout: .seconds(30)) { $0.contains("outbox: 1 waiting (o)") }
        try session.press("q")
        let shell = try await session.waitFor("the shell") { $0.contains("READY") }
        #expect(shell.contains("kprov: 1 declaration still waits in the outbox for \(sim.url)"), "\(shell)")
        // The line is longer than the pane: join its wrapped rows.
        #expect(
            shell.replacingOccurrences(of: "\n", with: "").contains("`kprov outbox flush --url \(sim.url)`"), "\(shell)"
        )
    }

    /// kill -9 between the keypress and the API's answer: the declaration is in the outbox, and `kprov outbox
    /// flush` delivers it.
    @Test func aDashboardKilledMidSendLosesNothing() async throws {
        let stateFile = try await stateFileWithOurBuild()
        let slow = try await simProcess(["--port", "0", "--state", stateFile, "--chaos", "latency=3s"])
        defer { slow.process.terminate() }
        let connection = ["--url", slow.url, "--token", SimulatorConfiguration.developmentToken]

        let session = try await openOnRunningStep(connection)
        try session.press("c")
        try await session.waitFor("the question") { $0.contains("Mark git-clone COMPLETED") }
        try session.press("y")
        try await Task.sleep(for: .milliseconds(500))
        let dashboard = try #require(childProcesses(of: try session.shellPID()).first, "no kprov process")
        kill(dashboard, SIGKILL)
        try await session.waitFor("the shell") { $0.contains("EXIT 137") }

        let listed = try await kprov.run(["outbox", "list", "--output", "json"])
        #expect(listed.stdout.contains("git-clone"), "the declaration is not in the outbox: \(listed.stdout)")
        let flushed = try await kprov.run(["outbox", "flush"] + connection)
        #expect(flushed.status == 0, "\(flushed.stdout)\(flushed.stderr)")
        let shown = try await kprov.run(["deployments", "get", id, "--output", "json"] + connection)
        let deployment = try KoyebJSON.decoder().decode(Deployment.self, from: Data(shown.stdout.utf8))
        let step = deployment.provisioningInfo?.stage(named: "build")?.attempt(id: 1)?.step(named: "git-clone")
        #expect(step?.status == .completed)
        let after = try await kprov.run(["outbox", "list", "--output", "json"]).stdout
        #expect((try JSONSerialization.jsonObject(with: Data(after.utf8)) as? [Any])?.isEmpty == true, "\(after)")
    }

    @Test func readOnlySendsNothing() async throws {
        let simulator = try await simulator()
        defer { Task { await simulator.stop() } }
        let before = await simulator.store.statistics
        let session = try await openOnRunningStep(connection(simulator), extra: ["--read-only"])
        #expect(try session.capture().contains("read-only"))
        try session.press("p")
        try await session.waitFor("the read-only message") { $0.contains("read-only: declaring is turned off") }
        try session.press("c", "y", "x", "y", "a", "y")
        try await Task.sleep(for: .milliseconds(500))
        #expect(!(try session.capture()).contains("Declare step progress"))
        try session.press("q")
        try await session.expectRestored(exit: 0)
        let after = await simulator.store.statistics
        #expect(after.stepDeclarations == before.stepDeclarations)
        #expect(after.attemptsCreated == before.attemptsCreated)
    }
}
