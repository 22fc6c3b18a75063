import Foundation
import ProvisioningCore

/// One of the three declaration forms while it is open: its fields, focus, errors and sending state.
public struct FormState: Hashable, Sendable {
    /// Which operation the form declares.
    public enum Kind: Hashable, Sendable {
        case createAttempt, stageProgress, stepProgress

        public var title: String {
            switch self {
            case .createAttempt: "Create attempt"
            case .stageProgress: "Declare stage progress"
            case .stepProgress: "Declare step progress"
            }
        }
    }

    /// A question the form waits on (y/n).
    public enum Question: Hashable, Sendable {
        /// Esc with edits: throw them away?
        case discard
        /// The node is final (COMPLETED, FAILED, ABORTED) and would leave that status.
        case leaveFinalStatus(from: ProvisioningStatus, to: ProvisioningStatus)
    }

    public let kind: Kind
    /// What the form declares about; for `createAttempt` the stage and attempt come from the fields.
    public let target: ProvisioningTarget
    /// The status the node has now; moving out of a final one asks first.
    public let currentStatus: ProvisioningStatus?
    /// When the attempt started, for checking a stage's finish time.
    public let attemptStartedAt: Date?
    public internal(set) var fields: [FormField]
    /// The focused item: a field index, or `fields.count` (Send) or `fields.count + 1` (Cancel).
    public internal(set) var focus = 0 {
        didSet { if focus != oldValue { caret = 0 } }
    }
    /// Where the caret is in the focused text (or list draft), in characters from its end (see `LineEditor`).
    public internal(set) var caret = 0
    /// Problems found by validation, and field errors the API sent back, by field.
    public internal(set) var errors: [FieldKey: String] = [:]
    /// The API's message after a refused send.
    public internal(set) var serverError: String?
    /// The ticket of the send in flight; its reply is matched by it.
    public internal(set) var sending: Int?
    public internal(set) var question: Question?

    init(
        kind: Kind, target: ProvisioningTarget, currentStatus: ProvisioningStatus?, attemptStartedAt: Date? = nil,
        fields: [FormField]
    ) {
        self.kind = kind
        self.target = target
        self.currentStatus = currentStatus
        self.attemptStartedAt = attemptStartedAt
        self.fields = fields
    }

    /// The order of the status picker: the way a build moves, then the other final statuses.
    public static let statusOrder: [ProvisioningStatus] = [.pending, .running, .completed, .failed, .aborted, .unknown]

    /// The index of the Send button.
    public var sendIndex: Int { fields.count }
    /// The index of the Cancel button.
    public var cancelIndex: Int { fields.count + 1 }

    /// Whether anything was edited since the form opened.
    public var isEdited: Bool { fields.contains { $0.isEdited } }

    public func field(_ key: FieldKey) -> FormField? { fields.first { $0.key == key } }

    /// The focused field, when the focus is not on a button.
    public var focusedField: FormField? { focus < fields.count ? fields[focus] : nil }

    mutating func update(_ key: FieldKey, _ change: (inout FieldValue) -> Void) {
        guard let index = fields.firstIndex(where: { $0.key == key }) else { return }
        change(&fields[index].value)
    }

    mutating func setText(_ key: FieldKey, _ text: String) {
        update(key) { $0 = .text(text) }
    }
}
