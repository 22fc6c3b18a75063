import DashboardCore
import Foundation
import ProvisioningCore

/// Runs the dashboard: reads events from a terminal, reduces them into the state, performs the effects (fetches,
/// declarations and outbox requests through the `DeploymentSource`, theme loads), renders, and draws only when
/// the screen changed.
///
/// One loop owns the state; everything else (input, timers, fetches) posts messages to its mailbox, so the
/// network never blocks input. It sleeps between messages: a wake-up is scheduled only when something on
/// screen is due to change — a spinner frame, the next refresh, the "updated … ago" clock, a toast expiring.
public final class DashboardRuntime: Sendable {
    /// Loads theme `name` for `t`.
    public typealias ThemeLoader = @Sendable (String) throws(ThemeError) -> Theme

    private let terminal: any Terminal
    private let source: any DeploymentSource
    private let loadTheme: ThemeLoader
    private let clock: @Sendable () -> Date

    public init(
        terminal: any Terminal, source: any DeploymentSource, loadTheme: @escaping ThemeLoader,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.terminal = terminal
        self.source = source
        self.loadTheme = loadTheme
        self.clock = clock
    }

    private enum Message: Sendable {
        case input(InputEvent)
        case action(Action)
        case wake
        case inputEnded
    }

    /// Runs until the user quits or a termination signal arrives. The caller starts and stops the terminal.
    /// - Returns: the signal that ended the dashboard, if one did.
    @discardableResult
    public func run(initialState: DashboardState, theme initialTheme: Theme) async -> TerminationSignal? {
        var state = initialState
        var theme = initialTheme
        let (mailbox, post) = AsyncStream.makeStream(of: Message.self)
        let terminal = self.terminal
        let inputTask = Task {
            for await event in terminal.events { post.yield(.input(event)) }
            post.yield(.inputEnded)
        }
        var wakeTask: Task<Void, Never>?
        var lastScreen: Screen?
        var lastRender: (at: Date, toasts: Int)?
        defer {
            inputTask.cancel()
            wakeTask?.cancel()
            post.finish()
        }
        post.yield(.action(.start))

        for await message in mailbox {
            var effects = DashboardReducer.reduce(&state, .tick(clock()))
            switch message {
            case .input(.signal(let signal)):
                return signal
            case .inputEnded:
                return .hangUp
            case .input(let event):
                if let action = Self.action(for: event, in: state.mode) {
                    effects += DashboardReducer.reduce(&state, action)
                }
            case .action(let action):
                effects += DashboardReducer.reduce(&state, action)
            case .wake:
                break
            }
            // An effect's result may bring more effects (a broken theme is skipped for the next one): they are
            // performed in the same turn.
            var performed = 0
            while performed < effects.count {
                let effect = effects[performed]
                performed += 1
                switch effect {
                case .quit:
                    return nil
                case .fetch(let generation):
                    let source = self.source
                    Task {
                        let result: Result<DeploymentListing, RefreshFailure>
                        do {
                            result = .success(try await source.fetchDeployments())
                        } catch {
                            result = .failure(RefreshFailure(error))
                        }
                        post.yield(.action(.refreshed(generation: generation, result)))
                    }
                case .send(let declaration, let ticket):
                    let source = self.source
                    Task {
                        let result: Result<DeclarationReceipt, DeclarationFailure>
                        do {
                            result = .success(try await source.send(declaration))
                        } catch {
                            result = .failure(DeclarationFailure(error))
                        }
                        post.yield(.action(.declared(ticket: ticket, declaration, result)))
                    }
                case .outbox(let request):
                    let source = self.source
                    Task { post.yield(.action(.outboxAnswered(await source.outbox(request)))) }
                case .loadTheme(let name):
                    do {
                        theme = try loadTheme(name)
                        effects += DashboardReducer.reduce(&state, .themeLoaded(name))
                    } catch {
                        effects += DashboardReducer.reduce(&state, .themeFailed(name, error))
                    }
                }
            }
            let screen: Screen
            if case .wake = message, effects.isEmpty, let last = lastScreen, let rendered = lastRender,
                let glyph = Self.spinnerOnlyFrame(state: state, lastRender: rendered, now: clock())
            {
                screen = last.advancingSpinners(to: glyph)
            } else {
                screen = Renderer.render(state, size: state.size, theme: theme)
                lastRender = (clock(), state.toasts.count)
            }
            if screen != lastScreen {
                await terminal.draw(screen)
                lastScreen = screen
            }
            wakeTask?.cancel()
            let delay = Self.wakeDelay(state: state, animated: screen.isAnimated, now: clock())
            wakeTask = Task {
                try? await Task.sleep(for: delay)
                if !Task.isCancelled { post.yield(.wake) }
            }
        }
        return nil
    }

    /// The action an input event stands for in `mode`.
    static func action(for event: InputEvent, in mode: Mode) -> Action? {
        switch event {
        case .key(let key): KeyMap.command(for: key, in: mode).map(Action.command)
        case .mouse(let mouse): .mouse(mouse)
        case .resize(let size): .resized(size)
        case .signal: nil
        }
    }

    /// The spinner glyph to draw when a wake-up may advance the spinners of the last screen instead of rendering
    /// it again: nothing but the clock moved (the caller checks that the wake-up had nothing to do), no toast
    /// expired, and the last render is less than a second old — so the times shown, in whole seconds, are at most
    /// a second behind. `nil` when a full render is due.
    static func spinnerOnlyFrame(state: DashboardState, lastRender: (at: Date, toasts: Int), now: Date) -> Character? {
        // A clock set back also renders in full, so a jump into the past cannot freeze the times shown.
        guard (0..<1).contains(now.timeIntervalSince(lastRender.at)), state.toasts.count == lastRender.toasts else {
            return nil
        }
        let glyph = state.settings.glyphs.icon(for: .running, frame: state.spinnerFrame)
        guard glyph.count == 1 else { return nil }
        return glyph.first
    }

    /// How long the loop may sleep before the screen or the state is due to change.
    static func wakeDelay(state: DashboardState, animated: Bool, now: Date) -> Duration {
        let spinnerStep = 1 / DashboardState.spinnerFramesPerSecond
        var seconds =
            animated
            ? spinnerStep - now.timeIntervalSinceReferenceDate.truncatingRemainder(dividingBy: spinnerStep) : 1.0
        if let due = state.refresh.nextDue, !state.refresh.isInFlight {
            seconds = min(seconds, due.timeIntervalSince(now))
        }
        if let expiry = state.toasts.map(\.expiresAt).min() {
            seconds = min(seconds, expiry.timeIntervalSince(now))
        }
        return .milliseconds(Int((max(0.01, seconds) * 1000).rounded()))
    }
}
