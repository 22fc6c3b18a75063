import ProvisioningCore

/// Which value a form field holds; also the name the API uses for it in field errors.
public enum FieldKey: String, Hashable, Sendable, CaseIterable {
    case stage
    case attempt
    case status
    case startedAt = "started_at"
    case finishedAt = "finished_at"
    case steps
    case messages
    case imagePushed = "image_pushed"
    case internalFailure = "internal_failure"
    case retryableFailure = "retryable_failure"
    case secret

    /// The label shown beside the field.
    public var label: String {
        switch self {
        case .stage: "Stage"
        case .attempt: "Attempt"
        case .status: "Status"
        case .startedAt: "Started at"
        case .finishedAt: "Finished at"
        case .steps: "Planned steps"
        case .messages: "Messages"
        case .imagePushed: "Image pushed"
        case .internalFailure: "Internal failure"
        case .retryableFailure: "Retryable fail."
        case .secret: "Secret"
        }
    }
}

/// What a field holds and how it is edited.
public enum FieldValue: Hashable, Sendable {
    /// Free text: names, numbers, RFC 3339 times, the secret.
    case text(String)
    /// A status picker: ←/→ or the first letter.
    case status(ProvisioningStatus)
    /// A checkbox: space toggles.
    case flag(Bool)
    /// A list of lines; typing fills the draft line, Enter adds it.
    case list([String], draft: String)
}

/// One field of a form: its key, its value and the value it started with (to know whether it was edited).
public struct FormField: Hashable, Sendable {
    public var key: FieldKey
    public var value: FieldValue
    public let initial: FieldValue

    public init(_ key: FieldKey, _ value: FieldValue) {
        self.key = key
        self.value = value
        initial = value
    }

    public var isEdited: Bool { value != initial }

    /// The text of a text field, or `""`.
    public var text: String {
        if case .text(let text) = value { return text }
        return ""
    }

    /// The lines of a list field, the draft included when it is not blank.
    public var lines: [String] {
        guard case .list(let lines, let draft) = value else { return [] }
        let pending = draft.trimmingCharacters(in: .whitespaces)
        return pending.isEmpty ? lines : lines + [draft]
    }
}
