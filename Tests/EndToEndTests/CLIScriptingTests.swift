import ChildProcess
import Foundation
import KoyebSimulator
import ProvisioningCore
import Testing

/// The built `kprov` binary as CI scripts use it: in pipelines, through outages and retries, with the outbox,
/// and with wrong input.
@Suite("kprov in CI scripts", .serialized)
struct CLIScriptingTests {
    private let kprov = KprovBinary()
    private let token = SimulatorConfiguration.developmentToken

    // MARK: - Helpers

    /// A simulator with no generated deployments, and one deployment `id` whose build attempt 1 is RUNNING.
    private func simulator(building id: String, statePath: String? = nil, port: Int = 0) async throws
        -> SimulatorServer
    {
        let simulator = try await SimulatorServer.start(
            SimulatorConfiguration(port: port, deploymentCount: 0, seed: 1, statePath: statePath))
        if await simulator.store.deployment(id: id) == nil {
            try await simulator.store.insert(Deployment(id: id, status: .pending))
            try await simulator.store.createStageAttempt(
                ProvisioningTarget(deploymentID: id, stage: "build", attempt: 1),
                CreateStageAttemptRequest(status: .running, steps: ["build"]))
        }
        return simulator
    }

    private func connection(_ url: String) -> [String] { ["--url", url, "--token", token] }

    /// A port nothing listens on.
    private func deadURL() -> String { "http://127.0.0.1:\(Int.random(in: 20_000...29_999))" }

    /// Runs `script` with bash (`$K` is the kprov binary), on a thread of its own, in kprov's test environment.
    private func shell(_ script: String) async throws -> ChildProcess.Outcome {
        let environment = kprov.environment(["K": KprovBinary.path])
        return try await onOwnThread { try ChildProcess.run(["/bin/bash", "-c", script], environment: environment) }
    }

    private func target(_ id: String, attempt: Int64 = 1, step: String? = nil) -> ProvisioningTarget {
        ProvisioningTarget(deploymentID: id, stage: "build", attempt: attempt, step: step)
    }

    // MARK: - Output cut short

    @Test func watchEndsQuietlyWhenItsReaderGoesAway() async throws {
        let simulator = try await simulator(building: "piped")
        defer { Task { await simulator.stop() } }
        let command = "\"$K\" watch piped --interval 1 --url \(simulator.baseURL) --token \(token)"
        async let piped = try shell("\(command) | head -1; echo \"kprov=${PIPESTATUS[0]}\" >&2")
        try await Task.sleep(for: .seconds(2))  // head has read its line and gone; the next line finds no reader
        try await simulator.store.declareStepProgress(
            target("piped", step: "build"), DeclareStepProgressRequest(status: .completed, messages: ["built"]))
        let outcome = try await piped
        #expect(outcome.stderr.contains("kprov=141"), "\(outcome.stderr)")
        #expect(!outcome.stderr.contains("Fatal error"), "\(outcome.stderr)")
        #expect(outcome.stdout.split(separator: "\n").count == 1)

        let closed = try await shell("\(command) >&-; echo \"kprov=$?\" >&2")
        #expect(closed.stderr == "kprov=141\n", "\(closed.stderr)")
        let tree = try await shell("\"$K\" tree --url \(simulator.baseURL) --token \(token) >&-; echo \"kprov=$?\" >&2")
        #expect(tree.stderr == "kprov=141\n", "\(tree.stderr)")
    }

    // MARK: - watch

    @Test func watchEndsOnADeploymentThatWillNeverBuild() async throws {
        let simulator = try await SimulatorServer.start(SimulatorConfiguration(port: 0, deploymentCount: 0, seed: 1))
        defer { Task { await simulator.stop() } }
        try await simulator.store.insert(Deployment(id: "canceled", status: .canceled))
        let outcome = try await shell("timeout 20 \"$K\" watch canceled --url \(simulator.baseURL) --token \(token)")
        #expect(outcome.status == 1, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("deployment canceled is CANCELED and has no build"), "\(outcome.stdout)")
    }

    @Test func watchTimesAreOnA24HourClock() async throws {
        let simulator = try await SimulatorServer.start(SimulatorConfiguration(port: 0, deploymentCount: 0, seed: 1))
        defer { Task { await simulator.stop() } }
        try await simulator.store.insert(Deployment(id: "canceled", status: .canceled))
        // A zone where it is now 15:xx, so a 12-hour clock would print 03.
        let utcHour = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date())
            .hour!
        let offset = (15 - utcHour + 24) % 24
        let zone = offset <= 14 ? "Etc/GMT-\(offset)" : "Etc/GMT+\(24 - offset)"
        let outcome = try await shell(
            "TZ=\(zone) \"$K\" watch canceled --url \(simulator.baseURL) --token \(token)")
        // 16: when the hour turned meanwhile; a 12-hour clock would print 03: or 04:.
        #expect(outcome.stdout.hasPrefix("15:") || outcome.stdout.hasPrefix("16:"), "\(zone): \(outcome.stdout)")
    }

    @Test func watchRidesOutAShortOutage() async throws {
        let statePath = kprov.stateHome + "-outage.json"
        let first = try await simulator(building: "outage", statePath: statePath)
        let url = first.baseURL
        async let watched = kprov.run(["watch", "outage", "--interval", "1"] + connection(url))
        try await Task.sleep(for: .seconds(2))
        await first.stop()
        try await Task.sleep(for: .seconds(5))
        let second = try await simulator(building: "outage", statePath: statePath, port: first.port)
        defer { Task { await second.stop() } }
        try await second.store.declareStageProgress(target("outage"), DeclareStageProgressRequest(status: .completed))
        let result = try await watched
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("build completed"))
        let notes = result.stderr.split(separator: "\n")
        #expect(notes.filter { $0.contains("polling again with back-off for up to 60s") }.count == 1, "\(notes)")
        #expect(notes.contains { $0.contains("the API answers again") }, "\(notes)")
    }

    @Test func watchGivesUpAfterMaxOutage() async throws {
        let started = ContinuousClock.now
        let result = try await kprov.run(
            ["watch", "nowhere", "--interval", "1", "--max-outage", "2"] + connection(deadURL()))
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("(--max-outage 2); giving up"), "\(result.stderr)")
        #expect(started.duration(to: .now) >= .seconds(2))
    }

    @Test func watchWaitsForTheAttemptAfterARetryableFailure() async throws {
        let simulator = try await simulator(building: "retried")
        defer { Task { await simulator.stop() } }
        async let watched = kprov.run(["watch", "retried", "--interval", "1"] + connection(simulator.baseURL))
        try await Task.sleep(for: .seconds(1.5))
        try await simulator.store.declareStageProgress(
            target("retried"), DeclareStageProgressRequest(status: .failed, retryableFailure: true))
        try await Task.sleep(for: .seconds(3))
        try await simulator.store.createStageAttempt(
            target("retried", attempt: 2), CreateStageAttemptRequest(status: .running, steps: ["build"]))
        try await Task.sleep(for: .seconds(1.5))
        try await simulator.store.declareStageProgress(
            target("retried", attempt: 2), DeclareStageProgressRequest(status: .completed))
        let result = try await watched
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("attempt #1 failed with a retryable failure; waiting up to 30s"))
        #expect(result.stdout.contains("build #2"))
    }

    @Test func everyCommandTakesTheURLFromKprovsConfigFile() async throws {
        let simulator = try await simulator(building: "configured")
        defer { Task { await simulator.stop() } }
        let folder = kprov.stateHome + "/config/kprov"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // A value only the dashboard reads, and that it would refuse, does not stop the other commands.
        try "url: \(simulator.baseURL)\ninterval: 0\n".write(
            toFile: folder + "/config.yaml", atomically: true, encoding: .utf8)
        let tree = try await kprov.run(["tree", "--token", token])
        #expect(tree.status == 0, "\(tree.stderr)")
        #expect(tree.stdout.contains("configur"))
        let declared = try await kprov.run(
            ["step", "declare", "configured", "build", "1", "build", "--status", "RUNNING", "--token", token])
        #expect(declared.status == 0, "\(declared.stderr)")
        let flagged = try await kprov.run(["tree", "--url", deadURL(), "--token", token, "--timeout", "1"])
        #expect(flagged.status == 3, "--url still wins over the config file: \(flagged.stderr)")
    }

    // MARK: - Declarations and the outbox

    @Test func aRefusedTokenExits1AndKeepsTheDeclarationForAFlush() async throws {
        let simulator = try await simulator(building: "token")
        defer { Task { await simulator.stop() } }
        let refused = try await kprov.run(
            [
                "step", "declare", "token", "build", "1", "build", "--status", "COMPLETED", "--url", simulator.baseURL,
                "--token", "wrong-token",
            ])
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(refused.stderr.hasPrefix("error: 401"))
        #expect(
            refused.stderr.contains(
                "kept in the outbox as entry 1: once the token is fixed, `kprov outbox flush --url \(simulator.baseURL)`"
            ))
        let flushed = try await kprov.run(["outbox", "flush"] + connection(simulator.baseURL))
        #expect(flushed.status == 0, "\(flushed.stderr)")
        #expect(flushed.stderr.contains("outbox: delivered 1"))
    }

    @Test func aHeldBackDeclarationSaysWhatItWaitsBehind() async throws {
        let url = deadURL()
        let declare = ["step", "declare", "d", "build", "1", "build", "--status", "RUNNING"] + connection(url)
        #expect(try await kprov.run(declare).status == 3)
        let second = try await kprov.run(declare)
        #expect(second.status == 3)
        #expect(second.stderr.contains("outbox: 1 stays queued: step d/build/#1/build → RUNNING: could not reach"))
        #expect(second.stderr.contains("error: not sent: the outbox stopped at entry 1"), "\(second.stderr)")
        #expect(second.stderr.contains("queued as outbox entry 2"))

        // A 500 for one deployment: its next declaration waits behind it, and is not blamed for its error.
        let failing = try FailingServer()
        defer { failing.stop() }
        let create = { (attempt: String) in
            ["attempt", "create", "stuck", "build", attempt, "--status", "RUNNING"] + connection(failing.baseURL)
        }
        let stuck = try await kprov.run(create("9"))
        #expect(stuck.status == 3 && stuck.stderr.hasPrefix("error: 500 api_error"), "\(stuck.stderr)")
        let behind = try await kprov.run(create("10"))
        #expect(behind.status == 3)
        #expect(behind.stderr.contains("outbox: 3 stays queued: create attempt stuck/build/#9"), "\(behind.stderr)")
        #expect(behind.stderr.contains("not sent: it waits behind entry 3 for the same deployment"), "\(behind.stderr)")
        #expect(behind.stderr.contains("queued as outbox entry 4"))
        #expect(!behind.stderr.contains("error: 500"))
    }

    @Test func aFlushReportsInTheOrderItSent() async throws {
        let statePath = kprov.stateHome + "-order.json"
        let first = try await simulator(building: "ordered", statePath: statePath)
        let url = first.baseURL
        await first.stop()
        for (step, status) in [("build", "RUNNING"), ("no-such-step", "RUNNING"), ("build", "COMPLETED")] {
            _ = try await kprov.run(
                ["step", "declare", "ordered", "build", "1", step, "--status", status] + connection(url))
        }
        let second = try await simulator(building: "ordered", statePath: statePath, port: first.port)
        defer { Task { await second.stop() } }
        let flushed = try await kprov.run(["outbox", "flush"] + connection(url))
        let lines = flushed.stderr.split(separator: "\n").map { $0.split(separator: ":")[1] }
        #expect(lines == [" delivered 1", " the API refused 2", " delivered 3"], "\(flushed.stderr)")
        #expect(flushed.status == 1)
    }

    @Test func aFlushForAnotherAPISaysWhereEntriesWait() async throws {
        let queuedFor = deadURL()
        _ = try await kprov.run(
            ["step", "declare", "d", "build", "1", "build", "--status", "RUNNING"] + connection(queuedFor))
        let elsewhere = queuedFor.replacingOccurrences(of: ":2", with: ":3")
        let flushed = try await kprov.run(["outbox", "flush"] + connection(elsewhere))
        #expect(flushed.status == 3, "\(flushed.stdout)\(flushed.stderr)")
        #expect(flushed.stdout.contains("outbox: nothing to send to \(elsewhere)"))
        #expect(
            flushed.stderr.contains(
                "outbox: 1 entry waits for another API, \(queuedFor): `kprov outbox flush --url \(queuedFor)` sends it"),
            "\(flushed.stderr)")
    }

    @Test func anOutboxFolderThatCannotBeWrittenIsAUsageError() async throws {
        let result = try await kprov.run(
            ["step", "declare", "d", "build", "1", "build", "--status", "RUNNING"] + connection(deadURL()),
            environment: ["XDG_STATE_HOME": "/proc/kprov-nope"])
        #expect(result.status == 2)
        #expect(
            result.stderr
                == "error: the outbox folder /proc/kprov-nope/kprov/outbox cannot be created (No such file or "
                + "directory); set XDG_STATE_HOME to a folder kprov can write\n")
    }

    // MARK: - Usage

    @Test func attemptNumbersOutOfRangeNameTheAttemptAndTheRange() async throws {
        let range = "allowed: an integer from 0 to 9223372036854775807"
        let cases: [([String], String)] = [
            (["stage", "declare", "d", "build", "-1", "--status", "RUNNING"], "ATTEMPT: -1 is out of range; \(range)"),
            (
                ["step", "declare", "d", "build", "-1", "detect", "--status", "RUNNING"],
                "ATTEMPT: -1 is out of range; \(range)"
            ),
            (
                ["attempt", "create", "d", "build", "99999999999999999999999"],
                "ATTEMPT: 99999999999999999999999 is out of range; \(range)"
            ),
            (
                ["attempt", "create", "d", "build", "one"],
                "ATTEMPT: \"one\" is not an attempt number; \(range), e.g. 1"
            ),
        ]
        for (arguments, message) in cases {
            let result = try await kprov.run(arguments + connection(deadURL()))
            #expect(result.status == 2)
            #expect(result.stderr == "error: \(message)\n", "\(arguments)")
        }
    }

    @Test func badInputIsCheckedBeforeAnythingIsSent() async throws {
        let cases: [([String], String)] = [
            (
                ["step", "declare", "d", "build", "1", "a", "--status", "RUNNING", "--finished-at", "now"],
                "--finished-at: only a COMPLETED, FAILED or ABORTED item has a finish time; the status would be RUNNING"
            ),
            (
                ["stage", "declare", "d", "build", "1", "--status", "PENDING", "--finished-at", "now"],
                "the status would be PENDING"
            ),
            (
                ["attempt", "create", "d", "build", "1", "--step", "a", "--step", "a"],
                "--step: \"a\" is listed twice; each step is planned once"
            ),
            (["deployments", "list", "--app-id", ""], "--app-id is empty"),
            (["tree", "--service-id", " "], "--service-id is empty"),
            (
                ["stage", "declare", "d", "build", "1"],
                "nothing to declare: give at least one of --status, --finished-at"
            ),
            (["step", "declare", "d", "build", "1", "a", "--secret", "s"], "nothing to declare"),
        ]
        for (arguments, message) in cases {
            let result = try await kprov.run(arguments + connection(deadURL()))
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(
                result.stderr.hasPrefix("error: ") && result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }

    @Test func aStageDeclarationNeedsNoStatus() async throws {
        let simulator = try await simulator(building: "pushed")
        defer { Task { await simulator.stop() } }
        let result = try await kprov.run(
            ["stage", "declare", "pushed", "build", "1", "--image-pushed"] + connection(simulator.baseURL))
        #expect(result.status == 0, "\(result.stderr)")
        let stored = await simulator.store.deployment(id: "pushed")
        #expect(stored?.provisioningInfo?.stage(named: "build")?.attempt(id: 1)?.imagePushed == true)
    }

    @Test func helpExamplesCanBeCopiedAsTheyArePrinted() async throws {
        let root = try await kprov.run(["--help"])
        #expect(
            root.stdout.contains(
                "  kprov step declare DEPLOYMENT build 1 git-clone \\\n      --status COMPLETED --finished-at now\n"),
            "\(root.stdout)")
        let sim = try await kprov.run(["sim", "--help"])
        #expect(
            sim.stdout.contains(
                "  kprov sim --seed 7 \\\n      --chaos latency=200ms,jitter=100ms,error-rate=0.2,rate-limit=5/s\n"),
            "\(sim.stdout)")
        let watch = try await kprov.run(["watch", "--help"])
        #expect(watch.stdout.contains("Exit status:\n  0    the build completed\n  1    the build failed"))
        // No sentence is broken by a line break written into the source: every wrapped line fills the width.
        for help in [root, sim, watch] {
            let lines = help.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            for (line, next) in zip(lines, lines.dropFirst()) where !line.hasPrefix(" ") && !line.isEmpty {
                guard let word = next.split(separator: " ").first, !next.hasPrefix(" ") else { continue }
                #expect(line.count + 1 + word.count >= 80, "\(line) / \(next)")
            }
        }
    }

    @Test func valuesThatAreNotAllowedSayWhatIs() async throws {
        let cases: [([String], String)] = [
            (["--interval", "0.5"], "--interval: 0.5 is not allowed; allowed: whole seconds from 1 to 3600"),
            (["--interval", "abc"], "--interval: abc is not allowed; allowed: whole seconds from 1 to 3600"),
            (["watch", "d", "--max-outage", "-1"], "--max-outage: -1 is not allowed; allowed: whole seconds from 0"),
            (["sim", "--port", "abc"], "--port: abc is not allowed; allowed: a port from 1 to 65535, or 0 for any"),
            (["sim", "--deployments", "-1"], "--deployments: -1 is not allowed; allowed: a whole number from 0 to"),
            (["sim", "--seed", "-3"], "--seed: -3 is not allowed; allowed: a whole number from 0 to"),
            (["serve", "--rest-port", "abc"], "--rest-port: abc is not allowed; allowed: a port from 1 to 65535"),
            (["outbox", "retry", "abc"], "ID: abc is not allowed; allowed: an entry id, a whole number from 1"),
            (["deployments", "list", "--output", "xml"], "--output: xml is not allowed; allowed: table, json"),
            (["deployments", "get"], "ID is missing: give the deployment id, as `kprov deployments list` shows it"),
            (["step", "declare", "d", "build", "1"], "STEP is missing: give the step name, e.g. git-clone"),
            (["sim", "--token", ""], "--token is empty"),
            (["tree", "--timeout", "abc"], "--timeout: abc is not allowed; allowed: whole seconds from 1 to 600"),
        ]
        for (arguments, message) in cases {
            let result = try await kprov.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.hasPrefix("error: \(message)"), "\(arguments): \(result.stderr)")
        }
    }

    @Test func helpSaysWhatEachExitStatusMeans() async throws {
        for command in [["deployments", "list"], ["deployments", "get"], ["tree"]] {
            let help = try await kprov.run(command + ["--help"]).stdout
            #expect(help.contains("  3    the API could not be reached, or failed (5xx)"), "\(command): \(help)")
        }
        for command in [["attempt", "create"], ["stage", "declare"], ["step", "declare"]] {
            let help = try await kprov.run(command + ["--help"]).stdout
            #expect(help.contains("  1    the API refused the declaration"), "\(command): \(help)")
        }
        let flush = try await kprov.run(["outbox", "flush", "--help"]).stdout
        #expect(flush.contains("or for another reason, e.g. a\n       404"), "\(flush)")
        let root = try await kprov.run(["--help"]).stdout
        #expect(root.contains("--read-only") && root.contains("  kprov dashboard --help\n"), "\(root)")
        let dashboard = try await kprov.run(["dashboard", "--help"]).stdout
        #expect(dashboard.contains("~/.config/kprov/config.yaml"), "\(dashboard)")
        #expect(dashboard.contains("\n  service_id\n"), "\(dashboard)")
    }

    @Test func treeTakesTableLikeEveryOtherCommand() async throws {
        let simulator = try await simulator(building: "tree")
        defer { Task { await simulator.stop() } }
        let table = try await kprov.run(["tree", "--output", "table", "--ascii"] + connection(simulator.baseURL))
        let text = try await kprov.run(["tree", "--output", "text", "--ascii"] + connection(simulator.baseURL))
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("tree") && table.stdout == text.stdout)
    }

    @Test func theDashboardWithoutATerminalIsAUsageError() async throws {
        let result = try await kprov.run(connection(deadURL()))
        #expect(result.status == 2)
        #expect(
            result.stderr == "error: the dashboard needs a terminal; use `kprov tree` for output to a pipe or file\n")
    }

    @Test func anUnknownCommandIsNamedWithTheCommands() async throws {
        let result = try await kprov.run(["nosuchcmd"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: unknown command 'nosuchcmd'; commands: dashboard, sim, serve, attempt"))
        let nested = try await kprov.run(["outbox", "nosuch"])
        #expect(nested.stderr.hasPrefix("error: unknown command 'nosuch' for 'kprov outbox'; commands: list, flush"))
    }
}
