import DashboardCore
import Foundation
import ProvisioningCore
import Testing

@testable import TerminalUI

/// A source whose replies the test controls.
actor ScriptedSource: DeploymentSource {
    private var replies: [Result<[Deployment], APIError>]
    private(set) var fetchCount = 0
    private var gate: CheckedContinuation<Void, Never>?
    private var isGated = false

    init(_ replies: [Result<[Deployment], APIError>]) {
        self.replies = replies
    }

    /// Makes the next fetches wait until `release()`.
    func hold() { isGated = true }

    func release() {
        isGated = false
        gate?.resume()
        gate = nil
    }

    func fetchDeployments() async throws -> DeploymentListing {
        fetchCount += 1
        if isGated { await withCheckedContinuation { gate = $0 } }
        let reply = replies.count > 1 ? replies.removeFirst() : replies[0]
        return DeploymentListing(try reply.get())
    }

    /// What `send` answers, and the outbox entry it adds.
    private var receipt = (DeclarationReceipt.delivered, queuing: OutboxEntry?.none)
    /// The outbox `outbox(_:)` lists.
    private var outboxEntries: [OutboxEntry] = []
    private(set) var outboxRequests: [OutboxRequest] = []

    /// Makes `send` answer `receipt`, adding `entry` to the outbox.
    func setReceipt(_ receipt: DeclarationReceipt, queuing entry: OutboxEntry? = nil) {
        self.receipt = (receipt, entry)
    }

    func send(_ declaration: Declaration) async throws -> DeclarationReceipt {
        if let entry = receipt.queuing { outboxEntries.append(entry) }
        return receipt.0
    }

    /// Carries out drops; a retry delivers the entry.
    func outbox(_ request: OutboxRequest) async -> OutboxReply {
        outboxRequests.append(request)
        var outcome = OutboxReply.Outcome.listed
        switch request {
        case .list, .replay: break
        case .retry(let id):
            outboxEntries.removeAll { $0.id == id }
            outcome = .delivered
        case .drop(let id):
            outboxEntries.removeAll { $0.id == id }
            outcome = .dropped
        }
        return OutboxReply(request: request, outcome: outcome, entries: .success(outboxEntries))
    }
}

@Suite("Runtime on a memory terminal")
struct DashboardRuntimeTests {
    private func start(
        _ source: ScriptedSource, terminal: MemoryTerminal, themeNames: [String] = ["default"],
        loadTheme: @escaping DashboardRuntime.ThemeLoader = { _ throws(ThemeError) in .builtinDefault }
    ) -> Task<TerminationSignal?, Never> {
        let runtime = DashboardRuntime(terminal: terminal, source: source, loadTheme: loadTheme)
        let state = DashboardState(
            settings: DashboardSettings(apiURL: "http://test", themeNames: themeNames),
            size: Size(width: 80, height: 24), now: Date(), interval: 1, themeName: "default")
        return Task { await runtime.run(initialState: state, theme: .builtinDefault) }
    }

    @Test("shows the deployments, answers keys, and quits on q")
    func keysAndQuit() async {
        let terminal = MemoryTerminal()
        let source = ScriptedSource([.success(Fixtures.deployments)])
        let run = start(source, terminal: terminal)
        _ = await terminal.waitForScreen { $0.text.contains("d4-pendi") }
        await terminal.send(.key(.down))
        await terminal.send(.key(.enter))
        let expanded = await terminal.waitForScreen { $0.text.contains("└─▾ build  ✓ COMPLETED") }
        #expect(expanded.line(23).hasSuffix("2/11"))
        await terminal.send(.key(.character("q")))
        #expect(await run.value == nil)
    }

    @Test("a declaration the API does not take is queued: the header counts it, o shows it, d y drops it")
    func queuedThenDropped() async {
        let terminal = MemoryTerminal()
        let source = ScriptedSource([.success(Fixtures.deployments)])
        await source.setReceipt(
            .queued(reason: "could not reach the API"), queuing: ReducerOutboxTests.entry(7))
        let run = start(source, terminal: terminal)
        _ = await terminal.waitForScreen { $0.text.contains("d4-pendi") }
        for key in "Ejjjjj" { await terminal.send(.key(.character(key))) }
        _ = await terminal.waitForScreen { $0.text.contains("Step Restore build cache") }
        await terminal.send(.key(.character("c")))
        _ = await terminal.waitForScreen { $0.text.contains("Mark restore COMPLETED") }
        await terminal.send(.key(.character("y")))
        let queued = await terminal.waitForScreen { $0.line(0).contains("outbox: 1 waiting (o)") }
        #expect(queued.text.contains("not sent yet, kept in the outbox"))
        await terminal.send(.key(.character("o")))
        _ = await terminal.waitForScreen { $0.text.contains("Outbox — 1 waiting") && $0.text.contains("entry 7") }
        await terminal.send(.key(.character("d")))
        _ = await terminal.waitForScreen { $0.text.contains("Drop entry 7? It will never be sent. y/n") }
        await terminal.send(.key(.character("y")))
        let dropped = await terminal.waitForScreen { $0.text.contains("outbox entry 7 dropped") }
        #expect(!dropped.line(0).contains("outbox:"))
        #expect(await source.outboxRequests.contains(.drop(id: 7)))
        await terminal.send(.key(.escape))
        await terminal.send(.key(.character("q")))
        #expect(await run.value == nil)
    }

    @Test(
        "t on a broken theme says why and moves on to the next one in the same key press", .timeLimit(.minutes(1)))
    func brokenThemeSkipped() async {
        let terminal = MemoryTerminal()
        let run = start(
            ScriptedSource([.success(Fixtures.deployments)]), terminal: terminal,
            themeNames: ["default", "aaa", "light"]
        ) { name throws(ThemeError) in
            guard name != "aaa" else { throw ThemeError(file: "aaa.yaml", line: 2, message: "broken") }
            return Theme.builtinDefault.overlaid(with: [:], name: name)
        }
        _ = await terminal.waitForScreen { $0.text.contains("d4-pendi") }
        await terminal.send(.key(.character("t")))
        let screen = await terminal.waitForScreen { $0.text.contains("aaa.yaml:2: broken — skipped") }
        #expect(screen.text.contains("theme: light"))
        await terminal.send(.key(.character("q")))
        #expect(await run.value == nil)
    }

    @Test("a termination signal ends the run and is reported")
    func signalEnds() async {
        let terminal = MemoryTerminal()
        let run = start(ScriptedSource([.success([])]), terminal: terminal)
        _ = await terminal.waitForScreen { $0.text.contains("No deployments.") }
        await terminal.send(.signal(.terminate))
        #expect(await run.value == .terminate)
    }

    @Test("input stays live while a fetch hangs, and a failed fetch marks the data stale")
    func inputWhileFetching() async {
        let terminal = MemoryTerminal()
        let source = ScriptedSource([
            .success(Fixtures.deployments), .failure(.transport(.unreachable(detail: "connection refused"))),
        ])
        let run = start(source, terminal: terminal)
        _ = await terminal.waitForScreen { $0.text.contains("d4-pendi") }
        await source.hold()
        _ = await terminal.waitForScreen { _ in true }
        await terminal.send(.key(.character("?")))
        _ = await terminal.waitForScreen { $0.text.contains("kprov — keys") }
        await source.release()
        _ = await terminal.waitForScreen { $0.line(0).contains("STALE") }
        await terminal.send(.key(.escape))
        _ = await terminal.waitForScreen { !$0.text.contains("kprov — keys") }
        await terminal.send(.key(.character("q")))
        _ = await run.value
        #expect(await source.fetchCount >= 2)
    }

    @Test("nothing is drawn when nothing on screen changed")
    func noRedundantDraws() async throws {
        let terminal = MemoryTerminal()
        let run = start(ScriptedSource([.success(Array(Fixtures.deployments.suffix(1)))]), terminal: terminal)
        let shown = await terminal.waitForScreen { $0.text.contains("d4-pendi") }
        let before = await terminal.drawCount
        await terminal.send(.key(.character("Z")))
        await terminal.send(.key(.up))
        await terminal.send(.key(.character("q")))
        _ = await run.value
        // A draw is allowed only for a screen that changed — on a slow machine the header's clock may tick.
        let redrawn = await terminal.drawCount != before
        let final = await terminal.screen?.text
        #expect(!redrawn || final != shown.text)
    }

    @Test("the loop sleeps a second when nothing animates, and wakes for spinner frames when something does")
    func wakeDelay() {
        // Spinners step four times a second: waking more often would redraw identical screens.
        var state = Fixtures.state()
        state.refresh.nextDue = Fixtures.now.addingTimeInterval(10)
        #expect(DashboardRuntime.wakeDelay(state: state, animated: false, now: Fixtures.now) == .seconds(1))
        #expect(DashboardRuntime.wakeDelay(state: state, animated: true, now: Fixtures.now) == .milliseconds(250))
        let midFrame = Fixtures.now.addingTimeInterval(0.1)
        #expect(DashboardRuntime.wakeDelay(state: state, animated: true, now: midFrame) == .milliseconds(150))
        state.refresh.nextDue = Fixtures.now.addingTimeInterval(0.3)
        #expect(DashboardRuntime.wakeDelay(state: state, animated: false, now: Fixtures.now) == .milliseconds(300))
    }
}
