import Foundation

/// Runs a program to completion with `posix_spawn` and `waitpid`.
///
/// The dashboard's end-to-end tests start tmux, whose client exits after forking its server; Foundation's
/// `Process` does not always notice that exit under a test runner, so these tests wait for their children
/// themselves.
enum DashboardChildProcess {
    /// What a run printed and how it ended.
    struct Outcome: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `path arguments…` with exactly `environment`, standard input from /dev/null, and returns its exit
    /// status (128 + n when killed by signal n) and output. Blocks: call it through `onOwnThread`.
    /// - Parameter captureOutput: `false` sends the output to /dev/null — for a program that leaves a daemon
    ///   behind (tmux's server), which would keep a capture pipe open for ever.
    static func run(
        _ path: String, _ arguments: [String], environment: [String: String], captureOutput: Bool = true
    ) throws -> Outcome {
        let out = try Capture()
        let err = try Capture()
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if captureOutput {
            posix_spawn_file_actions_adddup2(&actions, out.write, 1)
            posix_spawn_file_actions_adddup2(&actions, err.write, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        // The child starts with no signal blocked and default handlers: a thread of the test runner blocks most
        // signals, and tmux (with the dashboard it starts) would inherit that, ignoring SIGTERM and SIGHUP.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard spawned == 0 else { throw SpawnFailed(path: path, code: spawned) }
        out.closeWriteEnd()
        err.closeWriteEnd()
        let stdout = captureOutput ? out.readAll() : Data()
        let stderr = captureOutput ? err.readAll() : Data()
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = status & 0x7F == 0
        return Outcome(
            status: exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F),
            stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    struct SpawnFailed: Error, CustomStringConvertible {
        var path: String
        var code: Int32
        var description: String { "cannot start \(path): error \(code)" }
    }

    /// A pipe (close-on-exec, so only the child's dup'd ends survive in it) whose read end collects what the
    /// child writes. Only one of the two pipes is read at a time, so
    /// outputs beyond the pipe buffer on the other one could block the child; the commands run here print
    /// little.
    private final class Capture {
        private(set) var read: Int32
        private(set) var write: Int32

        init() throws {
            var fds: [Int32] = [-1, -1]
            guard pipe(&fds) == 0 else { throw SpawnFailed(path: "pipe", code: errno) }
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            (read, write) = (fds[0], fds[1])
        }

        func closeWriteEnd() {
            close(write)
            write = -1
        }

        deinit {
            if write >= 0 { close(write) }
            if read >= 0 { close(read) }
        }

        func readAll() -> Data {
            var data = Data()
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = Foundation.read(read, &buffer, buffer.count)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                data.append(buffer, count: count)
            }
            close(read)
            read = -1
            return data
        }
    }
}
