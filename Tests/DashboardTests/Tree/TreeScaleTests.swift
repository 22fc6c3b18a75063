import DashboardCore
import Foundation
import TerminalUI
import Testing

/// A 10,000-deployment tree, fully expanded (320,000 rows), must move, page, toggle and render a viewport as
/// fast as a small one: each operation stays under a millisecond because nothing walks the whole tree.
@Suite("Scale: 10,000 deployments")
struct TreeScaleTests {
    static let state: DashboardState = {
        var state = Fixtures.state(Fixtures.many(10_000, attempts: 5), size: Size(width: 132, height: 43))
        state.press(.expandAll)
        return state
    }()

    /// The median time of `body` over `runs` runs, in microseconds.
    private func median(runs: Int = 51, _ body: () -> Void) -> Double {
        var samples: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<runs {
            let elapsed = clock.measure(body)
            samples.append(Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6)
        }
        return samples.sorted()[runs / 2]
    }

    @Test("the fully expanded tree has every row")
    func rowCount() {
        #expect(Self.state.tree.rowCount == 320_000)
    }

    @Test("cursor moves, pages, jumps and toggles in under a millisecond")
    func navigation() {
        var state = Self.state
        state.press(.pageDown, .pageDown)
        let commands: [Command] = [.moveDown, .moveUp, .pageDown, .pageUp, .bottom, .top, .toggle, .toggle]
        for command in commands {
            let micros = median { _ = DashboardReducer.reduce(&state, .command(command)) }
            #expect(micros < 1000, "\(command) took \(micros) µs")
        }
        state.press(.bottom)
        #expect(state.cursorRow == 319_999)
    }

    @Test("a viewport of rows is read in under a millisecond, wherever it is")
    func viewport() {
        let tree = Self.state.tree
        for start in [0, 160_000, 319_959] {
            let micros = median { _ = tree.rows(from: start, count: 41) }
            #expect(micros < 1000, "rows at \(start) took \(micros) µs")
        }
    }

    @Test("rendering a screen costs what its rows cost, not the size of the tree")
    func render() {
        let size = Size(width: 132, height: 43)
        var small = Fixtures.state(Fixtures.many(10, attempts: 5), size: size)
        small.press(.expandAll)
        var large = Self.state
        large.press(.pageDown, .pageDown)
        let smallMicros = median(runs: 21) { _ = Renderer.render(small, size: size, theme: .builtinDefault) }
        let largeMicros = median(runs: 21) { _ = Renderer.render(large, size: size, theme: .builtinDefault) }
        #expect(largeMicros < smallMicros * 3, "10,000 deployments: \(largeMicros) µs, 10: \(smallMicros) µs")
    }
}
