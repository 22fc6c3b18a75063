import ProvisioningCore

/// Everything that shapes one run of the local Koyeb API: where it listens, who may call it, what it holds and
/// how it misbehaves. `kprov sim` fills it from its options; tests build one directly.
public struct SimulatorConfiguration: Sendable {
    /// The token accepted when no other is configured. Printed by `kprov sim` at start; only for local use.
    public static let developmentToken = "kprov-dev-token"

    /// The address to bind; `127.0.0.1` keeps the simulator private to this machine.
    public var host: String
    /// The port to bind; `0` lets the system pick a free one (read it back from `SimulatorServer.port`).
    public var port: Int
    /// The bearer tokens the API accepts.
    public var acceptedTokens: [String]
    /// How many deployments to generate at start when there is no state file to load.
    public var deploymentCount: Int
    /// Makes seed data, builders and fault injection reproducible; `nil` picks a random seed.
    public var seed: UInt64?
    /// Whether simulated builders drive pending deployments through their build, and new deployments appear.
    public var builders: Bool
    /// Pace of builders and roll-outs: a build step takes about 1–3 s divided by `speed`.
    public var speed: Double
    /// A JSON file the store is loaded from at start and saved to after every change; `nil` keeps it in memory.
    public var statePath: String?
    /// Faults to inject; none by default.
    public var chaos: ChaosConfiguration
    /// A provisioning secret every generated deployment requires in the request body's `secret`; `nil` means
    /// generated deployments accept declarations without one.
    public var provisioningSecret: String?
    /// The largest request body accepted; a bigger one gets 413.
    public var maximumBodyBytes: Int
    /// The deepest JSON nesting accepted in a request body; deeper gets 400.
    public var maximumNestingDepth: Int
    /// How long a connection may send nothing — between requests, or stalled inside one — before it is closed.
    /// It also bounds how long such a client can hold up stopping the server.
    public var connectionIdleTimeout: Duration

    public init(
        host: String = "127.0.0.1", port: Int = 0, acceptedTokens: [String] = [Self.developmentToken],
        deploymentCount: Int = 0, seed: UInt64? = nil, builders: Bool = false, speed: Double = 1,
        statePath: String? = nil, chaos: ChaosConfiguration = .none, provisioningSecret: String? = nil,
        maximumBodyBytes: Int = 1 << 20, maximumNestingDepth: Int = 64,
        connectionIdleTimeout: Duration = ServerLimits.connectionIdleTimeout
    ) {
        self.host = host
        self.port = port
        self.acceptedTokens = acceptedTokens
        self.deploymentCount = deploymentCount
        self.seed = seed
        self.builders = builders
        self.speed = speed
        self.statePath = statePath
        self.chaos = chaos
        self.provisioningSecret = provisioningSecret
        self.maximumBodyBytes = maximumBodyBytes
        self.maximumNestingDepth = maximumNestingDepth
        self.connectionIdleTimeout = connectionIdleTimeout
    }

    /// Allowed range of `port` (0 picks any free port).
    public static let portRange: ClosedRange<Int> = 0...65_535
    /// Allowed range of `speed`.
    public static let speedRange: ClosedRange<Double> = 0.001...1000
    /// Allowed range of `deploymentCount`.
    public static let deploymentCountRange: ClosedRange<Int> = 0...100_000

    /// Throws a `ConfigurationError` naming the first value that is out of range and what is allowed. Settings
    /// are named as the `kprov sim` options that set them (`--speed: 0.0 is out of range; …`).
    public func validate() throws(ConfigurationError) {
        try Self.check("--port", port, in: Self.portRange)
        guard !acceptedTokens.isEmpty, acceptedTokens.allSatisfy({ !$0.isEmpty }) else {
            throw ConfigurationError("the accepted tokens must be non-empty strings, and at least one is needed")
        }
        try Self.check("--deployments", deploymentCount, in: Self.deploymentCountRange)
        try Self.check("--speed", speed, in: Self.speedRange)
        guard maximumBodyBytes > 0, maximumNestingDepth > 0 else {
            throw ConfigurationError("the body size and nesting depth limits must be positive")
        }
        if let provisioningSecret, provisioningSecret.isEmpty {
            throw ConfigurationError("the provisioning secret must not be empty")
        }
    }

    private static func check<Value: Comparable>(
        _ option: String, _ value: Value, in range: ClosedRange<Value>
    ) throws(ConfigurationError) {
        guard !range.contains(value) else { return }
        throw ConfigurationError(
            "\(option): \(value) is out of range; allowed: \(range.lowerBound) to \(range.upperBound)")
    }
}
