import Foundation
import Testing

/// A private tmux server with one pane running `sh`, for driving the real `kprov` binary as a person would:
/// keys in with `send-keys`, the screen out with `capture-pane`.
///
/// Fails (never skips) when tmux is missing: the dashboard's end-to-end tests are the only check of the real
/// terminal.
final class DashboardTmuxSession {
    static let tmux: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    let socket = "kprov-e2e-\(UUID().uuidString.prefix(8))"
    let target = "dash"
    private let tmux: String

    /// Starts a detached `width`×`height` session running `sh` with `environment` and nothing else.
    init(width: Int = 120, height: Int = 40, environment: [String: String]) throws {
        tmux = try #require(Self.tmux, "tmux is not installed; the dashboard's end-to-end tests need it (scripts/test installs it)")
        let variables = environment.merging(["PS1": "$ ", "ENV": ""]) { $1 }
            .map { "\($0.key)=\($0.value)" }.sorted()
        try run(
            ["-f", "/dev/null", "new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-s", target, "env", "-i"]
                + variables + ["sh"], startsServer: true)
    }

    deinit {
        _ = try? run(["kill-server"])
    }

    /// Types `text` and presses Enter.
    func type(_ text: String) throws {
        try run(["send-keys", "-t", target, "-l", text])
        try run(["send-keys", "-t", target, "Enter"])
    }

    /// Presses keys by tmux name (`j`, `Enter`, `Escape`, `C-c`, `/`).
    func press(_ keys: String...) throws {
        for key in keys { try run(["send-keys", "-t", target, key]) }
    }

    /// Resizes the window, as a person dragging the terminal's corner would.
    func resize(width: Int, height: Int) throws {
        try run(["resize-window", "-t", target, "-x", "\(width)", "-y", "\(height)"])
    }

    /// The pane's text now.
    func capture() throws -> String {
        try run(["capture-pane", "-p", "-t", target])
    }

    /// The process id of the pane's shell.
    func shellPID() throws -> Int32 {
        Int32(try run(["display-message", "-p", "-t", target, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// Waits until the pane's text satisfies `predicate`, polling every 100 ms; fails the test with the last
    /// screen after `timeout`.
    @discardableResult
    func waitFor(
        _ what: String, timeout: Duration = .seconds(15), sourceLocation: SourceLocation = #_sourceLocation,
        _ predicate: (String) -> Bool
    ) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var screen = try capture()
        while !predicate(screen) {
            guard ContinuousClock.now < deadline else {
                Issue.record("timed out waiting for \(what); the screen was:\n\(screen)", sourceLocation: sourceLocation)
                throw TimedOut()
            }
            try await Task.sleep(for: .milliseconds(100))
            screen = try capture()
        }
        return screen
    }

    struct TimedOut: Error {}

    /// Runs one tmux command and returns what it printed; the command that starts the server prints nothing
    /// (the server would inherit the pipe).
    @discardableResult
    private func run(_ arguments: [String], startsServer: Bool = false) throws -> String {
        let outcome = try DashboardChildProcess.run(
            tmux, ["-L", socket, "-u"] + arguments, environment: ["PATH": "/usr/bin:/bin", "TMUX_TMPDIR": "/tmp"],
            captureOutput: !startsServer)
        guard outcome.status == 0 else {
            throw TmuxFailed(arguments: arguments, output: outcome.stdout + outcome.stderr)
        }
        return outcome.stdout
    }

    struct TmuxFailed: Error, CustomStringConvertible {
        var arguments: [String]
        var output: String
        var description: String { "tmux \(arguments.joined(separator: " ")) failed: \(output)" }
    }
}

/// The process ids of the children of `parent`, read from /proc.
func childProcesses(of parent: Int32) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap(Int32.init).filter { pid in
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 2 && Int32(fields[1]) == parent
    }
}


/// Runs blocking work (waiting for a child process) on its own thread, so the concurrency pool stays free for
/// the in-process simulator the child is talking to.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
