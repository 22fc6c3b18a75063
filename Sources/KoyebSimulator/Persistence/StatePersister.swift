import Logging
import ServiceLifecycle

/// Keeps the `--state` file in step with the store, with group commit: a change is acknowledged only once a
/// write that contains it has reached the disk, and the changes that arrive while one write is in progress (or
/// within `coalescing` after it) share the next write. A busy builder therefore costs a few writes per second,
/// not one per declaration, and no acknowledged change is lost — not on a clean stop, nor when the process is
/// killed.
///
/// Runs as a service: on shutdown it writes what is pending, and any change made after that is written at once.
actor StatePersister: Service {
    private let path: String
    private let coalescing: Duration
    private let logger: Logger
    /// The newest state not yet written.
    private var pending: StateSnapshot?
    private var durableVersion: UInt64 = 0
    /// How many times the file was written.
    private(set) var writeCount = 0
    private var waiters: [(version: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    /// How many `commit` calls wait for their state to reach the disk.
    var waitingCommits: Int { waiters.count }
    private var stopped = false
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    init(path: String, coalescing: Duration = .milliseconds(50), logger: Logger) {
        self.path = path
        self.coalescing = coalescing
        self.logger = logger
        (wakeups, wake) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Returns once `snapshot`, or a newer state, is on disk. Throws a 500 `SimulatorError` when the write failed.
    func commit(_ snapshot: StateSnapshot) async throws {
        guard snapshot.version > durableVersion else { return }
        if snapshot.version > pending?.version ?? durableVersion { pending = snapshot }
        guard !stopped else {
            writePending()
            guard durableVersion >= snapshot.version else { throw SimulatorError.serverFailure(unavailable: false) }
            return
        }
        wake.yield()
        try await withCheckedThrowingContinuation { waiters.append((snapshot.version, $0)) }
    }

    func run() async {
        await withGracefulShutdownHandler {
            for await _ in wakeups {
                writePending()
                try? await Task.sleep(for: coalescing)
            }
        } onGracefulShutdown: { [wake] in
            wake.finish()
        }
        stopped = true
        writePending()
    }

    private func writePending() {
        guard let snapshot = pending else { return }
        pending = nil
        let result: Result<Void, any Error>
        do {
            try StateFile.write(snapshot, to: path)
            writeCount += 1
            durableVersion = snapshot.version
            result = .success(())
        } catch {
            logger.error("could not save the simulator state to \(path): \(error)")
            result = .failure(SimulatorError.serverFailure(unavailable: false))
        }
        let settled = waiters.filter { $0.version <= snapshot.version }
        waiters.removeAll { $0.version <= snapshot.version }
        for waiter in settled { waiter.continuation.resume(with: result) }
    }
}
