import Foundation
import ProvisioningCore

/// Deterministic deployments of a fixed shape for the render benchmark: `count` deployments, each with `stages`
/// stages of `attempts` attempts of `steps` steps, so a fully expanded tree has
/// `count × (1 + stages × (1 + attempts × (1 + steps)))` rows.
///
/// Every tenth deployment has a running build (the last attempt's middle step runs), every tenth plus one a
/// failed one, the rest completed; earlier attempts failed. Deployment `i` was created `i` minutes before `now`,
/// so the listing order is the index order.
struct SyntheticDeployments {
    let count: Int
    let stages: Int
    let attempts: Int
    let steps: Int
    let now: Date

    /// Step names Koyeb's console has labels for, so rows show labels as they do in real use.
    private static let stepNames = [
        "start-docker", "git-clone", "analyze", "detect", "restore", "build", "export", "archive-clone",
    ]

    /// The visible rows of the tree with everything expanded.
    var fullyExpandedRowCount: Int { count * (1 + stages * (1 + attempts * (1 + steps))) }

    /// The deployments as one listing returns them. `progress` changes the message of the running step of the
    /// running deployments among the first ten, as a refresh does while those builds go on; every call makes
    /// fresh values, so comparing two listings compares contents, not shared storage.
    func make(progress: Int = 0) -> [Deployment] {
        (0..<count).map { deployment($0, progress: progress) }
    }

    /// `make(progress:)` in the pages the dashboard's client fetches (100 deployments each, the API's largest).
    func pages(progress: Int = 0) -> [[Deployment]] {
        let all = make(progress: progress)
        return stride(from: 0, to: all.count, by: Self.pageSize).map {
            Array(all[$0..<min($0 + Self.pageSize, all.count)])
        }
    }

    static let pageSize = 100

    private func deployment(_ index: Int, progress: Int) -> Deployment {
        let created = now.addingTimeInterval(-Double(index + 1) * 60)
        let outcome: ProvisioningStatus = index % 10 == 0 ? .running : index % 10 == 1 ? .failed : .completed
        let stageList = (0..<stages).map { stageIndex in
            let isLast = stageIndex == stages - 1
            let attemptList = (0..<attempts).map { attemptIndex in
                attempt(
                    id: Int64(attemptIndex + 1), start: created.addingTimeInterval(Double(attemptIndex) * 90),
                    outcome: isLast && attemptIndex == attempts - 1 ? outcome : .failed,
                    progress: index < 10 ? progress : 0)
            }
            let status = attemptList.last?.status ?? .pending
            return Stage(
                name: stageIndex == 0 ? "build" : "stage-\(stageIndex)", status: status,
                startedAt: attemptList.first?.startedAt,
                finishedAt: status.isTerminal ? attemptList.last?.finishedAt : nil,
                buildAttempts: attemptList)
        }
        let status: DeploymentStatus = outcome == .running ? .provisioning : outcome == .failed ? .error : .healthy
        return Deployment(
            id: Self.identifier(index), status: status, appID: Self.identifier(index % 40, kind: 0xa),
            serviceID: Self.identifier(index % 120, kind: 0x5), createdAt: created, updatedAt: created,
            provisioningInfo: ProvisioningInfo(
                sha: String(format: "%040x", index), image: "registry01.prod.koyeb.com/bench/svc-\(index % 120)",
                stages: stageList),
            definition: .object(["name": .string("svc-\(index % 120)")]))
    }

    private func attempt(id: Int64, start: Date, outcome: ProvisioningStatus, progress: Int) -> BuildAttempt {
        let running = outcome == .running ? steps / 2 : nil
        let failing = outcome == .failed ? steps - 1 : nil
        let stepList = (0..<steps).map { stepIndex in
            let name = stepIndex < Self.stepNames.count ? Self.stepNames[stepIndex] : "step-\(stepIndex)"
            let started = start.addingTimeInterval(Double(stepIndex) * 10)
            if stepIndex == running {
                return BuildStep(
                    name: name, status: .running, messages: ["\(name): \(40 + progress)% done"], startedAt: started)
            }
            if let running, stepIndex > running { return BuildStep(name: name, status: .pending) }
            let status: ProvisioningStatus = stepIndex == failing ? .failed : .completed
            return BuildStep(
                name: name, status: status, messages: ["\(name) \(status.rawValue.lowercased()) in 8s"],
                startedAt: started, finishedAt: started.addingTimeInterval(8))
        }
        return BuildAttempt(
            id: id, status: outcome, startedAt: start,
            finishedAt: outcome.isTerminal ? start.addingTimeInterval(Double(steps) * 10) : nil, steps: stepList,
            imagePushed: outcome == .completed ? true : nil, retryableFailure: outcome == .failed ? true : nil)
    }

    /// A UUID-shaped id, as Koyeb's.
    private static func identifier(_ index: Int, kind: Int = 0xd) -> String {
        String(format: "%08x-%04x-4000-8000-%012x", index &* 2_654_435_761 & 0xffff_ffff, kind, index)
    }
}
