import ProvisioningCore

/// Follows one deployment's build for `kprov watch`: polls until the build ends and reports each change, rides
/// out short API outages with back-off, and after a retryable failure waits a bounded time for the next attempt.
public struct BuildFollower: Sendable {
    /// How long the follower waits, and for what.
    public struct Limits: Sendable {
        /// Between two polls while the API answers.
        public var interval: Duration
        /// How long the API may fail in a row (unreachable, 5xx, 429) before the watch gives up.
        public var maximumOutage: Duration
        /// After an attempt failed with a retryable failure, how long to wait for the next attempt before the
        /// failure is taken as the build's result.
        public var retryWait: Duration
        /// The longest pause between polls while the API fails; the pause doubles from `interval` up to it.
        public var maximumBackoff: Duration

        public init(
            interval: Duration, maximumOutage: Duration, retryWait: Duration, maximumBackoff: Duration = .seconds(30)
        ) {
            self.interval = interval
            self.maximumOutage = maximumOutage
            self.retryWait = retryWait
            self.maximumBackoff = maximumBackoff
        }
    }

    /// What the follower reports as it goes.
    public enum Event: Hashable, Sendable {
        /// What changed since the last poll, one line each (see `BuildWatcher.changes`).
        case changes([String])
        /// A poll failed and others will follow, with back-off, for up to `maximumOutage`; once per outage.
        case outageBegan(APIError)
        /// The API answers again after failing for this long.
        case outageEnded(after: Duration)
        /// This attempt failed with a retryable failure; the follower waits up to `retryWait` for the next.
        case awaitingRetry(attempt: Int64)
        /// No new attempt came within `retryWait`: the failure stands.
        case retryNeverCame(attempt: Int64)
    }

    /// How the watch ended.
    public enum End: Hashable, Sendable {
        case completed
        /// FAILED or ABORTED.
        case failed(ProvisioningStatus)
        /// The deployment has no build and will not get one.
        case noBuild(DeploymentStatus)
        /// The API failed for `after` in a row, reaching `maximumOutage`; its last failure.
        case gaveUp(APIError, after: Duration)
    }

    /// Time as the follower sees it. Tests pass a virtual clock.
    public struct Clock: Sendable {
        public var now: @Sendable () -> ContinuousClock.Instant
        public var sleep: @Sendable (Duration) async throws -> Void

        public init(
            now: @escaping @Sendable () -> ContinuousClock.Instant,
            sleep: @escaping @Sendable (Duration) async throws -> Void
        ) {
            self.now = now
            self.sleep = sleep
        }

        /// The real one.
        public static let continuous = Clock(now: { .now }, sleep: { try await Task.sleep(for: $0) })
    }

    public var limits: Limits
    public var glyphs: Glyphs
    public var clock: Clock

    public init(limits: Limits, glyphs: Glyphs, clock: Clock = .continuous) {
        self.limits = limits
        self.glyphs = glyphs
        self.clock = clock
    }

    /// Polls `fetch` until the build ends. A refusal (a 4xx other than 408 and 429) is thrown at once; any other
    /// failure starts or continues an outage.
    public func follow(
        fetch: () async throws -> Deployment, report: (Event) -> Void
    ) async throws -> End {
        var previous: Deployment?
        var outage: (since: ContinuousClock.Instant, pause: Duration)?
        var retry: (attempt: Int64, since: ContinuousClock.Instant)?
        while true {
            let current: Deployment
            do {
                current = try await fetch()
            } catch let error as APIError where !error.isClientError {
                let (since, pause) = outage ?? (clock.now(), limits.interval)
                let elapsed = since.duration(to: clock.now())
                guard elapsed < limits.maximumOutage else { return .gaveUp(error, after: elapsed) }
                if outage == nil { report(.outageBegan(error)) }
                try await clock.sleep(min(pause, limits.maximumOutage - elapsed))
                outage = (since, min(pause * 2, limits.maximumBackoff))
                continue
            }
            if let since = outage?.since {
                report(.outageEnded(after: since.duration(to: clock.now())))
                outage = nil
            }
            let lines = BuildWatcher.changes(from: previous, to: current, glyphs: glyphs)
            if !lines.isEmpty { report(.changes(lines)) }
            previous = current
            switch BuildWatcher.outcome(of: current) {
            case .running:
                retry = nil
            case .completed:
                return .completed
            case .failed(let status):
                return .failed(status)
            case .noBuild(let status):
                return .noBuild(status)
            case .awaitingRetry(let attempt, let status):
                guard limits.retryWait > .zero else { return .failed(status) }
                let now = clock.now()
                let since: ContinuousClock.Instant
                if let retry, retry.attempt == attempt {
                    since = retry.since
                } else {
                    since = now
                    retry = (attempt, now)
                    report(.awaitingRetry(attempt: attempt))
                }
                let waited = since.duration(to: now)
                if waited >= limits.retryWait {
                    report(.retryNeverCame(attempt: attempt))
                    return .failed(status)
                }
                try await clock.sleep(min(limits.interval, limits.retryWait - waited))
                continue
            }
            try await clock.sleep(limits.interval)
        }
    }
}
