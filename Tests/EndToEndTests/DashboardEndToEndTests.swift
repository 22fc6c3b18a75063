import Foundation
import KoyebSimulator
import ProvisioningCore
import Testing

/// The real `kprov` binary in tmux against the simulator: it starts, shows deployments, keys move, expand and
/// filter, a build the simulator advances appears without a key press, and every way of leaving gives the
/// terminal back as it was.
@Suite("Dashboard end to end in tmux", .serialized)
struct DashboardEndToEndTests {
    private let kprov = KprovBinary()

    private func startSimulator(deployments: Int = 6) async throws -> SimulatorServer {
        try await SimulatorServer.start(SimulatorConfiguration(port: 0, deploymentCount: deployments, seed: 42))
    }

    @Test func startsMovesExpandsFiltersFollowsABuildAndQuitsCleanly() async throws {
        let simulator = try await startSimulator()
        defer { Task { await simulator.stop() } }
        let session = try DashboardTmuxSession(kprov: kprov)
        try session.launch(["--url", simulator.baseURL, "--token", SimulatorConfiguration.developmentToken])

        var screen = try await session.waitFor("the deployments") { $0.contains("6 deployments") && $0.contains("1/6") }
        let lines = screen.split(separator: "\n").map(String.init)
        let firstRow = try #require(lines.dropFirst().first)
        let secondID = String(try #require(lines.dropFirst(2).first).dropFirst(2).prefix(8))

        try session.press("j")
        try await session.waitFor("the cursor on row 2") { $0.contains("2/6") }
        try session.press("l")
        screen = try await session.waitFor("the second deployment expanded") { $0.contains("└─▾ build") }
        #expect(screen.contains("2/"))
        try session.press("h")
        try await session.waitFor("it collapsed again") { !$0.contains("└─▾ build") && $0.contains("2/6") }

        try session.press("/")
        for character in secondID { try session.press(String(character)) }
        screen = try await session.waitFor("the filter applied") { $0.contains("filter: \(secondID) (1 shown)") }
        #expect(!screen.contains(firstRow))
        try session.press("Enter")
        try session.press("Escape")
        try await session.waitFor("the filter cleared") { $0.contains("6 deployments") && !$0.contains("filter:") }

        // A builder starts a new deployment's build: it appears, then moves, with no key pressed.
        let id = "e2e00000-0000-4000-8000-000000000001"
        try await simulator.store.insert(
            Deployment(id: id, status: .provisioning, appID: "app-e2e", serviceID: "svc-e2e", createdAt: Date()))
        try await session.waitFor("the new deployment") { $0.contains("7 deployments") && $0.contains("e2e00000") }
        let attempt = ProvisioningTarget(deploymentID: id, stage: "build", attempt: 1)
        try await simulator.store.createStageAttempt(
            attempt, CreateStageAttemptRequest(status: .running, startedAt: Date(), steps: ["git-clone", "build"]))
        var step = attempt
        step.step = "git-clone"
        try await simulator.store.declareStepProgress(
            step, DeclareStepProgressRequest(status: .running, startedAt: Date()))
        try await session.waitFor("the build cloning") { $0.contains("build: Clone") }
        try await simulator.store.declareStepProgress(
            step, DeclareStepProgressRequest(status: .completed, finishedAt: Date()))
        step.step = "build"
        try await simulator.store.declareStepProgress(
            step, DeclareStepProgressRequest(status: .running, startedAt: Date()))
        try await session.waitFor("the build building") { $0.contains("build: Build") }

        try session.press("q")
        try await session.expectRestored(exit: 0)
    }

    @Test func ctrlCTermHupAndACrashAllGiveTheTerminalBack() async throws {
        let simulator = try await startSimulator(deployments: 3)
        defer { Task { await simulator.stop() } }
        let session = try DashboardTmuxSession(kprov: kprov, width: 100, height: 30)
        let endings: [(String, Int32?, Int)] = [
            ("Ctrl-C", nil, 0), ("SIGTERM", SIGTERM, 143), ("SIGHUP", SIGHUP, 129), ("SIGABRT", SIGABRT, 134),
            ("SIGSEGV", SIGSEGV, 139),
        ]
        for (name, signal, exit) in endings {
            try session.launch(["--url", simulator.baseURL, "--token", SimulatorConfiguration.developmentToken])
            try await session.waitFor("the dashboard (\(name))") { $0.contains("kprov http://") && $0.contains("1/3") }
            if let signal {
                let pid = try #require(childProcesses(of: try session.shellPID()).first, "no kprov process")
                kill(pid, signal)
            } else {
                try session.press("C-c")
            }
            try await session.expectRestored(exit: exit)
        }
    }

    @Test func ctrlZGivesTheShellBackAndFgResumesTheDashboard() async throws {
        let simulator = try await startSimulator(deployments: 3)
        defer { Task { await simulator.stop() } }
        let session = try DashboardTmuxSession(kprov: kprov, width: 100, height: 30)
        try session.launch(["--url", simulator.baseURL, "--token", SimulatorConfiguration.developmentToken])
        try await session.waitFor("the dashboard") { $0.contains("kprov http://") && $0.contains("1/3") }
        try session.press("C-z")
        // Stopped, the job's command list goes on: its `stty -g` sees the shell's terminal modes again.
        let stopped = try await session.waitFor("the shell, the dashboard stopped") { $0.contains("READY") }
        #expect(stopped.contains("Stopped"), "\(stopped)")
        #expect(!stopped.contains("kprov http://"), "the dashboard is still on screen:\n\(stopped)")
        try session.expectModesAsBefore()
        try session.expectScreenModesOff()

        try session.type("fg")
        try await session.waitFor("the dashboard again") { $0.contains("kprov http://") && $0.contains("1/3") }
        try session.press("j")
        try await session.waitFor("a key after fg") { $0.contains("2/3") }
        try session.press("q")
        try session.type("echo FINAL $?")
        let back = try await session.waitFor("the shell after quitting") { $0.contains("FINAL 0") }
        #expect(!back.contains("kprov http://"), "the dashboard is still on screen:\n\(back)")
    }

    @Test func demoShowsBuildsMoving() async throws {
        let session = try DashboardTmuxSession(kprov: kprov)
        try session.launch(["--demo"])
        let screen = try await session.waitFor("the demo's deployments") {
            $0.contains("24 deployments") && $0.contains("1/24")
        }
        #expect(screen.contains("kprov http://127.0.0.1:"))
        try session.press("q")
        try await session.expectRestored(exit: 0)
    }

    /// vt100: no colours and no alternate screen. The selected row must stand out by more than bold (which
    /// status words use too), and what the dashboard drew must not stay under the shell's prompt.
    @Test func aTerminalWithoutColoursOrAlternateScreenShowsTheSelectionAndIsClearedAfter() async throws {
        let simulator = try await startSimulator(deployments: 3)
        defer { Task { await simulator.stop() } }
        let session = try DashboardTmuxSession(kprov: kprov, width: 100, height: 30, term: "vt100")
        for (ending, signal, exit) in [("q", nil, 0), ("SIGSEGV", SIGSEGV, 139)] {
            try session.launch(["--url", simulator.baseURL, "--token", SimulatorConfiguration.developmentToken])
            try await session.waitFor("the dashboard (\(ending))") {
                $0.contains("kprov http://") && $0.contains("1/3")
            }
            let selected = try session.captureWithAttributes(line: 1)
            #expect(
                selected.contains(/^\x1B\[([0-9]+;)*7[;m]/), "the selected row is not in reverse video: \(selected)")
            if let signal {
                kill(try #require(childProcesses(of: try session.shellPID()).first, "no kprov process"), signal)
            } else {
                try session.press("q")
            }
            try await session.expectRestored(exit: exit)
        }
    }

    @Test func aTerminalTooSmallSaysSoAndResizingRelaysOut() async throws {
        let simulator = try await startSimulator(deployments: 2)
        defer { Task { await simulator.stop() } }
        let session = try DashboardTmuxSession(kprov: kprov, width: 50, height: 10)
        try session.launch(["--url", simulator.baseURL, "--token", SimulatorConfiguration.developmentToken])
        try await session.waitFor("the too-small message") { $0.contains("terminal too small (needs 60×12)") }
        try session.resize(width: 100, height: 30)
        try await session.waitFor("the dashboard after the resize") {
            $0.contains("kprov http://") && $0.contains("1/2")
        }
        try session.press("q")
        try await session.expectRestored(exit: 0)
    }
}

/// What the dashboard refuses before it takes the screen, and the headless views.
@Suite("Dashboard commands without a screen", .serialized)
struct DashboardCommandTests {
    private let kprov = KprovBinary()

    @Test func badInputExits2WithOneLineBeforeTheScreenIsTakenOver() async throws {
        let config = kprov.stateHome + "/config/kprov"
        try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
        let url = ["--url", "http://127.0.0.1:9", "--token", "t"]
        let cases: [([String], String)] = [
            (["--interval", "0"] + url, "--interval: 0 is not allowed; allowed: whole seconds from 1 to 3600"),
            (["--theme", "solarized"] + url, "--theme: solarized: unknown theme; allowed: default, colorblind"),
            (["--url", "ftp://x", "--token", "t"], "--url"),
            (["--url", "http://127.0.0.1:9"], "no API token"),
            (["--status", "GREEN"] + url, "--status: \"GREEN\" is not a deployment status"),
            (["--demo", "--url", "http://127.0.0.1:9"], "--demo starts its own local API"),
        ]
        for (arguments, message) in cases {
            let result = try await kprov.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(arguments): the screen was touched")
        }
        let badConfigs = [
            ("interval: fast\n", "config.yaml:1: interval: \"fast\" is not an interval"),
            ("ascii: true\ntheme: nope\n", "config.yaml:2: theme: nope: unknown theme; allowed: default, colorblind"),
        ]
        for (text, message) in badConfigs {
            try text.write(toFile: config + "/config.yaml", atomically: true, encoding: .utf8)
            let result = try await kprov.run(url)
            #expect(result.status == 2)
            #expect(result.stderr.contains(message), "\(result.stderr)")
        }
        try FileManager.default.removeItem(atPath: config + "/config.yaml")
    }

    @Test func treePrintsEveryNodeAsTextOrJSON() async throws {
        let simulator = try await SimulatorServer.start(SimulatorConfiguration(port: 0, deploymentCount: 4, seed: 42))
        defer { Task { await simulator.stop() } }
        let connection = ["--url", simulator.baseURL, "--token", SimulatorConfiguration.developmentToken]
        let text = try await kprov.run(["tree"] + connection)
        #expect(text.status == 0, "\(text.stderr)")
        let deployments = await simulator.store.deployments()
        for deployment in deployments { #expect(text.stdout.contains(String(deployment.id.prefix(8)))) }
        #expect(text.stdout.contains("└─▾ build") || text.stdout.contains("├─▾ build"))
        let only = deployments[0].id
        let json = try await kprov.run(["tree", "--output", "json", "--deployment", only] + connection)
        #expect(json.status == 0, "\(json.stderr)")
        let decoded = try KoyebJSON.decoder().decode([Deployment].self, from: Data(json.stdout.utf8))
        #expect(decoded.map(\.id) == [deployments[0].id])
    }

    @Test func watchExitsWithTheBuildsOutcome() async throws {
        let simulator = try await SimulatorServer.start(SimulatorConfiguration(port: 0, deploymentCount: 0, seed: 1))
        defer { Task { await simulator.stop() } }
        let connection = ["--url", simulator.baseURL, "--token", SimulatorConfiguration.developmentToken]
        for (id, final, exit) in [("watch-ok", ProvisioningStatus.completed, Int32(0)), ("watch-ko", .failed, 1)] {
            try await simulator.store.insert(Deployment(id: id, status: .provisioning, createdAt: Date()))
            let target = ProvisioningTarget(deploymentID: id, stage: "build", attempt: 1)
            try await simulator.store.createStageAttempt(
                target, CreateStageAttemptRequest(status: .running, startedAt: Date(), steps: ["git-clone"]))
            async let watched = kprov.run(["watch", id, "--interval", "1"] + connection)
            try await Task.sleep(for: .milliseconds(1500))
            var step = target
            step.step = "git-clone"
            try await simulator.store.declareStepProgress(
                step, DeclareStepProgressRequest(status: final, startedAt: Date(), finishedAt: Date()))
            try await simulator.store.declareStageProgress(
                target, DeclareStageProgressRequest(status: final, finishedAt: Date()))
            let result = try await watched
            let output = result.stdout
            #expect(result.status == exit, "\(output)")
            #expect(output.contains("build #1 Clone repository (git-clone)"), "\(output)")
            #expect(output.contains("build \(final.rawValue.lowercased())"), "\(output)")
        }
        let unreachable = try await kprov.run(["watch", "x", "--url", "http://127.0.0.1:9", "--token", "t"])
        #expect(unreachable.status == 3)
    }
}
