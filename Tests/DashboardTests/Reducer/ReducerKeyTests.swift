import DashboardCore
import Foundation
import ProvisioningCore
import Testing

@Suite("Reducer: keys")
struct ReducerKeyTests {
    @Test("↑ ↓ j k move the cursor and stop at the ends")
    func upDown() {
        var state = Fixtures.state()
        #expect(state.cursor == NodeID(deployment: "d1-building-0001"))
        state.press(.moveDown, .moveDown)
        #expect(state.cursorRow == 2)
        state.press(.moveUp)
        #expect(state.cursor == NodeID(deployment: "d2-healthy-00002"))
        state.press(.moveUp, .moveUp, .moveUp)
        #expect(state.cursorRow == 0)
        state.press(.moveDown, .moveDown, .moveDown, .moveDown, .moveDown)
        #expect(state.cursorRow == 3)
    }

    @Test("every key of the key map means the documented command")
    func keyMap() {
        let browsing: [(Key, Command)] = [
            (.up, .moveUp), (.character("k"), .moveUp), (.down, .moveDown), (.character("j"), .moveDown),
            (.left, .collapseOrParent), (.character("h"), .collapseOrParent), (.right, .expandOrChild),
            (.character("l"), .expandOrChild), (.enter, .toggle), (.character(" "), .toggle), (.pageUp, .pageUp),
            (.pageDown, .pageDown), (.home, .top), (.character("g"), .top), (.end, .bottom),
            (.character("G"), .bottom), (.character("/"), .startFilter), (.character("?"), .toggleHelp),
            (.character("r"), .refresh), (.character("f"), .toggleFollow), (.character("t"), .cycleTheme),
            (.character("d"), .toggleDetail), (.character("q"), .quit), (.control("c"), .quit),
            (.character("E"), .expandAll), (.character("C"), .collapseAll), (.escape, .filterClear),
        ]
        for (key, command) in browsing {
            #expect(KeyMap.command(for: key, in: .browsing) == command, "\(key)")
        }
        #expect(KeyMap.command(for: .character("q"), in: .filtering) == .filterInsert("q"))
        #expect(KeyMap.command(for: .enter, in: .filtering) == .filterAccept)
        #expect(KeyMap.command(for: .escape, in: .filtering) == .filterClear)
        #expect(KeyMap.command(for: .backspace, in: .filtering) == .filterDeleteBackward)
        #expect(KeyMap.command(for: .character("x"), in: .help) == .toggleHelp)
        #expect(KeyMap.command(for: .character("Z"), in: .browsing) == nil)
    }

    @Test("→ expands, then goes to the first child; ← collapses, then goes to the parent")
    func leftRight() {
        var state = Fixtures.state()
        state.press(.expandOrChild)
        #expect(state.tree.rowCount == 4 + 7)
        #expect(state.cursorRow == 0)
        state.press(.expandOrChild)
        #expect(state.cursor == NodeID(deployment: "d1-building-0001", stage: "build"))
        state.press(.expandOrChild, .expandOrChild)
        #expect(state.cursor == NodeID(deployment: "d1-building-0001", stage: "build", attempt: 1, step: "git-clone"))
        state.press(.collapseOrParent)
        #expect(state.cursor == NodeID(deployment: "d1-building-0001", stage: "build", attempt: 1))
        state.press(.collapseOrParent)
        #expect(state.tree.row(at: state.cursorRow)?.isExpanded == false)
        state.press(.collapseOrParent, .collapseOrParent, .collapseOrParent)
        #expect(state.cursor == NodeID(deployment: "d1-building-0001"))
        #expect(state.tree.rowCount == 5)
        state.press(.collapseOrParent)
        #expect(state.tree.rowCount == 4)
    }

    @Test("Enter and space toggle; leaves do nothing")
    func toggle() {
        var state = Fixtures.state()
        state.press(.toggle)
        #expect(state.tree.rowCount == 11)
        state.press(.toggle)
        #expect(state.tree.rowCount == 4)
        state.press(.bottom, .toggle)
        #expect(state.tree.rowCount == 4)
    }

    @Test("PgUp PgDn move by a screen; g G Home End go to the ends")
    func paging() {
        var state = Fixtures.state(Fixtures.many(100))
        let height = state.treeHeight
        state.press(.pageDown)
        #expect(state.cursorRow == height - 1)
        #expect(state.scrollTop == height - 1)
        state.press(.pageUp)
        #expect(state.cursorRow == 0)
        state.press(.bottom)
        #expect(state.cursorRow == 99)
        #expect(state.scrollTop == 100 - height)
        state.press(.top)
        #expect(state.cursorRow == 0 && state.scrollTop == 0)
    }

    @Test("d hides the detail pane and the tree gets its room")
    func detailToggle() {
        var state = Fixtures.state()
        let withDetail = state.treeHeight
        state.press(.toggleDetail)
        #expect(!state.showsDetail)
        #expect(state.treeHeight > withDetail)
    }

    @Test("? opens the help overlay, scrolling keys scroll it within its length, any other key closes it")
    func help() {
        var state = Fixtures.state()
        _ = DashboardReducer.reduce(&state, .resized(Size(width: 60, height: 12)))
        state.press(.toggleHelp)
        #expect(state.mode == .help)
        for key in [Key.character("j"), .down, .pageDown] {
            state.press(KeyMap.command(for: key, in: state.mode)!)
        }
        #expect(state.mode == .help && state.helpScroll == 12)
        state.press(.scrollHelp(by: 1_000))
        let limit = KeyMap.helpScrollLimit(for: state.cursor?.kind, readOnly: false, in: state.size)
        #expect(limit > 0 && state.helpScroll == limit)
        state.press(.scrollHelp(by: -1_000))
        #expect(state.helpScroll == 0)
        state.press(.scrollHelp(by: 5))
        state.press(KeyMap.command(for: .character("x"), in: state.mode)!)
        #expect(state.mode == .browsing)
        #expect(state.cursorRow == 0)
        state.press(.toggleHelp)
        #expect(state.helpScroll == 0)
    }

    @Test("q and Ctrl-C quit")
    func quit() {
        var state = Fixtures.state()
        #expect(state.press(.quit) == [.quit])
    }

    @Test("a terminal too small to draw in takes no key but quit, and no click")
    func tooSmall() {
        var state = Fixtures.state()
        _ = DashboardReducer.reduce(&state, .resized(Size(width: 40, height: 10)))
        #expect(state.press(.moveDown, .openCreateAttempt, .quickComplete, .answer(true)).isEmpty)
        _ = DashboardReducer.reduce(&state, .mouse(MouseEvent(.click, x: 2, y: 3)))
        #expect(state.cursorRow == 0)
        #expect(state.mode == .browsing)
        #expect(state.press(.quit) == [.quit])
        _ = DashboardReducer.reduce(&state, .resized(Size(width: 120, height: 40)))
        state.press(.moveDown)
        #expect(state.cursorRow == 1)
    }

    @Test("t asks for the next theme, wrapping around")
    func cycleTheme() {
        var state = Fixtures.state()
        #expect(state.press(.cycleTheme) == [.loadTheme("light")])
        _ = DashboardReducer.reduce(&state, .themeLoaded("light"))
        #expect(state.themeName == "light")
        _ = DashboardReducer.reduce(&state, .themeLoaded("mono"))
        #expect(state.press(.cycleTheme) == [.loadTheme("default")])
    }

    @Test("a theme found broken at start is passed over by t without a second word about it")
    func cycleThemeSkipsOneBrokenAtStart() {
        var state = Fixtures.state()
        state.markThemeBroken("light")
        #expect(state.press(.cycleTheme) == [.loadTheme("mono")])
    }

    @Test("t says once why a theme is broken, moves on to the next one, and passes over it from then on")
    func cycleThemeSkipsBroken() {
        var state = Fixtures.state()
        #expect(state.press(.cycleTheme) == [.loadTheme("light")])
        let error = ThemeError(file: "light.yaml", line: 3, key: "styles.cursor.bg", message: "bad")
        #expect(DashboardReducer.reduce(&state, .themeFailed("light", error)) == [.loadTheme("mono")])
        #expect(state.themeName == "default")
        #expect(state.toasts.last?.kind == .error)
        #expect(state.toasts.last?.text == "light.yaml:3: styles.cursor.bg: bad — skipped")
        _ = DashboardReducer.reduce(&state, .themeLoaded("mono"))
        #expect(state.press(.cycleTheme) == [.loadTheme("default")])
        _ = DashboardReducer.reduce(&state, .themeLoaded("default"))
        #expect(state.press(.cycleTheme) == [.loadTheme("mono")])
        // Every other theme broken: t comes back to the one in use.
        #expect(DashboardReducer.reduce(&state, .themeFailed("mono", error)) == [.loadTheme("default")])
        #expect(state.toasts.last?.text == "light.yaml:3: styles.cursor.bg: bad — skipped")
    }

    @Test("E and C expand and collapse everything, keeping the cursor's node or its ancestor")
    func expandCollapseAll() {
        var state = Fixtures.state()
        state.press(.moveDown, .expandAll)
        #expect(state.tree.rowCount == 4 + 7 + 7 + 13)
        #expect(state.cursor == NodeID(deployment: "d2-healthy-00002"))
        state.press(.moveDown, .moveDown, .collapseAll)
        #expect(state.cursor == NodeID(deployment: "d2-healthy-00002"))
    }

    @Test("/ filters as you type; Enter keeps the filter, Esc clears it and keeps the node found")
    func filter() {
        var state = Fixtures.state()
        state.press(.startFilter)
        #expect(state.mode == .filtering)
        for character in "export" { state.press(.filterInsert(character)) }
        #expect(state.tree.filter.text == "export")
        #expect(state.tree.rowCount == 4 + 4 + 6)
        state.press(.filterDeleteBackward)
        #expect(state.tree.filter.text == "expor")
        state.press(.filterAccept)
        #expect(state.mode == .browsing)
        #expect(state.tree.filter.isActive)
        state.press(.moveDown, .moveDown, .moveDown)
        let found = state.cursor
        #expect(found?.step == "export")
        state.press(.filterClear)
        #expect(!state.tree.filter.isActive)
        #expect(state.cursor == found)
    }

    @Test("f follows: expands what is running and selects the newest running step")
    func follow() {
        var fresh = Fixtures.deployments
        fresh[1] = Fixtures.deployment(
            "d2-healthy-00002", status: .provisioning, createdAgo: 3600,
            attempts: [Fixtures.attempt(done: 3, startedAgo: 30)])
        var state = Fixtures.state(fresh)
        state.press(.bottom, .toggleFollow)
        #expect(state.follows)
        #expect(state.cursor == NodeID(deployment: "d2-healthy-00002", stage: "build", attempt: 1, step: "build"))
        #expect(
            state.tree.rowIndex(of: NodeID(deployment: "d1-building-0001", stage: "build", attempt: 1, step: "restore"))
                != nil)
        state.press(.moveUp)
        #expect(!state.follows)
    }

    @Test("following from further down shows the followed step's deployment, stage and attempt above it")
    func followShowsTheStepsContext() throws {
        var state = Fixtures.state(Fixtures.many(60))
        state.press(.bottom, .toggleFollow)
        let cursor = try #require(state.cursor)
        #expect(cursor.kind == .step)
        let deploymentRow = try #require(state.tree.rowIndex(of: NodeID(deployment: cursor.deploymentID)))
        #expect(state.scrollTop == deploymentRow)
        #expect(state.cursorRow < state.scrollTop + state.treeHeight)
    }

    @Test("a click selects a row; a click on ▸ toggles it; the wheel scrolls")
    func mouse() {
        var state = Fixtures.state(Fixtures.many(60))
        _ = DashboardReducer.reduce(&state, .mouse(MouseEvent(.click, x: 20, y: 3)))
        #expect(state.cursorRow == 2)
        #expect(state.tree.rowCount == 60)
        _ = DashboardReducer.reduce(&state, .mouse(MouseEvent(.click, x: 0, y: 3)))
        #expect(state.tree.rowCount == 60 + 7)
        _ = DashboardReducer.reduce(&state, .mouse(MouseEvent(.wheelDown, x: 5, y: 5)))
        #expect(state.scrollTop == 3)
        #expect(state.cursorRow == 3)
        _ = DashboardReducer.reduce(&state, .mouse(MouseEvent(.wheelUp, x: 5, y: 5)))
        #expect(state.scrollTop == 0)
        _ = DashboardReducer.reduce(&state, .mouse(MouseEvent(.click, x: 5, y: 0)))
        #expect(state.cursorRow == 3)
    }

    @Test("a resize keeps the cursor on screen")
    func resize() {
        var state = Fixtures.state(Fixtures.many(100))
        state.press(.bottom)
        _ = DashboardReducer.reduce(&state, .resized(Size(width: 132, height: 43)))
        #expect(state.scrollTop == 100 - state.treeHeight)
        _ = DashboardReducer.reduce(&state, .resized(Size(width: 70, height: 14)))
        #expect(state.cursorRow >= state.scrollTop && state.cursorRow < state.scrollTop + state.treeHeight)
    }
}
