import CNcurses
import Glibc

/// Makes sure the terminal comes back whatever ends the process.
///
/// - SIGINT, SIGTERM, SIGHUP, SIGWINCH and SIGTSTP are relayed through a pipe to the input thread, so quitting,
///   resizing and suspending (Ctrl-Z) happen in order on the ncurses actor (a signal handler may not call
///   ncurses). A second SIGINT, SIGTERM or SIGHUP while the first is still being handled restores the terminal at
///   once and exits.
/// - SIGSEGV, SIGABRT, SIGBUS, SIGILL and SIGFPE restore the terminal with async-signal-safe calls only
///   (`write` of the reset sequence, `tcsetattr` of the modes saved before ncurses started) and re-raise.
///
/// Signal handlers can only reach globals; these are written once in `install` before any handler can run.
enum TerminalGuard {
    /// Signals relayed to the input thread.
    static let relayedSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGWINCH, SIGTSTP]
    static let crashSignals: [Int32] = [SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE]

    /// Saves the terminal modes and the reset sequence, and installs the handlers. Returns the read end of the
    /// signal pipe.
    static func install() -> Int32 {
        var fds: [Int32] = [-1, -1]
        _ = pipe(&fds)
        _ = fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK)
        guardState.pipeWrite = fds[1]
        guardState.hasTermios = tcgetattr(STDIN_FILENO, &guardState.termios) == 0
        guardState.pendingTerminations = 0
        for signal in relayedSignals { handle(signal, with: relayHandler) }
        for signal in crashSignals { handle(signal, with: crashHandler) }
        unblock(relayedSignals + crashSignals)
        return fds[0]
    }

    /// Lets `signals` reach this thread. A program started from a thread that blocks signals inherits that mask
    /// (Swift's concurrency threads block most); with every thread blocking SIGTERM, the dashboard could not be
    /// stopped by it and would leave the terminal as it was.
    private static func unblock(_ signals: [Int32]) {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// Records the sequence that resets this terminal (plain text, show the cursor, leave the alternate screen —
    /// or clear the screen where there is none — mouse reporting off), read from terminfo once ncurses has set
    /// the terminal up. Padding (`$<5>`, a delay for slow terminals) is left out: only `tputs` understands it.
    static func recordResetSequence(hasAlternateScreen: Bool) {
        var bytes: [UInt8] = []
        let leave = hasAlternateScreen ? "rmcup" : "clear"
        for name in ["sgr0", "cnorm", leave] {
            guard let value = kprov_capability(name) else { continue }
            bytes += Array(String(cString: value).replacing(/\$<[0-9.*\/]*>/, with: "").utf8)
        }
        bytes += Array("\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1003l\u{1B}[?1006l".utf8)
        let count = min(bytes.count, guardState.resetCapacity)
        guardState.reset.update(from: bytes, count: count)
        guardState.resetLength = count
    }

    /// Stops the process as Ctrl-Z would, once the terminal is given back; returns when the shell continues it
    /// (`fg`). SIGSTOP, because SIGTSTP is relayed here and the concurrency pool's threads block it. Sent to this
    /// thread (`raise`), not to the process (`kill`): a signal to the process may be taken by another thread,
    /// and this one would run on for a moment — long enough to hide the cursor and take the terminal back
    /// before the process stopped, leaving the shell a hidden cursor, mouse reporting, even the alternate screen.
    static func stopForJobControl() {
        raise(SIGSTOP)
    }

    /// Puts back the default handlers once the terminal is restored.
    static func uninstall() {
        for signal in relayedSignals + crashSignals { handle(signal, with: SIG_DFL) }
    }

    private static func handle(_ signal: Int32, with handler: __sighandler_t?) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(signal, &action, nil)
    }
}

/// The globals the handlers use. Written by `install` before the handlers exist; afterwards read by handlers.
private struct GuardState {
    var pipeWrite: Int32 = -1
    var termios = Glibc.termios()
    var hasTermios = false
    var pendingTerminations: sig_atomic_t = 0
    let resetCapacity = 256
    let reset = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
    var resetLength = 0
}

nonisolated(unsafe) private var guardState = GuardState()

/// Restores the terminal with async-signal-safe calls only.
private func restoreTerminalFromSignalHandler() {
    if guardState.resetLength > 0 { _ = write(STDOUT_FILENO, guardState.reset, guardState.resetLength) }
    if guardState.hasTermios { _ = tcsetattr(STDIN_FILENO, TCSANOW, &guardState.termios) }
}

private let relayHandler: @convention(c) (Int32) -> Void = { signal in
    if signal != SIGWINCH && signal != SIGTSTP {
        guardState.pendingTerminations += 1
        if guardState.pendingTerminations > 1 {
            restoreTerminalFromSignalHandler()
            _exit(128 + signal)
        }
    }
    var byte = UInt8(truncatingIfNeeded: signal)
    _ = write(guardState.pipeWrite, &byte, 1)
}

private let crashHandler: @convention(c) (Int32) -> Void = { signal in
    restoreTerminalFromSignalHandler()
    var action = sigaction()
    action.__sigaction_handler.sa_handler = SIG_DFL
    sigemptyset(&action.sa_mask)
    sigaction(signal, &action, nil)
    raise(signal)
}
