import ArgumentParser
import DashboardCore
import Foundation
import KoyebSimulator
import Logging
import NcursesTerminal
import ProvisioningCore
import TerminalUI

/// Starts the dashboard once every option has been checked: takes the terminal over, runs the runtime, and
/// gives the terminal back whatever happens.
enum DashboardLaunch {
    /// Everything resolved from flags, the config file and the environment.
    struct Options {
        var interval: TimeInterval
        var theme: ThemeCatalog.Source
        var catalog: ThemeCatalog
        var ascii: Bool
        var readOnly: Bool
        /// `NO_COLOR` is set: themes keep their attributes but lose their colours.
        var noColor: Bool
        var query: DeploymentQuery
    }

    /// The simulator `--demo` starts: a couple of dozen deployments, builders running at a pace where a step
    /// takes about a second.
    static let demoConfiguration = SimulatorConfiguration(deploymentCount: 24, builders: true, speed: 1.5)

    /// `kprov --demo`: the dashboard on a simulator started in this process. Its outbox is a folder of its own,
    /// removed at the end: declarations for a simulator that ends with the process have nowhere to go later, and
    /// must not mix with the user's real outbox.
    static func runDemo(_ options: Options, timeout: Duration) async throws {
        let quiet = Logger(label: "kprov.demo") { _ in SwiftLogNoOpLogHandler() }
        let server = try await SimulatorServer.start(demoConfiguration, logger: quiet)
        let outboxFolder = FileManager.default.temporaryDirectory
            .appendingPathComponent("kprov-demo-\(ProcessInfo.processInfo.processIdentifier)").path
        defer { try? FileManager.default.removeItem(atPath: outboxFolder) }
        let settings = ConnectionSettings(
            baseURL: try APIBaseURL(parsing: server.baseURL),
            token: APIToken(SimulatorConfiguration.developmentToken)?.withSource("--demo"))
        do {
            let outbox = try Outbox(directory: outboxFolder + "/outbox")
            try await runDashboard(options, settings: settings, outbox: outbox, timeout: timeout)
            await server.stop()
        } catch {
            await server.stop()
            throw error
        }
    }

    /// The dashboard on the API `settings` names, declaring through `outbox`; once the terminal is given back,
    /// says what it leaves in the outbox for that API, so a quit does not hide declarations not yet delivered.
    static func run(
        _ options: Options, settings: ConnectionSettings, outbox: Outbox, timeout: Duration
    ) async throws {
        var failure: (any Error)?
        do {
            try await runDashboard(options, settings: settings, outbox: outbox, timeout: timeout)
        } catch {
            failure = error
        }
        await noteDeclarationsLeft(in: outbox, for: settings.baseURL)
        if let failure { throw failure }
    }

    /// One line on standard error per kind of entry left for `baseURL`: waiting to be sent, or refused.
    private static func noteDeclarationsLeft(in outbox: Outbox, for baseURL: APIBaseURL) async {
        guard let entries = try? await outbox.entries().filter({ $0.baseURL == baseURL.text }) else { return }
        let waiting = entries.filter { $0.refusal == nil }.count
        let refused = entries.count - waiting
        func declarations(_ count: Int) -> String { count == 1 ? "1 declaration" : "\(count) declarations" }
        if waiting > 0 {
            Console.note(
                "kprov: \(declarations(waiting)) still \(waiting == 1 ? "waits" : "wait") in the outbox for "
                    + "\(baseURL.text); \(OutboxReporter.flushCommand(for: baseURL.text)) or the next kprov sends them "
                    + "(`kprov outbox list`)")
        }
        if refused > 0 {
            Console.note(
                "kprov: \(declarations(refused)) the API refused \(refused == 1 ? "is" : "are") kept in the outbox; "
                    + "`kprov outbox list` shows why")
        }
    }

    /// The dashboard itself: takes the terminal, runs until quit, gives the terminal back.
    private static func runDashboard(
        _ options: Options, settings: ConnectionSettings, outbox: Outbox, timeout: Duration
    ) async throws {
        let source = KoyebDeploymentSource(settings: settings, timeout: timeout, query: options.query, outbox: outbox)
        let terminal = NcursesTerminal()
        let capabilities: TerminalCapabilities
        do {
            capabilities = try await terminal.start()
        } catch {
            // No terminal, or one ncurses does not know: the environment's problem, a usage error (exit 2).
            await source.shutdown()
            throw ValidationError(String(describing: error))
        }
        let (theme, themeProblem) = initialTheme(options)
        var state = DashboardState(
            settings: DashboardSettings(
                apiURL: settings.baseURL.text, querySummary: options.query.summary,
                glyphs: options.ascii || !capabilities.isUTF8 ? .ascii : .unicode, readOnly: options.readOnly,
                themeNames: options.catalog.names),
            size: capabilities.size, now: Date(), interval: options.interval, themeName: theme.name)
        if let themeProblem {
            state.toast(.error, "\(themeProblem.description) — using the default theme")
            state.markThemeBroken(options.theme.themeName)
        }
        let catalog = options.catalog
        let noColor = options.noColor
        let runtime = DashboardRuntime(terminal: terminal, source: source) { name throws(ThemeError) in
            let theme = try catalog.theme(name)
            return noColor ? theme.withoutColors : theme
        }
        let signal = await runtime.run(initialState: state, theme: theme)
        await terminal.stop()
        await source.shutdown()
        switch signal {
        case .terminate?: throw ExitCode(128 + SIGTERM)
        case .hangUp?: throw ExitCode(128 + SIGHUP)
        case .interrupt?, nil: return
        }
    }

    /// The theme to start with; the default, and the reason, when the chosen file cannot be read.
    private static func initialTheme(_ options: Options) -> (Theme, ThemeError?) {
        let theme: Theme
        var problem: ThemeError?
        do {
            theme = try options.catalog.load(options.theme)
        } catch {
            theme = .builtinDefault
            problem = error
        }
        return (options.noColor ? theme.withoutColors : theme, problem)
    }
}
