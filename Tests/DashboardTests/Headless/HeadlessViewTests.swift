import DashboardCore
import Foundation
import ProvisioningCore
import TerminalUI
import Testing

@Suite("kprov tree and kprov watch")
struct HeadlessViewTests {
    @Test("the tree printer expands everything and writes one node per line")
    func treeText() {
        let lines = TreeTextPrinter.lines(
            for: Array(Fixtures.deployments.prefix(1)), glyphs: .unicode, now: Fixtures.now)
        #expect(
            lines == [
                "▾ d1-build  ● PROVISIONING  app-1/web                 a1b2c3d  ⠋ build: Restore build cache 1m30s  2m",
                "  └─▾ build  ⠋ RUNNING  1m30s",
                "     └─▾ #1  ⠋ RUNNING  1m30s",
                "        ├── ✓ Clone repository git-clone 8s  git-clone done",
                "        ├── ✓ Detect runtime detect 8s  detect done",
                "        ├── ⠋ Restore build cache restore 1m10s  restore: working",
                "        ├── ○ Build build",
                "        └── ○ Export docker image export",
            ])
    }

    @Test("watch reports each change once: statuses, new messages")
    func watchChanges() {
        let start = Fixtures.deployment("d1", createdAgo: 60, attempts: [Fixtures.attempt(done: 1)])
        var next = start
        next.provisioningInfo?.stages[0].buildAttempts[0].steps[1].status = .completed
        next.provisioningInfo?.stages[0].buildAttempts[0].steps[1].messages += ["detected go"]
        next.provisioningInfo?.stages[0].buildAttempts[0].steps[2].status = .running
        let first = BuildWatcher.changes(from: nil, to: start, glyphs: .ascii)
        #expect(first.first == "deployment d1 PROVISIONING")
        #expect(first.contains("build #1 Clone repository (git-clone) + COMPLETED in 8s"))
        let lines = BuildWatcher.changes(from: start, to: next, glyphs: .ascii)
        #expect(
            lines == [
                "build #1 Detect runtime (detect) + COMPLETED", "  detected go",
                "build #1 Restore build cache (restore) / RUNNING",
            ])
        #expect(BuildWatcher.changes(from: next, to: next, glyphs: .ascii).isEmpty)
    }

    @Test("watch ends when the build stage, or its last attempt, is final")
    func watchOutcome() {
        #expect(BuildWatcher.outcome(of: Fixtures.deployments[0]) == .running)
        #expect(BuildWatcher.outcome(of: Fixtures.deployments[1]) == .completed)
        // d3's last attempt failed with a retryable failure, and an ERROR deployment can still get a new attempt.
        #expect(BuildWatcher.outcome(of: Fixtures.deployments[2]) == .awaitingRetry(attempt: 2, status: .failed))
        var final = Fixtures.deployments[2]
        final.provisioningInfo?.stages[0].buildAttempts[1].retryableFailure = false
        #expect(BuildWatcher.outcome(of: final) == .failed(.failed))
        #expect(BuildWatcher.outcome(of: Fixtures.deployments[3]) == .running)
        var aborted = Fixtures.deployments[0]
        aborted.provisioningInfo?.stages[0].buildAttempts[0].status = .aborted
        #expect(BuildWatcher.outcome(of: aborted) == .failed(.aborted))
    }

    @Test("a declaration shows at once in the tree, before the next refresh")
    func optimisticDeclaration() {
        let deployment = Fixtures.deployments[0]
        let target = ProvisioningTarget(deploymentID: deployment.id, stage: "build", attempt: 1, step: "restore")
        let step = Declaration.stepProgress(
            target, DeclareStepProgressRequest(status: .completed, finishedAt: Fixtures.now, messages: ["ok"]))
        let updated = step.applied(to: deployment)
        let restored = updated.provisioningInfo?.stages[0].buildAttempts[0].step(named: "restore")
        #expect(restored?.status == .completed && restored?.finishedAt == Fixtures.now && restored?.messages == ["ok"])
        #expect(step.summary == "restore COMPLETED (build #1)")
        let create = Declaration.createAttempt(
            ProvisioningTarget(deploymentID: deployment.id, stage: "build", attempt: 2),
            CreateStageAttemptRequest(status: .running, startedAt: Fixtures.now, steps: ["git-clone", "build"]))
        let created = create.applied(to: deployment).provisioningInfo?.stages[0]
        #expect(created?.buildAttempts.map(\.id) == [1, 2])
        #expect(created?.buildAttempts.last?.steps.map(\.status) == [.pending, .pending])
        #expect(created?.status == .running)
    }
}
