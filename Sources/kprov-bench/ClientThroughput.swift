import ArgumentParser
import Foundation
import ProvisioningCore

/// `kprov-bench client`: `declareStepProgress` calls as fast as `KoyebClient` sends them, N in flight.
struct ClientThroughput: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "client",
        abstract: "Calls per second and latency of KoyebClient.declareStepProgress against a running API.",
        discussion: """
            Example (a simulator on :8000 with an attempt whose step is `build`):
              kprov-bench client --url http://127.0.0.1:8000 --token kprov-dev-token \\
                  --deployment D --stage build --attempt 1 --step build --calls 10000 --concurrency 16
            """)

    @Option(help: "The API base URL.") var url: String
    @Option(help: "The API token.") var token: String
    @Option(help: "The deployment id.") var deployment: String
    @Option(help: "The stage.") var stage = "build"
    @Option(help: "The attempt number.") var attempt: Int64 = 1
    @Option(help: "The step.") var step = "build"
    @Option(help: "How many calls in all.") var calls = 10_000
    @Option(help: "How many calls in flight at once.") var concurrency = 16
    @Flag(help: "Print one JSON object instead of a sentence.") var json = false

    func run() async throws {
        let client = KoyebClient(
            configuration: KoyebClientConfiguration(
                baseURL: try APIBaseURL(parsing: url), token: APIToken(token), retryPolicy: .none,
                maximumConnections: concurrency))
        let target = ProvisioningTarget(deploymentID: deployment, stage: stage, attempt: attempt, step: step)
        let request = DeclareStepProgressRequest(status: .running, messages: ["bench"])
        // Warm the connection pool so connection set-up is not measured.
        for _ in 0..<concurrency { _ = try await client.declareStepProgress(target, request) }

        let clock = ContinuousClock()
        let cpuBefore = ProcessCPU.ownSeconds()
        let started = clock.now
        let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
            for worker in 0..<concurrency {
                let share = calls / concurrency + (worker < calls % concurrency ? 1 : 0)
                group.addTask {
                    var own: [Duration] = []
                    own.reserveCapacity(share)
                    for _ in 0..<share {
                        let sent = clock.now
                        _ = try await client.declareStepProgress(target, request)
                        own.append(clock.now - sent)
                    }
                    return own
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }.sorted()
        }
        let elapsed = clock.now - started
        let cpu = ProcessCPU.ownSeconds() - cpuBefore
        await client.shutdown()
        let summary = LatencySummary(latencies: latencies, elapsed: elapsed, cpuSeconds: cpu)
        print(json ? summary.json : summary.sentence(label: "kprov KoyebClient"))
    }
}

/// Throughput and latency percentiles of one load run.
struct LatencySummary {
    var callsPerSecond: Double
    var p50Milliseconds: Double
    var p99Milliseconds: Double
    var calls: Int
    /// CPU this process used per call (user + system), in microseconds.
    var cpuMicrosecondsPerCall: Double

    init(latencies sorted: [Duration], elapsed: Duration, cpuSeconds: Double) {
        func milliseconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        }
        calls = sorted.count
        callsPerSecond = Double(sorted.count) / (milliseconds(elapsed) / 1000)
        p50Milliseconds = sorted.isEmpty ? 0 : milliseconds(sorted[sorted.count / 2])
        p99Milliseconds = sorted.isEmpty ? 0 : milliseconds(sorted[min(sorted.count - 1, sorted.count * 99 / 100)])
        cpuMicrosecondsPerCall = sorted.isEmpty ? 0 : cpuSeconds * 1e6 / Double(sorted.count)
    }

    var json: String {
        String(
            format:
                #"{"calls": %d, "calls_per_second": %.1f, "p50_ms": %.3f, "p99_ms": %.3f, "cpu_us_per_call": %.1f}"#,
            calls, callsPerSecond, p50Milliseconds, p99Milliseconds, cpuMicrosecondsPerCall)
    }

    func sentence(label: String) -> String {
        String(
            format: "%@: %d calls, %.0f calls/s, p50 %.3f ms, p99 %.3f ms, %.1f µs CPU per call", label, calls,
            callsPerSecond, p50Milliseconds, p99Milliseconds, cpuMicrosecondsPerCall)
    }
}
