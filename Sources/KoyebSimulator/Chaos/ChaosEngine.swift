/// Decides, request by request, which fault to inject. Every request draws the same number of values from a
/// seeded generator whatever happens to it, so a given seed and the same sequence of requests give the same
/// faults; only the rate limit depends on timing.
actor ChaosEngine {
    private let configuration: ChaosConfiguration
    private var random: SplitMix64
    private var bucket: TokenBucket?

    init(configuration: ChaosConfiguration, seed: UInt64) {
        self.configuration = configuration
        random = SplitMix64(seed: seed, stream: "chaos")
        bucket = configuration.rateLimit.map { TokenBucket(ratePerSecond: $0) }
    }

    /// The delay and fault for the next request.
    func decide(at now: ContinuousClock.Instant = .now) -> ChaosDecision {
        let jitterDraw = random.unit()
        let errorDraw = random.unit()
        let dropDraw = random.unit()
        let variantDraw = random.unit()
        let delay = configuration.latency + .seconds(configuration.jitter.seconds * jitterDraw)
        if let wait = bucket?.take(at: now) {
            let seconds = max(1, Int(wait.seconds.rounded(.up)))
            return ChaosDecision(
                delay: delay, fault: .rateLimited(retryAfterSeconds: seconds, plainText: variantDraw < 0.5))
        }
        if errorDraw < configuration.errorRate {
            return ChaosDecision(delay: delay, fault: .failure(unavailable: variantDraw < 0.5))
        }
        if dropDraw < configuration.dropRate {
            return ChaosDecision(delay: delay, fault: .drop(afterHandling: variantDraw < 0.5))
        }
        return ChaosDecision(delay: delay, fault: nil)
    }
}

/// What fault injection does to one request: wait `delay`, then inject `fault`, or handle it normally.
struct ChaosDecision: Sendable, Hashable {
    enum Fault: Sendable, Hashable {
        /// 429 with `Retry-After`; as Koyeb's edge sometimes does, the body may be plain text rather than JSON.
        case rateLimited(retryAfterSeconds: Int, plainText: Bool)
        /// 500, or 503 when `unavailable`, with an `Error` body.
        case failure(unavailable: Bool)
        /// The connection closes without an answer; `afterHandling` means the request took effect first.
        case drop(afterHandling: Bool)
    }

    var delay: Duration
    var fault: Fault?
}

/// A token bucket holding up to one second's worth of requests.
struct TokenBucket: Sendable {
    let ratePerSecond: Double
    private var tokens: Double
    private var refilledAt: ContinuousClock.Instant?

    init(ratePerSecond: Double) {
        self.ratePerSecond = ratePerSecond
        tokens = max(1, ratePerSecond)
    }

    /// Takes a token; when there is none, returns how long until there will be one.
    mutating func take(at now: ContinuousClock.Instant) -> Duration? {
        let capacity = max(1, ratePerSecond)
        if let refilledAt { tokens = min(capacity, tokens + (now - refilledAt).seconds * ratePerSecond) }
        refilledAt = now
        guard tokens >= 1 else { return .seconds((1 - tokens) / ratePerSecond) }
        tokens -= 1
        return nil
    }
}
