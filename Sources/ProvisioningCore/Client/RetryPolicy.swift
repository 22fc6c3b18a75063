/// When and how long `KoyebClient` waits before sending a request again.
///
/// Exponential back-off with full jitter (AWS's "Exponential Backoff and Jitter"): the n-th wait is a random
/// duration in `0 ... min(maximumDelay, initialDelay × 2ⁿ)`, or the server's `Retry-After` when it is longer.
/// Bounded both by the number of attempts and by the total time spent waiting.
public struct RetryPolicy: Sendable, Hashable {
    /// How many times a request is sent at most, the first time included. `1` turns retries off.
    public var maximumAttempts: Int
    /// The cap of the first back-off.
    public var initialDelay: Duration
    /// No single back-off exceeds this, except a longer `Retry-After` (itself capped by `maximumTotalDelay`).
    public var maximumDelay: Duration
    /// The total time spent waiting between attempts; once it would be exceeded the last error is returned.
    public var maximumTotalDelay: Duration

    /// A policy; `maximumAttempts` below 1 counts as 1 (no retries). The defaults are `RetryPolicy.standard`'s.
    public init(
        maximumAttempts: Int = 5, initialDelay: Duration = .milliseconds(200), maximumDelay: Duration = .seconds(5),
        maximumTotalDelay: Duration = .seconds(30)
    ) {
        self.maximumAttempts = max(1, maximumAttempts)
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.maximumTotalDelay = maximumTotalDelay
    }

    /// The defaults: 5 attempts, 200 ms first cap, 5 s per wait, 30 s in all.
    public static let standard = RetryPolicy()
    /// Never retry.
    public static let none = RetryPolicy(maximumAttempts: 1)

    /// HTTP statuses worth sending again: rate limited, or a gateway or server momentarily unavailable.
    public static let retryableStatuses: Set<Int> = [429, 502, 503, 504]

    /// The wait before retry number `retry` (0 for the first retry), given the server's `Retry-After`, using
    /// `random` (a fraction in `0..<1`) for the jitter.
    public func delay(beforeRetry retry: Int, retryAfterSeconds: Double?, random: Double) -> Duration {
        let exponent = min(retry, 30)
        let cap = min(maximumDelay, initialDelay * (1 << exponent))
        let jittered = cap * random
        guard let retryAfterSeconds, retryAfterSeconds.isFinite, retryAfterSeconds > 0 else { return jittered }
        let asked = Duration.milliseconds(Int64(min(retryAfterSeconds, RetryAfter.maximumSeconds) * 1000))
        return max(jittered, asked)
    }
}
