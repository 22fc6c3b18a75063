import Logging
import NIOCore
import ProvisioningCore
import ServiceLifecycle

/// The simulator running in-process, for tests and tools: start it (port 0 picks a free port), talk to
/// `baseURL`, read or seed its `store`, and `stop()` it.
public final class SimulatorServer: Sendable {
    /// The port the server listens on.
    public let port: Int
    /// `http://<host>:<port>`.
    public let baseURL: String
    /// The store behind the API.
    public let store: SimulatorStore
    /// The seed in use (see `SimulatorApplication.seed`).
    public let seed: UInt64
    private let serviceGroup: ServiceGroup
    private let task: Task<Void, any Error>

    private init(
        port: Int, host: String, simulator: SimulatorApplication, serviceGroup: ServiceGroup,
        task: Task<Void, any Error>
    ) {
        self.port = port
        baseURL = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        store = simulator.store
        seed = simulator.seed
        self.serviceGroup = serviceGroup
        self.task = task
    }

    /// Builds the simulator with `buildApplication`, starts it, and returns once it listens.
    /// - Throws: `ConfigurationError` for a bad configuration or state file, or when the address cannot be bound;
    ///   `CancellationError` when cancelled before the server listens (the server is stopped first).
    public static func start(
        _ configuration: SimulatorConfiguration, logger: Logger = SimulatorApplication.defaultLogger()
    ) async throws -> SimulatorServer {
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let simulator = try await buildApplication(configuration, logger: logger) { portContinuation.yield($0) }
        let serviceGroup = ServiceGroup(
            configuration: .init(services: [simulator.application], gracefulShutdownSignals: [], logger: logger))
        let task = Task {
            defer { portContinuation.finish() }
            try await serviceGroup.run()
        }
        for await port in ports {
            return SimulatorServer(
                port: port, host: configuration.host, simulator: simulator, serviceGroup: serviceGroup, task: task)
        }
        // No port: the server ended before it listened, or this start was cancelled, which ends the wait for the
        // port too. Then the server must be stopped here: nobody else can, and it would run, and be waited for,
        // forever.
        await serviceGroup.triggerGracefulShutdown()
        do {
            try await task.value
        } catch let error as IOError {
            throw simulator.listenFailure(error)
        }
        try Task.checkCancellation()
        throw ConfigurationError(
            "the simulator stopped before listening on \(configuration.host):\(configuration.port)")
    }

    /// Stops the server, then the builders, then saves the state one last time; returns when all have stopped.
    public func stop() async {
        await serviceGroup.triggerGracefulShutdown()
        _ = await task.result
    }
}
