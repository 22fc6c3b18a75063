import Foundation
import Glibc

/// A thread that sleeps in `poll` on standard input and the signal pipe, and wakes the ncurses actor when
/// there is something to read. No timer, no busy loop: an idle dashboard costs no CPU here.
///
/// After reporting input it waits until the actor has drained it, so `poll` does not report the same bytes
/// twice.
final class InputWatcher: @unchecked Sendable {
    private let signalPipe: Int32
    private let stopPipe: (read: Int32, write: Int32)
    private let onInput: @Sendable () async -> Void
    private let onSignal: @Sendable (Int32) async -> Void

    /// - Parameters:
    ///   - signalPipe: the read end of `TerminalGuard`'s pipe.
    ///   - onInput: drains standard input; the watcher waits for it to return.
    ///   - onSignal: handles one relayed signal.
    init(
        signalPipe: Int32, onInput: @escaping @Sendable () async -> Void,
        onSignal: @escaping @Sendable (Int32) async -> Void
    ) {
        self.signalPipe = signalPipe
        var fds: [Int32] = [-1, -1]
        _ = pipe(&fds)
        stopPipe = (fds[0], fds[1])
        self.onInput = onInput
        self.onSignal = onSignal
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "kprov-input"
        thread.start()
    }

    /// Ends the thread; it closes its descriptors on the way out.
    func stop() {
        var byte: UInt8 = 0
        _ = write(stopPipe.write, &byte, 1)
    }

    private func run() {
        var fds = [
            pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
            pollfd(fd: signalPipe, events: Int16(POLLIN), revents: 0),
            pollfd(fd: stopPipe.read, events: Int16(POLLIN), revents: 0),
        ]
        defer {
            close(stopPipe.read)
            close(stopPipe.write)
            close(signalPipe)
        }
        while true {
            for index in fds.indices { fds[index].revents = 0 }
            let ready = poll(&fds, nfds_t(fds.count), -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if fds[2].revents != 0 { return }
            if fds[1].revents & Int16(POLLIN) != 0 {
                var byte: UInt8 = 0
                if read(signalPipe, &byte, 1) == 1 {
                    let signal = Int32(byte)
                    wait { await self.onSignal(signal) }
                }
            }
            if fds[0].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                wait { await self.onInput() }
                if fds[0].revents & Int16(POLLHUP | POLLERR) != 0 && fds[0].revents & Int16(POLLIN) == 0 {
                    wait { await self.onSignal(SIGHUP) }
                    return
                }
            }
        }
    }

    /// Runs `work` on the concurrency pool and blocks this thread until it is done.
    private func wait(_ work: @escaping @Sendable () async -> Void) {
        let done = DispatchSemaphore(value: 0)
        Task {
            await work()
            done.signal()
        }
        done.wait()
    }
}
