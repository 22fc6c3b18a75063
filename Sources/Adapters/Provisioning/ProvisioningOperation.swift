import Hummingbird
import ProvisioningCore

/// The three Koyeb provisioning operations the adapters expose, with what the capability spec
/// (`koyeb-provisioning.yaml`) declares about each: its REST operation and method, its MCP tool and hints, the
/// path parameters it addresses and the fields of its request body.
///
/// Both adapters and the OpenAPI document are generated from this one table, so they cannot drift apart.
enum ProvisioningOperation: String, CaseIterable, Sendable {
    case createStageAttempt = "createstageattempt"
    case declareStageProgress = "declarestageprogress"
    case declareStepProgress = "declarestepprogress"

    /// The REST operation's name and OpenAPI `operationId`.
    var operationID: String { rawValue }

    /// The spec's one-line description, used for the REST operation and the MCP tool alike.
    var summary: String {
        switch self {
        case .createStageAttempt: "Create an attempt for a stage"
        case .declareStageProgress: "Declare stage progress"
        case .declareStepProgress: "Declare step progress"
        }
    }

    /// The HTTP method of the REST operation (and of the Koyeb operation behind it).
    var method: HTTPRequest.Method {
        self == .createStageAttempt ? .post : .patch
    }

    /// The path parameters, in path order.
    var pathParameters: [PathParameter] {
        self == .declareStepProgress ? [.deploymentID, .stage, .attempt, .step] : [.deploymentID, .stage, .attempt]
    }

    /// The MCP tool's name.
    var toolName: String {
        switch self {
        case .createStageAttempt: "create-attempt-stage"
        case .declareStageProgress: "declare-stage-progress"
        case .declareStepProgress: "declare-step-progress"
        }
    }

    /// Whether sending the same call twice has no further effect: declaring progress is, creating an attempt
    /// is not.
    var isIdempotent: Bool { self != .createStageAttempt }

    /// The fields of the request body, as Koyeb's request schema lists them.
    var bodyFields: [BodyField] {
        switch self {
        case .createStageAttempt:
            [.secret, .status, .startedAt, .messages, .steps]
        case .declareStageProgress:
            [.secret, .status, .finishedAt, .messages, .imagePushed, .internalFailure, .retryableFailure]
        case .declareStepProgress:
            [.secret, .status, .startedAt, .finishedAt, .messages]
        }
    }

    /// The name of Koyeb's request body schema, reused in the OpenAPI document.
    var requestSchemaName: String {
        switch self {
        case .createStageAttempt: "CreateStageAttempt_request"
        case .declareStageProgress: "DeclareStageProgress_request"
        case .declareStepProgress: "DeclareStepProgress_request"
        }
    }

    /// The name of Koyeb's reply schema, reused in the OpenAPI document.
    var replySchemaName: String {
        switch self {
        case .createStageAttempt: "CreateStageAttemptReply"
        case .declareStageProgress: "DeclareStageProgressReply"
        case .declareStepProgress: "DeclareStepProgressReply"
        }
    }

    /// The operation whose MCP tool is called `name`.
    init?(toolName name: String) {
        guard let operation = Self.allCases.first(where: { $0.toolName == name }) else { return nil }
        self = operation
    }
}

/// A path parameter of a provisioning operation, with its name on each surface: the REST path spells it with
/// a hyphen (`{deployment-id}`), the MCP tool arguments with an underscore (`deployment_id`), as the spec does.
enum PathParameter: CaseIterable, Sendable {
    case deploymentID, stage, attempt, step

    /// The name in the REST path template.
    var restName: String {
        switch self {
        case .deploymentID: "deployment-id"
        case .stage: "stage"
        case .attempt: "attempt"
        case .step: "step"
        }
    }

    /// The name of the MCP tool argument.
    var toolArgument: String {
        self == .deploymentID ? "deployment_id" : restName
    }

    /// What the value is, for documentation and schemas.
    var summary: String {
        switch self {
        case .deploymentID: "The deployment id."
        case .stage: "The stage name, e.g. build."
        case .attempt: "The attempt number: a non-negative decimal integer of at most 9223372036854775807, e.g. 1."
        case .step: "The step name, e.g. git-clone."
        }
    }
}

extension PathParameter {
    /// The most characters (Unicode code points, as JSON Schema's `maxLength` counts them) a value may have.
    ///
    /// Ample for any id or name, and it keeps the URL to Koyeb far from the size HTTP servers refuse.
    static let maximumLength = 256

    /// The value as a JSON Schema: a string of at most `maximumLength` characters that is not blank, not `.` or
    /// `..` (which URL normalisation would remove), and for the attempt a decimal number that fits an int64.
    var schema: JSONValue {
        let pattern = self == .attempt ? "^[0-9]{1,19}$" : "^(?!\\.{1,2}$)[\\s\\S]*\\S[\\s\\S]*$"
        return .object([
            "type": .string("string"), "pattern": .string(pattern),
            "maxLength": .number(Double(Self.maximumLength)), "description": .string(summary),
        ])
    }
}
