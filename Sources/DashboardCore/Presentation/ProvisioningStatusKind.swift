import ProvisioningCore

/// The six provisioning statuses as a closed set, for styling: anything unrecognised counts as `unknown`.
public enum ProvisioningStatusKind: String, CaseIterable, Hashable, Sendable {
    case pending, running, completed, failed, aborted, unknown

    public init(_ status: ProvisioningStatus) {
        switch status {
        case .pending: self = .pending
        case .running: self = .running
        case .completed: self = .completed
        case .failed: self = .failed
        case .aborted: self = .aborted
        default: self = .unknown
        }
    }
}
