import ChildProcess
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
    /// Where the pane's shell keeps the `stty -g` snapshots taken around each run.
    private let stateFolder: String
    let target = "dash"
    private let tmux: String

    /// Starts a detached `width`×`height` session running `sh` with `kprov`'s private environment, a UTF-8
    /// locale and the terminal type `term`, a 256-colour one unless told.
    convenience init(kprov: KprovBinary, width: Int = 120, height: Int = 40, term: String = "tmux-256color") throws {
        try self.init(
            width: width, height: height,
            environment: kprov.environment(["TERM": term, "PATH": "/usr/bin:/bin"]),
            stateFolder: kprov.stateHome + "/e2e")
    }

    /// Starts a detached `width`×`height` session running `sh` with `environment` and nothing else.
    init(width: Int, height: Int, environment: [String: String], stateFolder: String) throws {
        self.stateFolder = stateFolder
        try FileManager.default.createDirectory(atPath: stateFolder, withIntermediateDirectories: true)
        tmux = try #require(
            Self.tmux, "tmux is not installed; the dashboard's end-to-end tests need it (scripts/test installs it)")
        let variables = environment.merging(["PS1": "$ ", "ENV": ""]) { $1 }
            .map { "\($0.key)=\($0.value)" }.sorted()
        try run(
            ["-f", "/dev/null", "new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-s", target, "env", "-i"]
                + variables + ["sh"], startsServer: true)
    }

    deinit {
        _ = try? run(["kill-server"])
    }

    /// Runs `kprov arguments…` in the pane between two `stty -g` snapshots, then prints `EXIT <status>` and
    /// `READY`.
    func launch(_ arguments: [String]) throws {
        let command = ([KprovBinary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        try type(
            "clear; stty -g > \(stateFolder)/before; \(command); echo \"EXIT $?\"; "
                + "stty -g > \(stateFolder)/after; echo READY"
        )
    }

    /// Waits for the shell to come back and checks the terminal is as it was: the same modes, the cursor shown,
    /// no mouse reporting, the dashboard's screen gone, the expected exit status.
    func expectRestored(exit: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let screen = try await waitFor("the shell to come back", sourceLocation: sourceLocation) {
            $0.contains("READY")
        }
        #expect(screen.contains("EXIT \(exit)"), "\(screen)", sourceLocation: sourceLocation)
        #expect(
            !screen.contains("kprov http://"), "the dashboard is still on screen:\n\(screen)",
            sourceLocation: sourceLocation)
        try expectModesAsBefore(sourceLocation: sourceLocation)
        try expectScreenModesOff(sourceLocation: sourceLocation)
    }

    /// Checks that the terminal modes `launch` recorded after the dashboard (`stty -g`) are those before it.
    func expectModesAsBefore(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try String(contentsOfFile: stateFolder + "/before", encoding: .utf8)
        let after = try String(contentsOfFile: stateFolder + "/after", encoding: .utf8)
        #expect(before == after, "terminal modes changed", sourceLocation: sourceLocation)
    }

    /// Types `text` and presses Enter.
    func type(_ text: String) throws {
        try run(["send-keys", "-t", target, "-l", text])
        try run(["send-keys", "-t", target, "Enter"])
    }

    /// Types `text` as it is, without Enter.
    func typeLiterally(_ text: String) throws {
        try run(["send-keys", "-t", target, "-l", text])
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

    /// Line `line` (0 is the top) of the pane now, with its colours and attributes as escape sequences; alone,
    /// so it starts with all of them (a capture of several lines carries them over from the line before).
    func captureWithAttributes(line: Int) throws -> String {
        try run(["capture-pane", "-p", "-e", "-S", "\(line)", "-E", "\(line)", "-t", target])
    }

    /// The process id of the pane's shell.
    func shellPID() throws -> Int32 {
        Int32(try paneFormat("#{pane_pid}")) ?? -1
    }

    /// Checks the modes the dashboard sets through escape sequences are off, as tmux tracks them for the pane:
    /// the cursor shown, no mouse reporting, the normal screen.
    func expectScreenModesOff(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let modes = try paneFormat(
            "cursor #{cursor_flag} mouse #{mouse_any_flag}#{mouse_standard_flag}#{mouse_button_flag} "
                + "alternate #{alternate_on}")
        #expect(modes == "cursor 1 mouse 000 alternate 0", "\(modes)", sourceLocation: sourceLocation)
    }

    /// A tmux format (`#{…}`) expanded for the pane.
    private func paneFormat(_ format: String) throws -> String {
        try run(["display-message", "-p", "-t", target, format]).trimmingCharacters(in: .whitespacesAndNewlines)
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
                Issue.record(
                    "timed out waiting for \(what); the screen was:\n\(screen)", sourceLocation: sourceLocation)
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
        let outcome = try ChildProcess.run(
            [tmux, "-L", socket, "-u"] + arguments, environment: ["PATH": "/usr/bin:/bin", "TMUX_TMPDIR": "/tmp"],
            output: startsServer ? .discarded : .captured)
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
