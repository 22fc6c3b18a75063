/// How the client waits between retries. `live` really sleeps; tests inject one that records and returns.
public struct Sleeper: Sendable {
    private let body: @Sendable (Duration) async throws -> Void

    public init(_ body: @escaping @Sendable (Duration) async throws -> Void) { self.body = body }

    /// Waits for `duration`; throws `CancellationError` if the task is cancelled meanwhile.
    public func sleep(_ duration: Duration) async throws { try await body(duration) }

    /// Sleeps on the continuous clock.
    public static let live = Sleeper { try await Task.sleep(for: $0) }
}
