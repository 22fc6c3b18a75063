import ProvisioningCore

/// What a piece of the screen is, so a theme can style it. Theme files name roles by `rawValue`.
public enum Role: String, CaseIterable, Hashable, Sendable {
    // MARK: - Base
    case text = "text"
    case textDim = "text.dim"

    // MARK: - Provisioning statuses (stages, attempts, steps)
    case statusPending = "status.pending"
    case statusRunning = "status.running"
    case statusCompleted = "status.completed"
    case statusFailed = "status.failed"
    case statusAborted = "status.aborted"
    case statusUnknown = "status.unknown"

    // MARK: - Deployment status badges (Koyeb console colour groups)
    case deploymentInactive = "deployment.inactive"
    case deploymentProgressing = "deployment.progressing"
    case deploymentHealthy = "deployment.healthy"
    case deploymentDegraded = "deployment.degraded"
    case deploymentFailing = "deployment.failing"

    // MARK: - Tree
    case treeGuide = "tree.guide"
    case treeExpander = "tree.expander"
    case treeMessage = "tree.message"
    case cursor = "cursor"

    // MARK: - Frame
    case header = "header"
    case headerTitle = "header.title"
    case headerStale = "header.stale"
    case headerBackoff = "header.backoff"
    case headerOutbox = "header.outbox"
    case detail = "detail"
    case detailTitle = "detail.title"
    case detailLabel = "detail.label"
    case border = "border"
    case help = "help"
    case helpTitle = "help.title"
    case helpKey = "help.key"
    case hints = "hints"
    case hintsKey = "hints.key"
    case filter = "filter"
    case toastInfo = "toast.info"
    case toastSuccess = "toast.success"
    case toastError = "toast.error"

    // MARK: - Forms
    case form = "form"
    case formTitle = "form.title"
    case formLabel = "form.label"
    case formField = "form.field"
    case formFieldFocused = "form.field.focused"
    case formFieldInvalid = "form.field.invalid"
    case formError = "form.error"
    case formButton = "form.button"
    case formButtonFocused = "form.button.focused"
    case formMasked = "form.masked"

    /// What the role styles, for the theming guide.
    public var summary: String {
        switch self {
        case .text: "everything without a role of its own; the base every role is drawn over"
        case .textDim: "secondary text: raw step names, short ids, ages, hints"
        case .statusPending, .statusRunning, .statusCompleted, .statusFailed, .statusAborted, .statusUnknown:
            "icon and status word of stages, attempts and steps in that status"
        case .deploymentInactive: "badge of PENDING, CANCELING, CANCELED, STOPPING, STOPPED, STASHED, SLEEPING"
        case .deploymentProgressing: "badge of PROVISIONING, SCHEDULED, ALLOCATING, STARTING"
        case .deploymentHealthy: "badge of HEALTHY"
        case .deploymentDegraded: "badge of DEGRADED"
        case .deploymentFailing: "badge of UNHEALTHY, ERRORING, ERROR"
        case .treeGuide: "the tree's guide lines (├─ │ └─)"
        case .treeExpander: "the ▸ and ▾ before nodes with children"
        case .treeMessage: "a step's last message in its row"
        case .cursor: "the selected row (drawn over the row's own styles)"
        case .header: "the top line"
        case .headerTitle: "`kprov` and the API URL in the top line"
        case .headerStale: "the stale mark when refreshes fail"
        case .headerBackoff: "the back-off mark after a 429"
        case .headerOutbox: "the count of declarations waiting in the outbox"
        case .detail: "the detail pane"
        case .detailTitle: "the detail pane's title"
        case .detailLabel: "field names in the detail pane"
        case .border: "lines between panes and around boxes"
        case .help: "the help overlay"
        case .helpTitle: "the help overlay's title and section names"
        case .helpKey: "key names in the help overlay"
        case .hints: "the key-hint bar at the bottom"
        case .hintsKey: "key names in the hint bar"
        case .filter: "the filter prompt"
        case .toastInfo: "informational toasts"
        case .toastSuccess: "toasts reporting a success"
        case .toastError: "toasts reporting an error"
        case .form: "the body of a form"
        case .formTitle: "a form's title"
        case .formLabel: "field labels"
        case .formField: "field values"
        case .formFieldFocused: "the field being edited"
        case .formFieldInvalid: "a field whose value is refused"
        case .formError: "the reason beside a refused field, and the server's message"
        case .formButton: "buttons"
        case .formButtonFocused: "the focused button"
        case .formMasked: "the masked secret"
        }
    }

    /// The role styling provisioning status `status`.
    public static func status(_ status: ProvisioningStatusKind) -> Role {
        switch status {
        case .pending: .statusPending
        case .running: .statusRunning
        case .completed: .statusCompleted
        case .failed: .statusFailed
        case .aborted: .statusAborted
        case .unknown: .statusUnknown
        }
    }

    /// The role styling a deployment badge of status group `group`.
    public static func deployment(_ group: DeploymentStatus.Group) -> Role {
        switch group {
        case .inactive: .deploymentInactive
        case .progressing: .deploymentProgressing
        case .healthy: .deploymentHealthy
        case .degraded: .deploymentDegraded
        case .failing: .deploymentFailing
        }
    }
}
