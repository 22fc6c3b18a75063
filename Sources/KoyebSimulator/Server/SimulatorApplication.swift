import Foundation
import Hummingbird
import Logging
import NIOCore
import ProvisioningCore
import ServiceLifecycle

/// The simulator, assembled and ready to run: the Hummingbird application and the store it serves.
///
/// `kprov sim` runs it until a signal; `SimulatorServer.start` runs it in-process for tests. Both build it with
/// `buildApplication`, so both serve exactly the same thing.
public struct SimulatorApplication: Sendable {
    /// The store behind the API.
    public let store: SimulatorStore
    /// The seed in use: the configured one, or the one picked at random (pass it as `--seed` to replay).
    public let seed: UInt64
    let application: Application<RouterResponder<SimulatorRequestContext>>
    /// The address to listen on, for messages.
    let address: String

    /// Runs until SIGINT or SIGTERM, then stops cleanly: the server first, then the builders, then a last save.
    /// - Throws: `ConfigurationError` when the address cannot be bound.
    public func runUntilSignalled() async throws {
        do {
            try await application.runService()
        } catch let error as IOError {
            throw listenFailure(error)
        }
    }

    /// A one-line error for a socket failure at start, e.g.
    /// `cannot listen on 127.0.0.1:8000: Address already in use`.
    func listenFailure(_ error: IOError) -> ConfigurationError {
        ConfigurationError("cannot listen on \(address): \(String(cString: strerror(error.errnoCode)))")
    }

    /// A logger for the simulator: notices and worse, so a terminal running `kprov sim` stays readable.
    public static func defaultLogger() -> Logger {
        var logger = Logger(label: "kprov.sim")
        logger.logLevel = .notice
        return logger
    }
}

/// Builds the simulator for `configuration`: loads the state file or generates seed data, sets up the routes,
/// authentication, fault injection and the simulated platform.
///
/// - Parameter onServerRunning: called with the bound port once the server listens (useful with port 0).
/// - Throws: `ConfigurationError` for a configuration out of range or an unreadable state file.
public func buildApplication(
    _ configuration: SimulatorConfiguration, logger: Logger = SimulatorApplication.defaultLogger(),
    onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
) async throws -> SimulatorApplication {
    try configuration.validate()
    let seed = configuration.seed ?? UInt64.random(in: .min ... .max)
    let world = SeedWorld(seed: seed)
    let persister = configuration.statePath.map { StatePersister(path: $0, logger: logger) }
    let store = try await makeStore(configuration, seed: seed, world: world, persister: persister)

    let router = Router(context: SimulatorRequestContext.self)
    router.add(middleware: ErrorBodyMiddleware(maximumBodyBytes: configuration.maximumBodyBytes))
    if configuration.chaos.isEnabled {
        router.add(middleware: ChaosMiddleware(engine: ChaosEngine(configuration: configuration.chaos, seed: seed)))
    }
    router.add(middleware: AuthenticationMiddleware(acceptedTokens: configuration.acceptedTokens))
    DeploymentRoutes(store: store).register(on: router)
    ProvisioningRoutes(
        store: store,
        bodyReader: RequestBodyReader(
            maximumBytes: configuration.maximumBodyBytes, maximumDepth: configuration.maximumNestingDepth)
    ).register(on: router)

    let platform = SimulatedPlatform(
        store: store, pace: Pace(speed: configuration.speed), builders: configuration.builders, seed: seed,
        world: world, provisioningSecret: configuration.provisioningSecret, logger: logger)
    // The service group stops services in reverse order: the server, then the platform, then the persister's
    // last save.
    let services: [any Service] = (persister.map { [$0] } ?? []) + [platform]
    let application = Application(
        router: router,
        server: .http1(configuration: .init(idleTimeout: TimeAmount(configuration.connectionIdleTimeout))),
        configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port)),
        services: services,
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger.deferringMetadata())
    return SimulatorApplication(
        store: store, seed: seed, application: application, address: "\(configuration.host):\(configuration.port)")
}

/// The store: loaded from the state file when there is one, else seeded (and saved at once, so a bad path
/// fails at start rather than at the first change).
private func makeStore(
    _ configuration: SimulatorConfiguration, seed: UInt64, world: SeedWorld, persister: StatePersister?
) async throws -> SimulatorStore {
    if let path = configuration.statePath, let saved = try StateFile.load(path: path) {
        return try SimulatorStore(saved, persister: persister)
    }
    var generator = SeedGenerator(world: world, seed: seed, stream: "seed-data")
    let seeded = generator.deployments(count: configuration.deploymentCount, now: Date()).map {
        StoredDeployment(deployment: $0, secret: configuration.provisioningSecret)
    }
    let store = try SimulatorStore(seeded, persister: persister)
    if let path = configuration.statePath {
        do {
            try StateFile.write(await store.snapshot(), to: path)
        } catch {
            throw ConfigurationError("\(path): the state file cannot be written: \(error)")
        }
    }
    return store
}
