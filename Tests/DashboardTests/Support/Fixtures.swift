import DashboardCore
import Foundation
import ProvisioningCore

/// Deterministic deployments and a fixed clock for tests and snapshots.
enum Fixtures {
    /// 2026-11-29T12:00:00Z.
    static let now = Date(timeIntervalSince1970: 1_795_953_600)

    static func ago(_ seconds: TimeInterval) -> Date { now.addingTimeInterval(-seconds) }

    /// A build attempt with the usual five steps; the first `done` steps completed, the next one `current`.
    static func attempt(
        id: Int64 = 1, done: Int, current: ProvisioningStatus = .running, startedAgo: TimeInterval = 90
    ) -> BuildAttempt {
        let names = StepLabels.usualBuildSteps
        var steps: [BuildStep] = []
        for (index, name) in names.enumerated() {
            let start = ago(startedAgo - Double(index) * 10)
            if index < done {
                steps.append(
                    BuildStep(
                        name: name, status: .completed, messages: ["\(name) done"], startedAt: start,
                        finishedAt: start.addingTimeInterval(8)))
            } else if index == done {
                let final = current.isTerminal
                steps.append(
                    BuildStep(
                        name: name, status: current, messages: ["\(name): working"], startedAt: start,
                        finishedAt: final ? start.addingTimeInterval(5) : nil))
            } else {
                steps.append(BuildStep(name: name, status: .pending))
            }
        }
        let status: ProvisioningStatus = done == names.count ? .completed : current
        return BuildAttempt(
            id: id, status: status, startedAt: ago(startedAgo),
            finishedAt: status.isTerminal ? ago(startedAgo - 60) : nil, steps: steps,
            imagePushed: status == .completed ? true : nil, retryableFailure: status == .failed ? true : nil)
    }

    /// A deployment whose build stage holds `attempts`.
    static func deployment(
        _ id: String, status: DeploymentStatus = .provisioning, createdAgo: TimeInterval, app: String = "app-1",
        service: String = "svc-1", attempts: [BuildAttempt]
    ) -> Deployment {
        let last = attempts.last
        let stage = Stage(
            name: "build", status: last?.status ?? .pending, startedAt: attempts.first?.startedAt,
            finishedAt: last?.finishedAt, buildAttempts: attempts)
        return Deployment(
            id: id, status: status, appID: app, serviceID: service, createdAt: ago(createdAgo),
            updatedAt: ago(createdAgo - 5),
            provisioningInfo: ProvisioningInfo(
                sha: "a1b2c3d4e5f6", image: "registry.koyeb.com/\(id):latest", stages: [stage]),
            definition: .object(["name": .string("web")]))
    }

    /// Four deployments: one building, one completed, one failed after a retry, one without a build.
    static let deployments: [Deployment] = [
        deployment("d1-building-0001", createdAgo: 120, attempts: [attempt(done: 2)]),
        deployment(
            "d2-healthy-00002", status: .healthy, createdAgo: 3600, attempts: [attempt(done: 5, startedAgo: 3500)]),
        deployment(
            "d3-failed-000003", status: .error, createdAgo: 7200, app: "app-2",
            attempts: [
                attempt(id: 1, done: 1, current: .failed, startedAgo: 7000),
                attempt(id: 2, done: 3, current: .failed, startedAgo: 6800),
            ]),
        Deployment(id: "d4-pending-00004", status: .pending, appID: "app-2", serviceID: "svc-9", createdAt: ago(9000)),
    ]

    /// `count` deployments, each with `attempts` attempts of five steps: `(2 + 6 × attempts) × count` rows
    /// when fully expanded.
    static func many(_ count: Int, attempts: Int = 1) -> [Deployment] {
        (0..<count).map { index in
            let done = index % 6
            return deployment(
                String(format: "dep-%06d", index), createdAgo: Double(index * 10 + 60), app: "app-\(index % 7)",
                attempts: (1...attempts).map { id in
                    attempt(
                        id: Int64(id), done: id == attempts ? done : 2, current: id == attempts ? .running : .failed)
                })
        }
    }

    /// A state on `deployments`, loaded and refreshed, at `size`.
    static func state(
        _ deployments: [Deployment] = deployments, size: Size = Size(width: 80, height: 24), glyphs: Glyphs = .unicode,
        readOnly: Bool = false
    ) -> DashboardState {
        var state = DashboardState(
            settings: DashboardSettings(
                apiURL: "http://127.0.0.1:8000", glyphs: glyphs, readOnly: readOnly,
                themeNames: ["default", "light", "mono"]),
            size: size, now: now, interval: 2, themeName: "default")
        let effects = DashboardReducer.reduce(&state, .start)
        guard case .fetch(let generation)? = effects.first else { return state }
        _ = DashboardReducer.reduce(
            &state, .refreshed(generation: generation, .success(DeploymentListing(deployments))))
        return state
    }
}

extension DashboardState {
    /// Applies `commands` in order, returning the effects of the last.
    @discardableResult
    mutating func press(_ commands: Command...) -> [Effect] {
        var effects: [Effect] = []
        for command in commands { effects = DashboardReducer.reduce(&self, .command(command)) }
        return effects
    }

    /// Sends the open form (Ctrl-S) and answers the send with the API's 403 for a wrong secret; `false` when
    /// nothing was sent.
    mutating func sendRefusedForItsSecret() -> Bool {
        guard case .send(let declaration, let ticket)? = press(.formKey(.control("s"))).first else { return false }
        let refusal = APIError.answered(
            status: 403, body: ErrorBody(status: 403, code: "authorization_error", message: "invalid secret"))
        _ = DashboardReducer.reduce(
            &self, .declared(ticket: ticket, declaration, .failure(DeclarationFailure(refusal))))
        return true
    }

    /// Has the refresh due at `time` fail with `failure`; `false` when none was due.
    mutating func failNextRefresh(_ failure: RefreshFailure, at time: Date) -> Bool {
        guard case .fetch(let generation)? = DashboardReducer.reduce(&self, .tick(time)).first else { return false }
        _ = DashboardReducer.reduce(&self, .refreshed(generation: generation, .failure(failure)))
        return true
    }

    /// The visible rows' node ids as text.
    var visibleIDs: [String] { tree.rows(from: 0, count: tree.rowCount).map(\.id.description) }
}
