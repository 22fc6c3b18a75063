import CPosixSpawn
import Foundation

/// Runs a program to completion with `posix_spawn` and `waitpid`, as a shell would start it.
///
/// Not `Foundation.Process`, for two reasons. A child spawned from a thread of the concurrency pool inherits that
/// thread's signal mask, in which almost every signal is blocked: tmux, and the dashboard it starts, would then
/// ignore SIGHUP and SIGTERM (`kill-server` leaves them running). Here the child starts with every signal
/// unblocked and at its default action, and with no descriptor but its standard three. And tmux's client exits
/// after forking its server, which `Process` does not always notice under a test runner; `waitpid` does.
///
/// Used by `kprov-bench` and the end-to-end tests, which both drive the dashboard through tmux.
public enum ChildProcess {
    /// Where the child's standard output and error go. Its standard input is always `/dev/null`.
    public enum Output: Sendable {
        /// Collected into `Outcome.stdout` and `Outcome.stderr` through pipes.
        case captured
        /// Both written to the file at this path (created with mode 0600, or truncated), to read afterwards.
        /// For a program that leaves a daemon behind (tmux's first command forks its server), which would keep
        /// a capture pipe open for ever.
        case file(String)
        /// Thrown away.
        case discarded
    }

    /// How a run ended and, for `.captured`, what it printed.
    public struct Outcome: Sendable {
        /// The exit status, or 128 + n when signal n ended the program.
        public var status: Int32
        /// Standard output; empty unless the output was `.captured`.
        public var stdout: String
        /// Standard error; empty unless the output was `.captured`.
        public var stderr: String
    }

    /// A program that could not be started, e.g. `cannot run tmux: No such file or directory`.
    public struct LaunchFailure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs `arguments` — the program first, looked up in `PATH` unless it contains a slash — and waits for it.
    /// Blocks the calling thread: call it from a thread of its own, not from the concurrency pool's.
    /// - Parameter environment: the child's whole environment; `nil` passes this process's on.
    public static func run(
        _ arguments: [String], environment: [String: String]? = nil, output: Output = .captured
    ) throws -> Outcome {
        precondition(!arguments.isEmpty, "ChildProcess.run needs the program to run")
        let standardOutput = try CapturePipe.make(if: output)
        let standardError = try CapturePipe.make(if: output)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        switch output {
        case .captured:
            posix_spawn_file_actions_adddup2(&actions, standardOutput!.writeEnd, 1)
            posix_spawn_file_actions_adddup2(&actions, standardError!.writeEnd, 2)
        case .file(let path):
            posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        case .discarded:
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        // Nothing else is inherited: a descriptor this process left open across exec (a server's socket, say)
        // would otherwise live on in the child, and keep a port bound after the server closed it.
        kprov_posix_spawn_file_actions_addclosefrom(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { (argv + (envp ?? [])).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned =
            if let envp {
                posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
            } else {
                posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, environ)
            }
        guard spawned == 0 else {
            throw LaunchFailure(description: "cannot run \(arguments[0]): \(String(cString: strerror(spawned)))")
        }
        standardOutput?.closeWriteEnd()
        standardError?.closeWriteEnd()
        let (stdout, stderr) = CapturePipe.readBoth(standardOutput, standardError)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7F
        return Outcome(
            status: signal == 0 ? (status >> 8) & 0xFF : 128 + signal,
            stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// A close-on-exec pipe (only the child's duplicated end survives in it) whose read end collects what the
    /// child writes.
    private final class CapturePipe {
        let readEnd: Int32
        private(set) var writeEnd: Int32

        /// A pipe when `output` is `.captured`, else `nil`.
        static func make(if output: Output) throws -> CapturePipe? {
            guard case .captured = output else { return nil }
            var ends: [Int32] = [-1, -1]
            guard pipe(&ends) == 0 else {
                throw LaunchFailure(description: "cannot make a pipe: \(String(cString: strerror(errno)))")
            }
            for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
            return CapturePipe(readEnd: ends[0], writeEnd: ends[1])
        }

        private init(readEnd: Int32, writeEnd: Int32) {
            self.readEnd = readEnd
            self.writeEnd = writeEnd
        }

        func closeWriteEnd() {
            close(writeEnd)
            writeEnd = -1
        }

        deinit {
            if writeEnd >= 0 { close(writeEnd) }
            close(readEnd)
        }

        /// Reads both pipes to their ends at once, so a child filling one while the other is read never blocks.
        static func readBoth(_ first: CapturePipe?, _ second: CapturePipe?) -> (Data, Data) {
            var collected = [Data(), Data()]
            var open = [first?.readEnd, second?.readEnd]
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while open.contains(where: { $0 != nil }) {
                var polled = open.map { pollfd(fd: $0 ?? -1, events: Int16(POLLIN), revents: 0) }
                guard poll(&polled, nfds_t(polled.count), -1) >= 0 || errno == EINTR else { break }
                for index in polled.indices where polled[index].revents != 0 {
                    let count = read(polled[index].fd, &buffer, buffer.count)
                    if count > 0 {
                        collected[index].append(buffer, count: count)
                    } else if count == 0 || errno != EINTR {
                        open[index] = nil
                    }
                }
            }
            return (collected[0], collected[1])
        }
    }
}
