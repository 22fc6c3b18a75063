import Foundation
import ProvisioningCore

/// Turns what a caller sent — path parameters or tool arguments, and a JSON body — into a `Declaration`,
/// or into an `InvalidInput` that lists everything wrong with it.
///
/// The body is checked field by field against the operation's request schema: a wrong type, an unknown status
/// or a time that is not RFC 3339 is refused. A field that is `null` counts as absent, as Koyeb's gateway reads
/// it (agents often send `null` for an optional argument). Fields the schema does not list are never forwarded:
/// they are ignored, as Koyeb's own gateway ignores unknown fields, or refused when `refusesUnknownBodyFields` is
/// set.
struct ProvisioningCallParser {
    let operation: ProvisioningOperation
    /// How parameters are named in errors: `restName` for the REST adapter, `toolArgument` for MCP.
    let parameterName: @Sendable (PathParameter) -> String
    /// Prefixed to body field names in errors: empty for REST (`status`), `body.` for MCP (`body.status`).
    let bodyFieldPrefix: String
    /// The name of the body itself in errors.
    let bodyName: String
    /// Whether a body field the request schema does not list is a problem: for MCP, where a misspelt field
    /// (`Status`, `startedAt`) dropped without a word would turn a call into a silent no-op; not for REST, which
    /// ignores unknown fields as Koyeb's gateway does.
    let refusesUnknownBodyFields: Bool

    /// Validates `parameters` (already percent-decoded) and `body`, and builds the call.
    func parse(parameters: [PathParameter: String], body: JSONValue?) throws(InvalidInput) -> Declaration {
        var problems = [ErrorField]()
        var attempt: Int64 = 0
        for parameter in operation.pathParameters {
            let name = parameterName(parameter)
            guard let value = parameters[parameter] else {
                problems.append(ErrorField(field: name, description: "is required: \(parameter.summary)"))
                continue
            }
            if let problem = Self.problem(with: value, of: parameter) {
                problems.append(ErrorField(field: name, description: problem))
            } else if parameter == .attempt, let number = Int64(value) {
                attempt = number
            }
        }
        let fields = bodyFields(body, problems: &problems)
        guard problems.isEmpty else { throw InvalidInput(fields: problems) }
        let target = ProvisioningTarget(
            deploymentID: parameters[.deploymentID] ?? "", stage: parameters[.stage] ?? "", attempt: attempt,
            step: operation == .declareStepProgress ? parameters[.step] : nil)
        return declaration(for: target, CheckedFields(values: fields))
    }

    /// What is wrong with a path value, or `nil`. Empty and blank values are refused, and so are `.` and `..`,
    /// which URL normalisation would turn into a different path on the way to Koyeb, and values longer than
    /// `PathParameter.maximumLength`.
    static func problem(with value: String, of parameter: PathParameter) -> String? {
        if value.allSatisfy(\.isWhitespace) {
            return "must not be empty"
        }
        if value == "." || value == ".." {
            return "must not be \"\(value)\", which URL normalisation would remove from the path"
        }
        let length = value.unicodeScalars.count
        if length > PathParameter.maximumLength {
            return "must be at most \(PathParameter.maximumLength) characters long; got \(length)"
        }
        if parameter == .attempt && !isAttemptNumber(value) {
            let shown = TerminalText.sanitized(value, limit: 40)
            return "must be a non-negative integer such as 1, at most \(Int64.max); got \"\(shown)\""
        }
        return nil
    }

    /// Decimal digits only, of a value that fits an int64.
    static func isAttemptNumber(_ value: String) -> Bool {
        value.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } && Int64(value) != nil
    }

    /// The body's known fields once each fits its type; problems are appended to `problems`.
    private func bodyFields(_ body: JSONValue?, problems: inout [ErrorField]) -> [String: JSONValue] {
        guard let body else {
            problems.append(ErrorField(field: bodyName, description: "is required: a JSON object"))
            return [:]
        }
        guard case .object(let object) = body else {
            problems.append(ErrorField(field: bodyName, description: "must be a JSON object; got \(body.kindName)"))
            return [:]
        }
        if refusesUnknownBodyFields {
            problems += object.keys.sorted().compactMap(unknownFieldProblem)
        }
        var known = [String: JSONValue]()
        for field in operation.bodyFields {
            guard let value = object[field.name], value != .null else { continue }
            let fieldProblems = field.problems(with: value, path: bodyFieldPrefix + field.name)
            problems += fieldProblems
            if fieldProblems.isEmpty { known[field.name] = value }
        }
        return known
    }

    /// The problem with body field `name` when the request schema does not list it, naming the field it most
    /// likely means (the same letters in another case or with other separators) and the fields there are.
    private func unknownFieldProblem(_ name: String) -> ErrorField? {
        let fields = operation.bodyFields.map(\.name)
        guard !fields.contains(name) else { return nil }
        func letters(_ name: String) -> String { name.lowercased().filter { $0 != "_" && $0 != "-" } }
        let meant = fields.first { letters($0) == letters(name) }.map { "did you mean \($0)? " } ?? ""
        return ErrorField(
            field: bodyFieldPrefix + TerminalText.sanitized(name, limit: 40),
            description: "is not a field of Koyeb's \(operation.requestSchemaName); \(meant)the fields are: "
                + fields.sorted().joined(separator: ", "))
    }

    /// The operation's request, built from the checked fields (no JSON round trip: every field already has
    /// the type the request wants).
    private func declaration(for target: ProvisioningTarget, _ fields: CheckedFields) -> Declaration {
        switch operation {
        case .createStageAttempt:
            .createAttempt(
                target,
                CreateStageAttemptRequest(
                    secret: fields.text(.secret), status: fields.status(.status), startedAt: fields.time(.startedAt),
                    messages: fields.texts(.messages), steps: fields.texts(.steps)))
        case .declareStageProgress:
            .stageProgress(
                target,
                DeclareStageProgressRequest(
                    secret: fields.text(.secret), status: fields.status(.status),
                    finishedAt: fields.time(.finishedAt), messages: fields.texts(.messages),
                    imagePushed: fields.flag(.imagePushed), internalFailure: fields.flag(.internalFailure),
                    retryableFailure: fields.flag(.retryableFailure)))
        case .declareStepProgress:
            .stepProgress(
                target,
                DeclareStepProgressRequest(
                    secret: fields.text(.secret), status: fields.status(.status), startedAt: fields.time(.startedAt),
                    finishedAt: fields.time(.finishedAt), messages: fields.texts(.messages)))
        }
    }
}

/// Body fields that passed `BodyField.problems`, read as the types their kinds promise; a field that is absent
/// (or, which the checks rule out, of another type) reads as `nil`.
private struct CheckedFields {
    let values: [String: JSONValue]

    func text(_ field: BodyField) -> String? { values[field.name]?.stringValue }

    func status(_ field: BodyField) -> ProvisioningStatus? { text(field).map(ProvisioningStatus.init(rawValue:)) }

    func time(_ field: BodyField) -> Date? { text(field).flatMap(RFC3339.parse) }

    func texts(_ field: BodyField) -> [String]? {
        guard case .array(let elements)? = values[field.name] else { return nil }
        return elements.compactMap(\.stringValue)
    }

    func flag(_ field: BodyField) -> Bool? {
        guard case .bool(let value)? = values[field.name] else { return nil }
        return value
    }
}
