import DashboardCore
import Foundation
import ProvisioningCore
import TerminalUI
import Testing

/// Deployment rows as the simulator's data makes them (UUID app ids, short service names, long step labels),
/// rendered at the sizes a reviewer uses: the columns must hold, whatever the width.
@Suite("Screens: deployment row layout")
struct RowLayoutTests {
    /// 120×40 with the detail pane beside the tree (72 columns), 80×24 with it below, 60×15.
    static let sizes = [Size(width: 120, height: 40), Size(width: 80, height: 24), Size(width: 60, height: 15)]

    static let storefront = "d1b68406-2f0c-4c1e-9d1a-6f3b2a1c0e77"
    static let analytics = "7f3e2c10-88aa-4b7e-a0d2-3c4d5e6f7a8b"

    /// A row's service, what its build summary must keep, the step label it may shorten, and its age.
    struct Row {
        let service: String
        let elapsed: String
        let label: String
        let age: String
    }

    /// Newest first, as the tree sorts them.
    static let rows = [
        Row(service: "ingest", elapsed: "1m00s", label: "Clone repository", age: "1m"),
        Row(service: "api", elapsed: "3m10s", label: "Clone repository", age: "3m"),
        Row(service: "worker", elapsed: "1m00s", label: "Retrieve archive", age: "11h"),
    ]

    /// A build that failed retrieving its archive 11 hours ago, one that failed cloning, one cloning now.
    static var deployments: [Deployment] {
        var archive = Fixtures.attempt(done: 0, current: .failed, startedAgo: 39_000)
        archive.steps[0].name = "archive-clone"
        return [
            deployment("8c0a51f2-0001", app: storefront, service: "worker", status: .error, age: 39_600, archive),
            deployment(
                "3b7e9d04-0002", app: analytics, service: "ingest", status: .error, age: 80,
                Fixtures.attempt(done: 0, current: .failed, startedAgo: 70)),
            deployment(
                "e5f6a7b8-0003", app: storefront, service: "api", status: .provisioning, age: 200,
                Fixtures.attempt(done: 0, startedAgo: 190)),
        ]
    }

    static func deployment(
        _ id: String, app: String, service: String, status: DeploymentStatus, age: TimeInterval,
        _ attempt: BuildAttempt
    ) -> Deployment {
        var deployment = Fixtures.deployment(
            id, status: status, createdAgo: age, app: app, service: "svc-\(service)", attempts: [attempt])
        deployment.definition = .object(["name": .string(service)])
        return deployment
    }

    /// Each of `rows` with the tree pane's text of its deployment row at `size`.
    private func deploymentRows(at size: Size) -> [(row: Row, text: String)] {
        let state = Fixtures.state(Self.deployments, size: size)
        let screen = Renderer.render(state, size: size, theme: .builtinDefault)
        return Self.rows.enumerated().map { index, row in (row, Self.treeText(screen, state, y: 1 + index)) }
    }

    /// The tree pane's part of row `y`, trailing spaces kept.
    static func treeText(_ screen: Screen, _ state: DashboardState, y: Int) -> String {
        let tree = state.layout.tree
        return String((tree.x..<tree.maxX).map { screen[$0, y].character })
    }

    @Test(
        "the build summary keeps its duration, shortens its step with an ellipsis, and ends before the age",
        arguments: sizes)
    func summaryHeldToItsColumn(size: Size) {
        for (row, text) in deploymentRows(at: size) {
            #expect(text.hasSuffix("  \(row.age) "), "age right-aligned, a space before it: \(text)")
            let summary = text.dropLast(row.age.count + 1).trimmingCharacters(in: .whitespaces)
            #expect(summary.hasSuffix(" " + row.elapsed), "duration kept whole: \(text)")
            let step = summary.components(separatedBy: "build").last ?? ""
            let label = step.dropFirst(2).dropLast(row.elapsed.count + 1)
            #expect(
                step == " " + row.elapsed || label == row.label
                    || (label.hasSuffix("…") && row.label.hasPrefix(label.dropLast())),
                "the step label whole, shortened with an ellipsis, or left out: \(text)")
        }
    }

    @Test("at 120×40 beside the detail pane, a step label that does not fit ends in an ellipsis")
    func summaryAt120() {
        let size = Size(width: 120, height: 40)
        let state = Fixtures.state(Self.deployments, size: size)
        let screen = Renderer.render(state, size: size, theme: .builtinDefault)
        #expect(
            Self.treeText(screen, state, y: 2)
                == "▸ e5f6a7b8  ● PROVISIONING  api         ⠋ build: Clone repos… 3m10s  3m ")
        #expect(
            Self.treeText(screen, state, y: 3)
                == "▸ 8c0a51f2  ● ERROR         worker      ✗ build: Retrieve a… 1m00s  11h ")
    }

    @Test("a step row with a message longer than the pane ends in an ellipsis at the pane's edge", arguments: sizes)
    func longMessageEndsInAnEllipsis(size: Size) throws {
        var deployment = Self.deployments[2]
        let message = "Downloading the source archive from the registry mirror nearest to the builder, attempt 1"
        deployment.provisioningInfo?.stages[0].buildAttempts[0].steps[0].messages = [message]
        var state = Fixtures.state([deployment], size: size)
        state.tree.expandAll()
        let screen = Renderer.render(state, size: size, theme: .builtinDefault)
        let row = try #require(
            (1..<size.height).map { Self.treeText(screen, state, y: $0) }.first { $0.contains(" git-clone") })
        let text = row.trimmingCharacters(in: .whitespaces)
        #expect(text.hasSuffix("…"), "\(row)")
        #expect(row.hasSuffix("… ") || row.hasSuffix("…"), "the ellipsis is not at the pane's edge: \(row)")
    }

    @Test("at 60×15 the step label gives way to the duration")
    func summaryAt60() {
        let size = Size(width: 60, height: 15)
        let state = Fixtures.state(Self.deployments, size: size)
        let screen = Renderer.render(state, size: size, theme: .builtinDefault)
        #expect(screen.line(1) == "▸ 3b7e9d04  ● ERROR         ingest      ✗ build 1m00s    1m")
        #expect(screen.line(3) == "▸ 8c0a51f2  ● ERROR         worker      ✗ build 1m00s   11h")
    }

    @Test("the service name is shown, not an app id cut to nothing", arguments: sizes)
    func serviceName(size: Size) {
        for (row, text) in deploymentRows(at: size) {
            #expect(text.contains("  \(row.service) "), "\(text)")
            #expect(!text.contains("/"), "no app id when the column cannot hold it with the name: \(text)")
        }
    }

    @Test("with room to spare the app's id comes before the service name")
    func appAndService() {
        var state = Fixtures.state(Self.deployments, size: Size(width: 120, height: 40))
        state.press(.toggleDetail)
        let screen = Renderer.render(state, size: state.size, theme: .builtinDefault)
        #expect(screen.line(1).contains("  7f3e2c10/ingest "))
        #expect(screen.line(3).contains("  d1b68406/worker "))
    }

    @Test("filtering by a service name shows that name on the rows it keeps", arguments: sizes)
    func filteredByService(size: Size) {
        var state = Fixtures.state(Self.deployments, size: size)
        state.press(.startFilter)
        for character in "ingest" { state.press(.filterInsert(character)) }
        state.press(.filterAccept)
        let screen = Renderer.render(state, size: size, theme: .builtinDefault)
        #expect(Self.treeText(screen, state, y: 1).contains("  ingest "))
    }
}
