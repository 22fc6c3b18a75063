import ProvisioningCore

/// One field of a provisioning request body, with its JSON type as Koyeb's request schemas declare it.
///
/// A field knows how to check a JSON value against its type and how to describe itself as JSON Schema, so the
/// REST validation, the OpenAPI document and the MCP input schemas share one definition.
struct BodyField: Hashable, Sendable {
    /// The JSON types the request schemas use.
    enum Kind: Hashable, Sendable {
        /// A string.
        case text
        /// A string from `ProvisioningStatus.recognized` (`DeploymentProvisioningInfo.Stage.Status`).
        case status
        /// An RFC 3339 time (`format: date-time`).
        case time
        /// An array of strings.
        case textList
        /// A boolean.
        case flag
    }

    /// The JSON key, e.g. `started_at`.
    let name: String
    let kind: Kind
    /// What the field means, for documentation and tool schemas.
    let summary: String

    static let secret = BodyField(
        name: "secret", kind: .text, summary: "The deployment's provisioning secret, held by the builder.")
    static let status = BodyField(name: "status", kind: .status, summary: "The new status.")
    static let startedAt = BodyField(
        name: "started_at", kind: .time, summary: "When it started, in RFC 3339 (e.g. 2021-04-26T08:28:59Z).")
    static let finishedAt = BodyField(
        name: "finished_at", kind: .time, summary: "When it finished, in RFC 3339 (e.g. 2021-04-26T08:30:12Z).")
    static let messages = BodyField(name: "messages", kind: .textList, summary: "Messages to attach.")
    static let steps = BodyField(
        name: "steps", kind: .textList, summary: "The names of the steps this attempt plans to run, in order.")
    static let imagePushed = BodyField(
        name: "image_pushed", kind: .flag, summary: "Whether the built image was pushed.")
    static let internalFailure = BodyField(
        name: "internal_failure", kind: .flag, summary: "Whether the build failed for a reason internal to Koyeb.")
    static let retryableFailure = BodyField(
        name: "retryable_failure", kind: .flag, summary: "Whether the failed build may be retried.")

    // MARK: - Checking

    /// What is wrong with `value` for this field, as one `ErrorField` per problem named by `path`
    /// (e.g. `messages[2]`); empty when the value fits.
    func problems(with value: JSONValue, path: String) -> [ErrorField] {
        switch kind {
        case .text:
            guard case .string = value else { return [ErrorField(field: path, description: expected(value))] }
        case .status:
            guard case .string(let text) = value, ProvisioningStatus(rawValue: text).isRecognized else {
                return [ErrorField(field: path, description: expected(value))]
            }
        case .time:
            guard case .string(let text) = value, RFC3339.parse(text) != nil else {
                return [ErrorField(field: path, description: expected(value))]
            }
        case .flag:
            guard case .bool = value else { return [ErrorField(field: path, description: expected(value))] }
        case .textList:
            guard case .array(let elements) = value else {
                return [ErrorField(field: path, description: expected(value))]
            }
            return elements.enumerated().compactMap { index, element in
                guard case .string = element else {
                    return ErrorField(
                        field: "\(path)[\(index)]", description: "must be a string; got \(element.kindName)")
                }
                return nil
            }
        }
        return []
    }

    /// "must be …; got …", naming what is allowed, with a hint when the value is a near miss.
    private func expected(_ value: JSONValue) -> String {
        let allowed =
            switch kind {
            case .text: "a string"
            case .status: "one of \(ProvisioningStatus.recognizedList)"
            case .time: "an RFC 3339 time such as 2021-04-26T08:28:59Z"
            case .textList: "an array of strings"
            case .flag: "true or false"
            }
        let got =
            switch value {
            case .string(let text) where kind == .status || kind == .time:
                "\"\(TerminalText.sanitized(text, limit: 40))\"" + nearMissHint(text)
            default: value.kindName
            }
        return "must be \(allowed); got \(got)"
    }

    /// What would make `text` fit: a status in the wrong case, a time without a time zone.
    private func nearMissHint(_ text: String) -> String {
        switch kind {
        case .status where ProvisioningStatus(rawValue: text.uppercased()).isRecognized:
            " (statuses are upper case: \(text.uppercased()))"
        case .time where RFC3339.parse(text + "Z") != nil:
            " (it has no time zone: add Z for UTC, or an offset such as +02:00)"
        default: ""
        }
    }

    // MARK: - Schema

    /// The field as a JSON Schema (OpenAPI 3.0 dialect, which MCP clients read too).
    var schema: JSONValue {
        let description = JSONValue.string(summary)
        switch kind {
        case .text:
            return .object(["type": .string("string"), "description": description])
        case .status:
            return .object([
                "type": .string("string"), "description": description,
                "enum": .array(ProvisioningStatus.recognized.map { .string($0.rawValue) }),
            ])
        case .time:
            return .object(["type": .string("string"), "format": .string("date-time"), "description": description])
        case .textList:
            return .object([
                "type": .string("array"), "items": .object(["type": .string("string")]), "description": description,
            ])
        case .flag:
            return .object(["type": .string("boolean"), "description": description])
        }
    }
}

extension JSONValue {
    /// The JSON type with an article, for error messages: "a string", "null", "an array".
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
