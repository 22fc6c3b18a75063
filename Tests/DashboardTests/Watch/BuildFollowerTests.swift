import DashboardCore
import Foundation
import ProvisioningCore
import Testing

/// `kprov watch`'s loop on a virtual clock: polls answered from a script, pauses counted instead of slept.
@Suite("kprov watch: when a build ends, outages, retries")
struct BuildFollowerTests {
    /// A clock that moves only when the follower sleeps, and a script of poll answers, one per poll.
    private final class Script: @unchecked Sendable {
        private let lock = NSLock()
        private let start = ContinuousClock.now
        private var elapsed = Duration.zero
        private var answers: [Result<Deployment, APIError>]
        private(set) var pauses: [Duration] = []

        init(_ answers: [Result<Deployment, APIError>]) {
            self.answers = answers
        }

        var clock: BuildFollower.Clock {
            BuildFollower.Clock(
                now: { [self] in lock.withLock { start + elapsed } },
                sleep: { [self] pause in
                    lock.withLock {
                        elapsed += pause
                        pauses.append(pause)
                    }
                })
        }

        /// The next answer; the last one repeats.
        func poll() throws -> Deployment {
            try lock.withLock { answers.count > 1 ? answers.removeFirst() : answers[0] }.get()
        }
    }

    private static let unreachable = APIError.transport(.unreachable(detail: "connection refused"))

    private static func follow(
        _ script: Script, maximumOutage: Int = 60, retryWait: Int = 30
    ) async throws -> (BuildFollower.End, [BuildFollower.Event]) {
        let follower = BuildFollower(
            limits: .init(
                interval: .seconds(2), maximumOutage: .seconds(maximumOutage), retryWait: .seconds(retryWait)),
            glyphs: .ascii, clock: script.clock)
        var events: [BuildFollower.Event] = []
        let end = try await follower.follow(fetch: { try script.poll() }, report: { events.append($0) })
        return (end, events)
    }

    /// A deployment whose build is at attempt `attempts.last`.
    private static func building(_ attempts: [BuildAttempt], _ status: DeploymentStatus = .provisioning) -> Deployment {
        Fixtures.deployment("d", status: status, createdAgo: 60, attempts: attempts)
    }

    private static let running = Fixtures.attempt(id: 1, done: 2)
    private static let completed = Fixtures.attempt(id: 1, done: 5)

    @Test func aCanceledDeploymentWithoutABuildEndsTheWatch() async throws {
        let canceled = Deployment(id: "d", status: .canceled)
        #expect(BuildWatcher.outcome(of: canceled) == .noBuild(.canceled))
        #expect(BuildWatcher.outcome(of: Deployment(id: "d", status: .healthy)) == .noBuild(.healthy))
        #expect(BuildWatcher.outcome(of: Deployment(id: "d", status: .pending)) == .running)
        let (end, _) = try await Self.follow(Script([.success(canceled)]))
        #expect(end == .noBuild(.canceled))
    }

    @Test func aShortOutageIsRiddenOutWithBackOffAndSaidOnce() async throws {
        let answers: [Result<Deployment, APIError>] =
            [.success(Self.building([Self.running]))] + Array(repeating: .failure(Self.unreachable), count: 3)
            + [.success(Self.building([Self.completed]))]
        let script = Script(answers)
        let (end, events) = try await Self.follow(script)
        #expect(end == .completed)
        #expect(events.filter { if case .outageBegan = $0 { true } else { false } } == [.outageBegan(Self.unreachable)])
        #expect(events.contains(.outageEnded(after: .seconds(14))))
        #expect(script.pauses == [.seconds(2), .seconds(2), .seconds(4), .seconds(8)])
    }

    @Test func aLongOutageGivesUpAtTheBound() async throws {
        let script = Script([.success(Self.building([Self.running])), .failure(Self.unreachable)])
        let (end, _) = try await Self.follow(script, maximumOutage: 60)
        #expect(end == .gaveUp(Self.unreachable, after: .seconds(60)))
        // 2 s between polls, then the back-off doubles up to 30 s, and the last pause stops at the bound.
        #expect(script.pauses == [.seconds(2), .seconds(2), .seconds(4), .seconds(8), .seconds(16), .seconds(30)])
    }

    @Test func aRefusalEndsTheWatchAtOnce() async throws {
        let notFound = APIError.answered(status: 404, body: nil)
        await #expect(throws: notFound) { try await Self.follow(Script([.failure(notFound)])) }
    }

    @Test func aRetryableFailureWaitsForTheNextAttempt() async throws {
        var failed = Fixtures.attempt(id: 1, done: 2, current: .failed)
        failed.retryableFailure = true
        let retried = Fixtures.attempt(id: 2, done: 5)
        let script = Script([
            .success(Self.building([Self.running])), .success(Self.building([failed], .error)),
            .success(Self.building([failed], .error)), .success(Self.building([failed, retried])),
        ])
        let (end, events) = try await Self.follow(script)
        #expect(end == .completed)
        #expect(events.contains(.awaitingRetry(attempt: 1)))
    }

    @Test func aRetryThatNeverComesEndsWithTheFailureAfterTheWait() async throws {
        var failed = Fixtures.attempt(id: 1, done: 2, current: .failed)
        failed.retryableFailure = true
        let script = Script([.success(Self.building([failed], .error))])
        let (end, events) = try await Self.follow(script, retryWait: 5)
        #expect(end == .failed(.failed))
        #expect(events.suffix(2) == [.awaitingRetry(attempt: 1), .retryNeverCame(attempt: 1)])
        #expect(script.pauses == [.seconds(2), .seconds(2), .seconds(1)])
    }

    @Test func aRetryableFailureOfACanceledDeploymentEndsAtOnce() async throws {
        var failed = Fixtures.attempt(id: 1, done: 2, current: .failed)
        failed.retryableFailure = true
        let (end, events) = try await Self.follow(Script([.success(Self.building([failed], .canceled))]))
        #expect(end == .failed(.failed))
        #expect(!events.contains(.awaitingRetry(attempt: 1)))
    }
}
