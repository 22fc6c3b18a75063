import Foundation
import ProvisioningCore

/// Why a refresh failed, as the header shows it.
public struct RefreshFailure: Error, Hashable, Sendable {
    /// One line: what failed.
    public var message: String
    /// The API answered 429.
    public var isRateLimited: Bool
    /// `Retry-After`, in seconds, when the API sent one.
    public var retryAfter: TimeInterval?

    public init(message: String, isRateLimited: Bool = false, retryAfter: TimeInterval? = nil) {
        self.message = message
        self.isRateLimited = isRateLimited
        self.retryAfter = retryAfter
    }

    /// The failure an error thrown by a `DeploymentSource` stands for.
    public init(_ error: any Error) {
        if let error = error as? APIError {
            self.init(
                message: error.description, isRateLimited: error.httpStatus == 429,
                retryAfter: error.retryAfterSeconds)
        } else {
            self.init(message: TerminalText.sanitized(String(describing: error), limit: 200))
        }
    }
}

/// The state of background polling: what was asked for last, when the next poll is due, what failed.
public struct RefreshStatus: Hashable, Sendable {
    /// The back-off after a 429 without `Retry-After`, as Koyeb's console does.
    public static let rateLimitBackoff: TimeInterval = 30
    /// The longest wait between polls while they fail (unless the interval itself is longer): the dashboard
    /// backs off from a failing API, and still notices within this long that it answers again.
    public static let maximumRetryDelay: TimeInterval = 30

    /// Seconds between polls.
    public var interval: TimeInterval
    /// The generation of the latest fetch asked for; replies for older ones are dropped.
    public var generation = 0
    public var isInFlight = false
    /// When the next poll starts; `nil` until the dashboard starts.
    public var nextDue: Date?
    public var lastSuccess: Date?
    /// The last failure, until a refresh succeeds again.
    public var failure: RefreshFailure?
    public var failedAt: Date?
    /// Set after a 429: no poll before this time.
    public var backoffUntil: Date?
    /// Polls failed in a row since the last success.
    public var consecutiveFailures = 0

    public init(interval: TimeInterval) {
        self.interval = interval
    }

    /// Shown data is old: the last refresh failed.
    public var isStale: Bool { failure != nil }

    /// How long to wait after the latest of `consecutiveFailures` failed polls: the interval, doubled with each
    /// further failure, up to `maximumRetryDelay`.
    public var retryDelay: TimeInterval {
        let doublings = Double(min(max(0, consecutiveFailures - 1), 16))
        return min(interval * pow(2, doublings), max(interval, Self.maximumRetryDelay))
    }
}
