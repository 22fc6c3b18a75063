import Foundation

@testable import ProvisioningCore

/// A folder of its own under the temporary directory, for one test's outbox.
func freshOutboxDirectory() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("kprov-outbox-\(UUID().uuidString)").path
}

extension Declaration {
    /// Step `name` of build attempt 1 of `deployment` declared COMPLETED.
    static func completedStep(_ deployment: String, _ name: String) -> Declaration {
        .stepProgress(
            ProvisioningTarget(deploymentID: deployment, stage: "build", attempt: 1, step: name),
            DeclareStepProgressRequest(status: .completed))
    }
}
