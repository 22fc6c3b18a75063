import DashboardCore
import Foundation
import ProvisioningCore
import TerminalUI
import Testing

/// The header line when the data is stale and declarations wait in the outbox: the counts stay whole, the
/// stale message gives way, and on a narrow terminal the marks take fewer words.
@Suite("Screens: header layout")
struct HeaderLayoutTests {
    static let sizes = RowLayoutTests.sizes

    /// The fixture's screen after a refresh failed, with one declaration waiting in the outbox.
    static func staleState(size: Size) -> DashboardState {
        var state = Fixtures.state(size: size)
        _ = DashboardReducer.reduce(&state, ReducerOutboxTests.listed([ReducerOutboxTests.entry(1)]))
        let effects = DashboardReducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(2)))
        guard case .fetch(let generation)? = effects.first else {
            Issue.record("no fetch")
            return state
        }
        let failure = RefreshFailure(message: "could not reach the API: connection refused (127.0.0.1:8000)")
        _ = DashboardReducer.reduce(&state, .refreshed(generation: generation, .failure(failure)))
        _ = DashboardReducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(3)))
        return state
    }

    @Test(
        "stale data never costs a status count, and the right side is never cut: every mark stays on the header",
        arguments: sizes)
    func countsKept(size: Size) {
        let header = Renderer.render(Self.staleState(size: size), size: size, theme: .builtinDefault).line(0)
        #expect(header.contains(" kprov "))
        #expect(header.contains("●1 ●1 ●1 ●1") || header.contains("● 1 failing"), "\(header)")
        #expect(header.contains("outbox: 1 waiting (o)") || header.contains("outbox 1 (o)"), "\(header)")
        #expect(header.contains("STALE"), "\(header)")
        #expect(header.trimmingCharacters(in: .whitespaces).hasSuffix("3s ago"), "\(header)")
    }

    @Test("the stale message is what gets shortened, with an ellipsis, and left out when nothing is left for it")
    func messageShortened() {
        let wide = Size(width: 120, height: 40)
        #expect(
            Renderer.render(Self.staleState(size: wide), size: wide, theme: .builtinDefault).line(0)
                == " kprov 4 ●1 ●1 ●1 ●1   outbox: 1 waiting (o)   "
                + "STALE: could not reach the API: connection…, retry in 1s  updated 3s ago")
        let narrow = Size(width: 80, height: 24)
        #expect(
            Renderer.render(Self.staleState(size: narrow), size: narrow, theme: .builtinDefault).line(0)
                == " kprov 4 ●1 ●1 ●1 ●1  outbox: 1 waiting (o)   STALE, retry in 1s  updated 3s ago")
        let small = Size(width: 60, height: 15)
        #expect(
            Renderer.render(Self.staleState(size: small), size: small, theme: .builtinDefault).line(0)
                == " kprov 4 ●1 ●1 ●1 ●1           outbox 1 (o)   STALE  3s ago")
    }
}
