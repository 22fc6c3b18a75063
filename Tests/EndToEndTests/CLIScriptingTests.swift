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
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(
                    with: Result { try ChildProcess.run(["/bin/bash", "-c", script], environment: environment) })
            }
        }
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
}
