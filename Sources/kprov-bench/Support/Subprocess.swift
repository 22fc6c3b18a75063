import Foundation
import Glibc

/// Runs a program to completion with `posix_spawn`, its output going to a file.
///
/// Not `Foundation.Process`: a child spawned from a thread of the concurrency pool inherits that thread's
/// signal mask, in which almost every signal is blocked, and the tmux server forked from such a child then
/// never sees SIGHUP, SIGCHLD or SIGTERM (nor does the dashboard it starts). Here the child starts with every
/// signal unblocked and at its default action, as it would from a shell.
enum Subprocess {
    /// A program that could not be started.
    struct LaunchFailure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `arguments` (the program first, looked up in `PATH`) with standard input from `/dev/null` and
    /// standard output and error written to `outputPath`; returns the exit status (128 + n for signal n).
    static func run(_ arguments: [String], outputPath: String) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

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

        var pid: pid_t = 0
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let spawned = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, environ)
        guard spawned == 0 else {
            throw LaunchFailure(description: "cannot run \(arguments[0]): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { return -1 }
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}
