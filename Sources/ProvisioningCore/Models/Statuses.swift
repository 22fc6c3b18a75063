/// The status of a provisioning stage, build attempt or build step
/// (`DeploymentProvisioningInfo.Stage.Status`). A missing status means `UNKNOWN`.
public struct ProvisioningStatus: OpenEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let unknown = Self(rawValue: "UNKNOWN")
    public static let pending = Self(rawValue: "PENDING")
    public static let running = Self(rawValue: "RUNNING")
    public static let failed = Self(rawValue: "FAILED")
    public static let completed = Self(rawValue: "COMPLETED")
    public static let aborted = Self(rawValue: "ABORTED")

    /// Every status of Koyeb's spec, in its order.
    public static let recognized: [Self] = [.unknown, .pending, .running, .failed, .completed, .aborted]

    /// COMPLETED, FAILED and ABORTED: nothing public documents Koyeb's state rules, so kprov treats these as
    /// final — an item in one of them does not go back to RUNNING; a retry is a new attempt.
    public var isTerminal: Bool { self == .completed || self == .failed || self == .aborted }

    /// Why an item in this status cannot be given a finish time, in the API's words; `nil` for a final status.
    public var finishTimeRefusal: String? {
        isTerminal ? nil : "only a COMPLETED, FAILED or ABORTED item has a finish time; the status would be \(self)"
    }
}

/// The status of a deployment (`Deployment.Status`).
public struct DeploymentStatus: OpenEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let pending = Self(rawValue: "PENDING")
    public static let provisioning = Self(rawValue: "PROVISIONING")
    public static let scheduled = Self(rawValue: "SCHEDULED")
    public static let canceling = Self(rawValue: "CANCELING")
    public static let canceled = Self(rawValue: "CANCELED")
    public static let allocating = Self(rawValue: "ALLOCATING")
    public static let starting = Self(rawValue: "STARTING")
    public static let healthy = Self(rawValue: "HEALTHY")
    public static let degraded = Self(rawValue: "DEGRADED")
    public static let unhealthy = Self(rawValue: "UNHEALTHY")
    public static let stopping = Self(rawValue: "STOPPING")
    public static let stopped = Self(rawValue: "STOPPED")
    public static let erroring = Self(rawValue: "ERRORING")
    public static let error = Self(rawValue: "ERROR")
    public static let stashed = Self(rawValue: "STASHED")
    public static let sleeping = Self(rawValue: "SLEEPING")

    /// Every status of Koyeb's spec, in its order.
    public static let recognized: [Self] = [
        .pending, .provisioning, .scheduled, .canceling, .canceled, .allocating, .starting, .healthy, .degraded,
        .unhealthy, .stopping, .stopped, .erroring, .error, .stashed, .sleeping,
    ]

    /// The colour group Koyeb's console gives this status's badge.
    public var group: Group {
        switch self {
        case .provisioning, .scheduled, .allocating, .starting: .progressing
        case .healthy: .healthy
        case .degraded: .degraded
        case .unhealthy, .erroring, .error: .failing
        default: .inactive
        }
    }

    /// Koyeb console badge groups: grey, blue, green, orange, red.
    public enum Group: String, CaseIterable, Sendable {
        /// Grey: PENDING, CANCELING, CANCELED, STOPPING, STOPPED, STASHED, SLEEPING (and anything unrecognised).
        case inactive
        /// Blue: PROVISIONING, SCHEDULED, ALLOCATING, STARTING.
        case progressing
        /// Green: HEALTHY.
        case healthy
        /// Orange: DEGRADED.
        case degraded
        /// Red: UNHEALTHY, ERRORING, ERROR.
        case failing
    }
}
