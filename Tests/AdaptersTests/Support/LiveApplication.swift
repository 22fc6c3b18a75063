import Hummingbird
import Logging
import ServiceLifecycle

/// Runs a Hummingbird application on an ephemeral port for the length of a test body, then shuts it down
/// gracefully and waits until it has stopped.
enum LiveApplication {
    /// Builds the application with `build` (handing it the listening callback), runs it, and calls `body` with
    /// the port once it listens.
    static func run<Result: Sendable>(
        _ build: (@escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol,
        _ body: (Int) async throws -> Result
    ) async throws -> Result {
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [build { portContinuation.yield($0) }], logger: Logger(label: "test.live")))
        let running = Task {
            defer { portContinuation.finish() }
            try await group.run()
        }
        guard let port = await ports.first(where: { _ in true }) else {
            // Stopped before it listened, or this test was cancelled (which ends the wait for the port too): stop
            // it, or it runs, and is waited for, forever.
            await group.triggerGracefulShutdown()
            try await running.value
            throw StartFailure()
        }
        do {
            let result = try await body(port)
            await group.triggerGracefulShutdown()
            try await running.value
            return result
        } catch {
            await group.triggerGracefulShutdown()
            _ = await running.result
            throw error
        }
    }

    struct StartFailure: Error, CustomStringConvertible {
        var description: String { "the application stopped before it listened" }
    }
}
