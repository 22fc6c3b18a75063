import Foundation
import Logging
import ServiceLifecycle

/// Koyeb's side of the world, simulated: deployments whose build completed roll out to HEALTHY by themselves;
/// with builders on, builders take pending deployments through their build and new deployments keep arriving,
/// so a watcher sees movement.
///
/// Runs as a service and stops with the server: every loop ends when the service group shuts down.
struct SimulatedPlatform: Service {
    /// How many builds run at once.
    static let builderCount = 4
    /// Arrivals stop once the store holds this many deployments.
    static let arrivalLimit = 10_000

    let store: SimulatorStore
    let pace: Pace
    let builders: Bool
    let seed: UInt64
    let world: SeedWorld
    /// The provisioning secret new deployments require, as for seed data.
    let provisioningSecret: String?
    let logger: Logger

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingDiscardingTaskGroup { group in
                    group.addTask { try await rollOut() }
                    guard builders else { return }
                    for _ in 0..<Self.builderCount { group.addTask { try await build() } }
                    group.addTask { try await arrive() }
                }
            }
        } catch is CancellationError {
            return
        }
    }

    // MARK: - Loops

    /// Moves SCHEDULED deployments on through ALLOCATING and STARTING to HEALTHY.
    private func rollOut() async throws {
        while true {
            try await Task.sleep(for: pace.rolloutTick)
            do {
                try await store.advanceRollouts(now: Date(), phase: pace.rolloutPhase)
            } catch let error as SimulatorError {
                logger.warning("roll-out could not be saved: \(error)")
            }
        }
    }

    /// One builder: claims a deployment that waits for a build, builds it, and looks for the next.
    private func build() async throws {
        while true {
            guard let claim = await store.claimBuild(stage: BuildCatalog.stage) else {
                try await Task.sleep(for: pace.poll)
                continue
            }
            var build = SimulatedBuild(
                deployment: claim.deployment, secret: claim.secret, store: store, pace: pace, seed: seed)
            do {
                try await build.run()
                await store.releaseBuild(claim.deployment.id)
            } catch let error as SimulatorError {
                // Someone else declared progress for this build and the rules refused ours. The claim is kept, so
                // no builder tries this deployment again during this run.
                logger.notice("a simulated builder stopped building \(claim.deployment.id): \(error)")
            }
        }
    }

    /// New deployments, PENDING, every few seconds.
    private func arrive() async throws {
        var random = SplitMix64(seed: seed, stream: "arrival-times")
        var generator = SeedGenerator(world: world, seed: seed, stream: "arrivals")
        while true {
            try await Task.sleep(for: pace.arrival(using: &random))
            guard await store.count < Self.arrivalLimit else { continue }
            do {
                try await store.insert(generator.newDeployment(createdAt: Date()), secret: provisioningSecret)
            } catch let error as SimulatorError {
                logger.warning("a new deployment could not be saved: \(error)")
            }
        }
    }
}
