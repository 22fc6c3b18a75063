import DashboardCore
import Foundation
import TerminalUI
import Testing

/// A 10,000-deployment tree, fully expanded (320,000 rows): moving, paging, jumping, toggling, reading a viewport
/// and rendering give the right rows anywhere in it. How fast they are is measured by `kprov-bench render`
/// (BENCHMARKS.md), not here: timings stay out of unit tests.
@Suite("Scale: 10,000 deployments")
struct TreeScaleTests {
    static let state: DashboardState = {
        var state = Fixtures.state(Fixtures.many(10_000, attempts: 5), size: Size(width: 132, height: 43))
        state.press(.expandAll)
        return state
    }()

    @Test("the fully expanded tree has every row")
    func rowCount() {
        #expect(Self.state.tree.rowCount == 320_000)
    }

    @Test("cursor moves, pages, jumps and toggles land on the right rows")
    func navigation() {
        var state = Self.state
        let page = state.treeHeight - 1
        state.press(.pageDown, .pageDown)
        #expect(state.cursorRow == 2 * page)
        state.press(.moveDown, .moveUp, .moveUp)
        #expect(state.cursorRow == 2 * page - 1)
        state.press(.bottom)
        #expect(state.cursorRow == 319_999)
        state.press(.top)
        #expect(state.cursorRow == 0 && state.cursor?.kind == .deployment)
        state.press(.toggle)
        #expect(state.tree.rowCount == 320_000 - 31, "the first deployment folds its 31 rows")
        state.press(.toggle)
        #expect(state.tree.rowCount == 320_000)
    }

    @Test("a viewport of rows is read whole wherever it is, and matches row by row lookup")
    func viewport() {
        let tree = Self.state.tree
        for start in [0, 160_000, 319_959] {
            let rows = tree.rows(from: start, count: 41)
            #expect(rows.count == 41)
            #expect(rows.map(\.id) == (start..<start + 41).compactMap { tree.row(at: $0)?.id })
            #expect(rows.allSatisfy { tree.rowIndex(of: $0.id) != nil })
        }
    }

    @Test("rendering deep in the tree shows the rows at the scroll position and the cursor's place in all")
    func render() {
        var large = Self.state
        large.press(.pageDown, .pageDown, .pageDown)
        let screen = Renderer.render(large, size: large.size, theme: .builtinDefault)
        #expect(screen.line(large.size.height - 1).hasSuffix("\(large.cursorRow + 1)/320000"))
        let shown = large.tree.rows(from: large.scrollTop, count: large.layout.tree.height)
        #expect(shown.contains { $0.id.kind == .step })
        for (offset, row) in shown.enumerated() {
            guard let step = row.id.step else { continue }
            #expect(screen.line(large.layout.tree.y + offset).contains(step), "row \(large.scrollTop + offset)")
        }
    }
}
