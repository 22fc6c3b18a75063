import ChildProcess
import Foundation
import KoyebSimulator
import ProvisioningCore
import TestSupport
import Testing

/// The benchmark suite still runs: every `kprov-bench` benchmark once, tiny and brief, against the local API,
/// as `scripts/bench/run` drives them. No timing is checked — only that each benchmark finishes and reports
/// figures of the right shape. Paint and idle run the real dashboard in tmux, so they need tmux installed.
@Suite("Benchmark suite smoke", .serialized)
struct BenchmarkSmokeTests {
    private let token = SimulatorConfiguration.developmentToken

    @Test func renderTimesBothTreesFullyExpandedAndGivesTheirRatios() async throws {
        let report = try await BenchBinary.json([
            "render", "--deployments", "40", "--small-deployments", "4", "--iterations", "5", "--merge-iterations",
            "2", "--json",
        ])
        let small = try #require(report["small"] as? [String: Any])
        let large = try #require(report["large"] as? [String: Any])
        // One stage of three attempts of eight steps: 1 + 1 + 3 × (1 + 8) = 29 rows per deployment.
        #expect(small["rows"] as? Int == 4 * 29)
        #expect(large["rows"] as? Int == 40 * 29)
        let operations: Set = [
            "frame", "move", "page", "toggle", "merge", "merge_fresh", "merge_unchanged", "filter", "filter_widen",
        ]
        for operation in operations {
            let timing = try #require(large[operation] as? [String: Double], "no \(operation) timing")
            #expect(timing["median_us"].map { $0 > 0 } == true, "\(operation): \(timing)")
        }
        #expect((large["resident_bytes"] as? Int).map { $0 > 0 } == true)
        let ratios = try #require(report["ratio"] as? [String: Double])
        #expect(Set(ratios.keys) == operations.union(["resident"]))
    }

    @Test func clientSendsEveryCallItWasAskedFor() async throws {
        let simulator = try await SimulatorServer.start(SimulatorConfiguration(deploymentCount: 3, seed: 7))
        defer { Task { await simulator.stop() } }
        let deployment = try #require(await simulator.store.deployments().first)
        let target = ProvisioningTarget(deploymentID: deployment.id, stage: "bench", attempt: 1)
        try await simulator.store.createStageAttempt(
            target, CreateStageAttemptRequest(status: .running, steps: ["build"]))

        let report = try await BenchBinary.json([
            "client", "--url", simulator.baseURL, "--token", token, "--deployment", deployment.id, "--stage", "bench",
            "--attempt", "1", "--step", "build", "--calls", "40", "--concurrency", "4", "--json",
        ])
        #expect(report["calls"] as? Int == 40)
        #expect((report["calls_per_second"] as? Double).map { $0 > 0 } == true)
    }

    @Test func paintCountsTheBytesTheRealDashboardWrites() async throws {
        let simulator = try await SimulatorServer.start(SimulatorConfiguration(deploymentCount: 30, seed: 7))
        defer { Task { await simulator.stop() } }
        let report = try await BenchBinary.json([
            "paint", "--kprov", KprovBinary.path, "--url", simulator.baseURL, "--token", token, "--moves", "2",
            "--idle-seconds", "1", "--json",
        ])
        #expect((report["first_draw_bytes"] as? Int).map { $0 > 1000 } == true, "\(report)")
        #expect((report["move_bytes_median"] as? Double).map { $0 > 0 } == true, "\(report)")
        #expect(report["idle_changed_lines"] is [Int])
    }

    @Test func idleReadsTheCPUOfTheRealDashboardInEachSituation() async throws {
        let simulator = try await SimulatorServer.start(SimulatorConfiguration(deploymentCount: 30, seed: 7))
        defer { Task { await simulator.stop() } }
        let report = try await BenchBinary.json([
            "idle", "--kprov", KprovBinary.path, "--url", simulator.baseURL, "--token", token, "--seconds", "0.5",
            "--settle", "0.2", "--situation", "tree", "--situation", "follow", "--json",
        ])
        #expect(Set(report.keys) == ["tree", "follow"])
        let tree = try #require(report["tree"] as? [String: Any])
        #expect((tree["cpu_percent"] as? Double).map { $0 >= 0 } == true, "\(tree)")
    }

    @Test func theRunScriptAndItsReportParse() async throws {
        let root = PackageFiles.root
        let shell = try await BenchBinary.run("/bin/bash", ["-n", root + "/scripts/bench/run"])
        #expect(shell.status == 0, "\(shell.stderr)")
        let python = try await BenchBinary.run(
            "/usr/bin/env",
            [
                "python3", "-c", "import ast,sys; ast.parse(open(sys.argv[1]).read())",
                root + "/scripts/bench/report.py",
            ])
        #expect(python.status == 0, "\(python.stderr)")
    }
}

/// Runs the built `kprov-bench` (and other programs) on a thread of its own, so a test waiting for a
/// benchmark does not hold a thread of the concurrency pool the in-process simulator needs.
enum BenchBinary {
    /// The built `kprov-bench`.
    static var path: String { PackageFiles.executable("kprov-bench") }

    /// Runs `kprov-bench arguments…`, which must succeed and print one JSON object.
    static func json(_ arguments: [String]) async throws -> [String: Any] {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw KprovBinary.BinaryMissing(path: path)
        }
        let result = try await run(path, arguments)
        try #require(result.status == 0, "kprov-bench \(arguments.first ?? "") failed: \(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return try #require(object as? [String: Any], "not a JSON object: \(result.stdout)")
    }

    /// Runs `executable arguments…` to completion, on a thread of its own.
    static func run(_ executable: String, _ arguments: [String]) async throws -> ChildProcess.Outcome {
        try await onOwnThread { try ChildProcess.run([executable] + arguments) }
    }
}
