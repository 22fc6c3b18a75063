import Foundation
import ProvisioningCore

/// Build attempts that already happened, with realistic times and messages, for seed data.
enum BuildHistory {
    /// An attempt that ran `steps` from `start` and finished: every step COMPLETED, or the one at `failingAt`
    /// FAILED and the rest never ran. Returns the attempt and when it finished.
    static func finishedAttempt(
        id: Int64, steps: [String], start: Date, failingAt: Int?, build: BuildContext, random: inout SplitMix64
    ) -> (attempt: BuildAttempt, finishedAt: Date) {
        var time = start
        var built: [BuildStep] = []
        var failure: BuildFailure?
        for (index, name) in steps.enumerated() {
            guard failure == nil else {
                built.append(BuildStep(name: name, status: .pending))
                continue
            }
            let end = time.addingTimeInterval(BuildCatalog.duration(of: name, using: &random))
            if index == failingAt {
                let failed = BuildCatalog.failure(of: name, build: build)
                failure = failed
                built.append(
                    BuildStep(name: name, status: .failed, messages: failed.messages, startedAt: time, finishedAt: end))
            } else {
                built.append(
                    BuildStep(
                        name: name, status: .completed,
                        messages: BuildCatalog.completedMessages(of: name, build: build),
                        startedAt: time, finishedAt: end))
            }
            time = end
        }
        let attempt = BuildAttempt(
            id: id, status: failure == nil ? .completed : .failed, messages: failure?.messages ?? [],
            startedAt: start, finishedAt: time, steps: built, imagePushed: failure == nil,
            internalFailure: failure.map(\.isInternal), retryableFailure: failure.map(\.isRetryable))
        return (attempt, time)
    }

    /// An attempt still running at `now`: the steps that fit between `start` and `now` COMPLETED, the next one
    /// RUNNING, the rest PENDING.
    static func runningAttempt(
        id: Int64, steps: [String], start: Date, now: Date, build: BuildContext, random: inout SplitMix64
    ) -> BuildAttempt {
        var time = start
        var built: [BuildStep] = []
        for name in steps {
            let end = time.addingTimeInterval(BuildCatalog.duration(of: name, using: &random))
            if built.contains(where: { $0.status == .running }) {
                built.append(BuildStep(name: name, status: .pending))
            } else if end < now, name != steps.last {
                built.append(
                    BuildStep(
                        name: name, status: .completed,
                        messages: BuildCatalog.completedMessages(of: name, build: build),
                        startedAt: time, finishedAt: end))
                time = end
            } else {
                built.append(
                    BuildStep(
                        name: name, status: .running, messages: BuildCatalog.runningMessages(of: name, build: build),
                        startedAt: time))
            }
        }
        return BuildAttempt(id: id, status: .running, startedAt: start, steps: built)
    }
}
