import Foundation

/// The faults the simulator injects, as `--chaos` sets them, e.g.
/// `latency=200ms,jitter=100ms,error-rate=0.2,rate-limit=5/s,drop=0.05`. Everything is off by default.
public struct ChaosConfiguration: Sendable, Hashable {
    /// Added to every answer.
    public var latency: Duration
    /// A further delay drawn uniformly from `0...jitter`.
    public var jitter: Duration
    /// The share of requests (0–1) answered with a 500 or 503 `Error` instead of being handled.
    public var errorRate: Double
    /// Requests per second allowed before answering 429 with `Retry-After`; `nil` means no limit.
    public var rateLimit: Double?
    /// The share of requests (0–1) whose connection is closed without an answer — half of them before the
    /// request is handled, half after (the change is made but the reply is lost).
    public var dropRate: Double

    /// No faults.
    public static let none = ChaosConfiguration()

    public init(
        latency: Duration = .zero, jitter: Duration = .zero, errorRate: Double = 0, rateLimit: Double? = nil,
        dropRate: Double = 0
    ) {
        self.latency = latency
        self.jitter = jitter
        self.errorRate = errorRate
        self.rateLimit = rateLimit
        self.dropRate = dropRate
    }

    /// Whether any fault is configured.
    public var isEnabled: Bool { self != .none }

    /// The keys `--chaos` accepts, for messages.
    public static let allowedKeys = "latency=200ms, jitter=100ms, error-rate=0.2, rate-limit=5/s, drop=0.05"

    /// Parses `key=value` pairs separated by commas, e.g. `latency=200ms,error-rate=0.2`. An empty text means no
    /// faults. Throws a `ChaosConfiguration.ParseError` naming the bad key or value and what is allowed.
    public init(parsing text: String) throws(ParseError) {
        self.init()
        for item in text.split(separator: ",", omittingEmptySubsequences: true) {
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[1].isEmpty else {
                throw ParseError("\"\(item)\" is not key=value; allowed: \(Self.allowedKeys)")
            }
            let (key, value) = (parts[0], parts[1])
            switch key {
            case "latency": latency = try Self.duration(value, key: key)
            case "jitter": jitter = try Self.duration(value, key: key)
            case "error-rate": errorRate = try Self.fraction(value, key: key)
            case "drop": dropRate = try Self.fraction(value, key: key)
            case "rate-limit": rateLimit = try Self.rate(value)
            default:
                throw ParseError("unknown key \"\(key)\"; allowed: \(Self.allowedKeys)")
            }
        }
    }

    // MARK: - Values

    private static func duration(_ text: String, key: String) throws(ParseError) -> Duration {
        let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1)]
        for unit in units where text.hasSuffix(unit.suffix) {
            if let number = Double(text.dropLast(unit.suffix.count)), number >= 0, number <= 60 / unit.seconds {
                return .milliseconds(Int64((number * unit.seconds * 1000).rounded()))
            }
        }
        throw ParseError("\(key)=\(text) is not a duration; allowed: 0ms to 60s, e.g. \(key)=200ms or \(key)=1.5s")
    }

    private static func fraction(_ text: String, key: String) throws(ParseError) -> Double {
        guard let number = Double(text), number >= 0, number <= 1 else {
            throw ParseError("\(key)=\(text) is not a fraction; allowed: a number from 0 to 1, e.g. \(key)=0.2")
        }
        return number
    }

    private static func rate(_ text: String) throws(ParseError) -> Double {
        guard text.hasSuffix("/s"), let number = Double(text.dropLast(2)), number >= 0.001, number <= 100_000 else {
            throw ParseError(
                "rate-limit=\(text) is not a rate; allowed: 0.001/s to 100000/s requests per second, e.g. rate-limit=5/s"
            )
        }
        return number
    }

    /// A `--chaos` text that could not be read. Its description is one line naming the problem.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}
