import ProvisioningCore

/// A call that cannot be sent: one `ErrorField` per problem, each naming the parameter, argument or body field
/// that is wrong and what is allowed. Nothing reaches Koyeb.
struct InvalidInput: Error, Sendable {
    let fields: [ErrorField]

    /// Every problem on one line, e.g. `attempt: must be a non-negative integer …; status: must be …`.
    var problems: String {
        fields.map { "\($0.field): \($0.description)" }.joined(separator: "; ")
    }

    /// The REST error message.
    var message: String { "invalid request: " + problems }

    /// The 400 `ErrorWithFields` body Koyeb itself would send for a validation error.
    var errorBody: ErrorBody {
        ErrorBody(status: 400, code: "invalid_argument", message: message, fields: fields)
    }
}
