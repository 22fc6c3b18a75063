import CNcurses
import DashboardCore
import Glibc
import TerminalUI

/// `Terminal` on ncursesw. Every ncurses call happens on this actor; an `InputWatcher` thread sleeps in `poll`
/// and wakes the actor when keys or relayed signals arrive.
///
/// Drawing compares each screen with the one before and writes only the cells that changed, so an idle
/// refresh that changes nothing but the clock writes just the clock.
public actor NcursesTerminal: Terminal {
    public nonisolated let events: AsyncStream<InputEvent>
    private let continuation: AsyncStream<InputEvent>.Continuation
    private var window: UnsafeMutablePointer<WINDOW>?
    private var watcher: InputWatcher?
    private var previous: Screen?
    private var pairs = ColorPairs(colorCount: 0, pairCapacity: 0, hasDefaultColors: false)
    private var isRunning = false
    /// The terminal switches to an alternate screen while the dashboard runs, and back to the shell's after.
    private var hasAlternateScreen = false

    public init() {
        (events, continuation) = AsyncStream.makeStream(of: InputEvent.self)
    }

    /// Errors starting ncurses.
    public struct StartError: Error, CustomStringConvertible {
        public let description: String
    }

    // MARK: - Lifecycle

    public func start() async throws -> TerminalCapabilities {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw StartError(
                description: "the dashboard needs a terminal; use `kprov tree` for output to a pipe or file")
        }
        setlocale(LC_ALL, "")
        let isUTF8 = kprov_locale_is_utf8() != 0
        let signalPipe = TerminalGuard.install()
        guard kprov_newterm() != nil else {
            TerminalGuard.uninstall()
            let name = String(cString: getenv("TERM") ?? strdup("(unset)"))
            throw StartError(description: "cannot start the terminal (TERM=\(name)); set TERM to your terminal's type")
        }
        window = kprov_stdscr()
        hasAlternateScreen = kprov_capability("smcup") != nil
        TerminalGuard.recordResetSequence(hasAlternateScreen: hasAlternateScreen)
        cbreak()
        noecho()
        nonl()
        disableFlowControl()
        intrflush(window, false)
        keypad(window, true)
        nodelay(window, true)
        set_escdelay(25)
        curs_set(0)
        var colorCount = 0
        var hasDefaultColors = false
        if has_colors() {
            start_color()
            hasDefaultColors = use_default_colors() == OK
            colorCount = Int(kprov_colors())
        }
        pairs = ColorPairs(
            colorCount: colorCount, pairCapacity: Int(kprov_color_pairs()), hasDefaultColors: hasDefaultColors)
        mousemask(kprov_mouse_events(), nil)
        mouseinterval(0)
        isRunning = true
        let watcher = InputWatcher(
            signalPipe: signalPipe,
            onInput: { [weak self] in await self?.drainInput() },
            onSignal: { [weak self] signal in await self?.handleSignal(signal) })
        self.watcher = watcher
        watcher.start()
        return TerminalCapabilities(size: currentSize(), colorCount: colorCount, isUTF8: isUTF8)
    }

    /// Turns off XON/XOFF so Ctrl-S (send a form) and Ctrl-Q reach the dashboard instead of freezing the
    /// output, and records the mode as ncurses' program mode; `endwin` puts the shell's mode back.
    private func disableFlowControl() {
        var modes = termios()
        guard tcgetattr(STDIN_FILENO, &modes) == 0 else { return }
        modes.c_iflag &= ~tcflag_t(IXON | IXOFF)
        tcsetattr(STDIN_FILENO, TCSANOW, &modes)
        def_prog_mode()
    }

    public func stop() async {
        guard isRunning else { return }
        isRunning = false
        watcher?.stop()
        watcher = nil
        giveBackScreen()
        TerminalGuard.uninstall()
        continuation.finish()
    }

    /// Ends ncurses' hold on the screen: mouse reporting off, the cursor shown, the shell's modes back. A
    /// terminal without an alternate screen (vt100) would keep the last frame, with the shell's prompt written
    /// over its bottom line; it is cleared instead.
    private func giveBackScreen() {
        mousemask(0, nil)
        curs_set(1)
        endwin()
        if !hasAlternateScreen, let clear = kprov_capability("clear") {
            putp(clear)
            fflush(nil)
        }
    }

    // MARK: - Drawing

    public func draw(_ screen: Screen) async {
        guard isRunning, let window else { return }
        let old = previous?.size == screen.size ? previous : nil
        if old == nil { werase(window) }
        for y in 0..<screen.size.height {
            for run in changedRuns(in: screen, old: old, row: y) { paint(screen, row: y, columns: run) }
        }
        wnoutrefresh(window)
        doupdate()
        previous = screen
    }

    /// The column ranges of row `y` that differ from `old`; gaps of a few equal cells are bridged, since one
    /// longer write is cheaper than two short ones.
    private func changedRuns(in screen: Screen, old: Screen?, row y: Int) -> [Range<Int>] {
        let width = screen.size.width
        guard let old else { return [0..<width] }
        var runs: [Range<Int>] = []
        var x = 0
        while x < width {
            guard screen[x, y] != old[x, y] else {
                x += 1
                continue
            }
            var start = x
            while start > 0 && screen[start, y].isContinuation { start -= 1 }
            var end = x + 1
            var equal = 0
            while end < width && equal < 4 {
                equal = screen[end, y] == old[end, y] ? equal + 1 : 0
                end += 1
            }
            end -= equal
            while end < width && screen[end, y].isContinuation { end += 1 }
            if let last = runs.last, last.upperBound >= start {
                runs[runs.count - 1] = last.lowerBound..<end
            } else {
                runs.append(start..<end)
            }
            x = end
        }
        return runs
    }

    /// Writes cells `columns` of row `y`, one ncurses call per stretch of equal style.
    private func paint(_ screen: Screen, row y: Int, columns: Range<Int>) {
        guard let window else { return }
        var x = columns.lowerBound
        var buffer: [wchar_t] = []
        while x < columns.upperBound {
            let style = screen[x, y].style
            let start = x
            buffer.removeAll(keepingCapacity: true)
            while x < columns.upperBound && screen[x, y].style == style {
                let cell = screen[x, y]
                if !cell.isContinuation {
                    for scalar in cell.character.unicodeScalars { buffer.append(wchar_t(bitPattern: scalar.value)) }
                }
                x += 1
            }
            let painted = pairs.paint(style)
            kprov_set_attributes(window, attributes(painted.attributes), painted.pair)
            buffer.append(0)
            _ = mvwaddnwstr(window, Int32(y), Int32(start), buffer, Int32(buffer.count - 1))
        }
    }

    private func attributes(_ attributes: TextAttributes) -> attr_t {
        var result = kprov_attr_normal()
        if attributes.contains(.bold) { result |= kprov_attr_bold() }
        if attributes.contains(.dim) { result |= kprov_attr_dim() }
        if attributes.contains(.underline) { result |= kprov_attr_underline() }
        if attributes.contains(.reverse) { result |= kprov_attr_reverse() }
        return result
    }

    // MARK: - Input

    /// Reads every key waiting and reports them.
    private func drainInput() {
        guard isRunning, let window else { return }
        var character: wint_t = 0
        while true {
            let result = wget_wch(window, &character)
            if result == ERR { return }
            if result == KEY_CODE_YES {
                switch Int32(character) {
                case KEY_RESIZE: reportResize()
                case KEY_MOUSE: readMouse()
                case let code: if let key = KeyDecoder.key(forCode: code) { continuation.yield(.key(key)) }
                }
            } else if let key = KeyDecoder.key(forCharacter: UInt32(character)) {
                continuation.yield(.key(key))
            }
        }
    }

    private func readMouse() {
        var event = MEVENT()
        guard getmouse(&event) == OK else { return }
        let kind: MouseEvent.Kind
        if kprov_is_wheel_up(event.bstate) != 0 {
            kind = .wheelUp
        } else if kprov_is_wheel_down(event.bstate) != 0 {
            kind = .wheelDown
        } else if kprov_is_click(event.bstate) != 0 {
            kind = .click
        } else {
            return
        }
        continuation.yield(.mouse(MouseEvent(kind, x: Int(event.x), y: Int(event.y))))
    }

    private func handleSignal(_ signal: Int32) {
        guard isRunning else { return }
        switch signal {
        case SIGWINCH:
            resizeToTerminal()
            drainInput()
        case SIGTSTP: suspend()
        case SIGINT: continuation.yield(.signal(.interrupt))
        case SIGTERM: continuation.yield(.signal(.terminate))
        default: continuation.yield(.signal(.hangUp))
        }
    }

    /// Ctrl-Z: gives the terminal back to the shell and stops; once continued (`fg`), takes it again and has
    /// the dashboard draw everything anew, at the terminal's size then.
    private func suspend() {
        giveBackScreen()
        TerminalGuard.stopForJobControl()
        // Continued: the next `doupdate` puts the program's modes back and repaints the whole screen.
        curs_set(0)
        mousemask(kprov_mouse_events(), nil)
        resizeToTerminal()
    }

    /// Takes the terminal's size from the kernel and reports it: everything is drawn anew at that size.
    private func resizeToTerminal() {
        var rows: Int32 = 0
        var columns: Int32 = 0
        if kprov_terminal_size(STDOUT_FILENO, &rows, &columns) == 0 { resizeterm(rows, columns) }
        reportResize()
    }

    private func reportResize() {
        previous = nil
        continuation.yield(.resize(currentSize()))
    }

    private func currentSize() -> Size {
        var rows: Int32 = 0
        var columns: Int32 = 0
        kprov_window_size(window, &rows, &columns)
        return Size(width: Int(columns), height: Int(rows))
    }
}
