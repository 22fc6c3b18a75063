import ArgumentParser
import Foundation
import KoyebSimulator
import ProvisioningCore

/// `kprov sim`: a local stand-in for Koyeb's API, with simulated deployments, builders and faults.
struct Sim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a local Koyeb API with realistic deployments, simulated builders and optional faults.",
        discussion: """
            Examples:
              kprov sim --port 8000 --builders
              kprov sim --port 0 --deployments 50 --seed 42 --state sim-state.json
              kprov sim --seed 7 \\
                  --chaos latency=200ms,jitter=100ms,error-rate=0.2,rate-limit=5/s

            Then, from another terminal:
              kprov deployments list --url http://127.0.0.1:8000 --token kprov-dev-token

            Stop it with Ctrl-C (or SIGTERM): the server stops, builders stop, and the state file is saved.
            """)

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(
        help: "The port to listen on; 0 picks a free one (the URL is printed). (default: 8000)",
        transform: AllowedNumbers.port.parse)
    var port = 8000

    @Option(
        name: .customLong("token"),
        help: "A bearer token the API accepts (repeatable). Default: \(SimulatorConfiguration.developmentToken).")
    var tokens: [String] = []

    @Option(
        help: "How many deployments to generate when no state file is loaded (0–100000). (default: 20)",
        transform: AllowedNumbers(SimulatorConfiguration.deploymentCountRange).parse)
    var deployments = 20

    @Option(
        help: "Makes seed data, builders and faults reproducible (a whole number from 0 to \(UInt64.max)).",
        transform: AllowedNumbers(UInt64.min...UInt64.max).parse)
    var seed: UInt64?

    @Flag(help: "Run simulated builders: pending deployments get built, and new deployments keep arriving.")
    var builders = false

    @Option(
        help:
            "Pace of builders and roll-outs, 0.001–1000; a build step takes about 1–3 s divided by this. (default: 1)",
        transform: AllowedNumbers(SimulatorConfiguration.speedRange, description: "a number from 0.001 to 1000").parse)
    var speed: Double = 1

    @Option(help: "Keep the deployments in this JSON file (mode 0600): loaded at start, saved after every change.")
    var state: String?

    @Option(help: "Faults to inject, e.g. \(ChaosConfiguration.allowedKeys.replacingOccurrences(of: ", ", with: ",")).")
    var chaos: String?

    @Option(help: "A provisioning secret every generated deployment requires in declarations (never printed).")
    var provisioningSecret: String?

    func validate() throws {
        for token in tokens { try requireNonEmpty(token, name: "--token") }
        _ = try makeConfiguration(seed: seed ?? 0)
    }

    func run() async throws {
        let configuration = try makeConfiguration(seed: seed ?? UInt64.random(in: .min ... .max))
        let banner = banner(configuration)
        let simulator: SimulatorApplication
        do {
            simulator = try await buildApplication(configuration) { banner.print(port: $0) }
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        do {
            try await ListenHost.resolving(host) { try await simulator.runUntilSignalled() }
        } catch  where !(error is ConfigurationError || error is ValidationError) {
            // A port in use or a host that is not this machine's is a usage error (exit 2): `Kprov.main` says so.
            CommandOutcome.printError("\(error)")
            throw ExitCode.failure
        }
    }

    // MARK: - Configuration

    private func makeConfiguration(seed: UInt64) throws -> SimulatorConfiguration {
        let faults: ChaosConfiguration
        do {
            faults = try ChaosConfiguration(parsing: chaos ?? "")
        } catch {
            throw ValidationError("--chaos: \(error)")
        }
        let configuration = SimulatorConfiguration(
            host: host, port: port, acceptedTokens: tokens.isEmpty ? [SimulatorConfiguration.developmentToken] : tokens,
            deploymentCount: deployments, seed: seed, builders: builders, speed: speed, statePath: state, chaos: faults,
            provisioningSecret: provisioningSecret)
        do {
            try configuration.validate()
        } catch {
            throw ValidationError(error.description)
        }
        return configuration
    }

    // MARK: - Output

    private func banner(_ configuration: SimulatorConfiguration) -> Banner {
        let world = [
            state.map { path in
                FileManager.default.fileExists(atPath: path)
                    ? "loaded from state file \(path)"
                    : "\(deployments) generated deployments, kept in new state file \(path)"
            } ?? "\(deployments) generated deployments",
            builders ? "builders on at speed \(speed)" : "builders off (--builders starts them)",
            configuration.chaos.isEnabled ? "chaos \(chaos ?? "")" : "no chaos",
            provisioningSecret == nil ? nil : "provisioning secret required",
        ]
        return Banner(
            host: host, customTokens: !tokens.isEmpty, seed: configuration.seed ?? 0,
            world: world.compactMap { $0 }.joined(separator: ", "))
    }

    /// What `kprov sim` prints once it listens. Shows the development token only when it is the one in use;
    /// tokens given with `--token` and the provisioning secret are never printed.
    struct Banner: Sendable {
        let host: String
        let customTokens: Bool
        let seed: UInt64
        let world: String

        func text(port: Int) -> String {
            let url = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
            let token = customTokens ? "…" : SimulatorConfiguration.developmentToken
            let tokenNote =
                customTokens ? "as given with --token" : token + "  (development default; set yours with --token)"
            return """
                kprov sim listening on \(url)
                  token:  \(tokenNote)
                  seed:   \(seed)  (pass --seed \(seed) to replay)
                  world:  \(world)
                Try:  kprov deployments list --url \(url) --token \(token)
                Stop with Ctrl-C.

                """
        }

        /// Prints straight to standard output, unbuffered, so a script reading the URL from a pipe sees it at once.
        func print(port: Int) {
            Console.output(text(port: port))
        }
    }
}
