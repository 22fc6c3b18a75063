import Foundation

/// Standard output and standard error for every command: written straight to the file descriptors, unbuffered
/// (so `kprov watch … | tee` shows each line at once), and safe when the reader goes away.
///
/// A reader that stops reading — `kprov watch D | grep -m1 FAILED`, `| head -3`, `| true`, or `>&-` — is not
/// an error worth a message: the first write that finds standard output gone ends the process quietly with
/// status 141 (128 + SIGPIPE), the status a shell reports for a program a broken pipe stopped, so a script can
/// tell it from a build's real result. Standard error is written on a best-effort basis: there is no one left
/// to tell when it fails.
enum Console {
    /// The exit status when standard output is gone: 128 + SIGPIPE.
    static let outputGoneStatus: Int32 = 128 + SIGPIPE

    /// Set by `prepare()` when standard output was closed before kprov started (`>&-`); written once, before
    /// any task runs.
    nonisolated(unsafe) private static var outputClosedAtStart = false

    /// Call first thing in `main`. Turns SIGPIPE into an `EPIPE` error (the default action would kill servers
    /// whose peers hang up), and puts `/dev/null` on a closed standard descriptor, so that no file or socket
    /// opened later takes descriptor 1 or 2 and receives output meant for the terminal.
    static func prepare() {
        signal(SIGPIPE, SIG_IGN)
        for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(descriptor, F_GETFD) == -1 {
            let placeholder = open("/dev/null", descriptor == STDIN_FILENO ? O_RDONLY : O_WRONLY)
            if placeholder >= 0, placeholder != descriptor {
                dup2(placeholder, descriptor)
                close(placeholder)
            }
            if descriptor == STDOUT_FILENO { outputClosedAtStart = true }
        }
    }

    /// Writes `text` and a newline to standard output.
    static func line(_ text: String) {
        output(text + "\n")
    }

    /// Writes `text` to standard output as it is; ends the process quietly when the reader is gone.
    static func output(_ text: String) {
        if outputClosedAtStart { _exit(outputGoneStatus) }
        guard let failure = writeAll(text, to: STDOUT_FILENO) else { return }
        if failure != EPIPE && failure != EBADF {
            note("error: cannot write to standard output: \(String(cString: strerror(failure)))")
        }
        _exit(outputGoneStatus)
    }

    /// Writes `message` and a newline to standard error.
    static func note(_ message: String) {
        _ = writeAll(message + "\n", to: STDERR_FILENO)
    }

    /// Writes every byte of `text`, going on after partial writes and interruptions; the `errno` of a failure.
    private static func writeAll(_ text: String, to descriptor: Int32) -> Int32? {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            bytes = bytes.dropFirst(written)
        }
        return nil
    }
}
