import ProvisioningCore

/// Why a declaration was not accepted, as the form shows it: a message, and field errors placed by field.
public struct DeclarationFailure: Error, Hashable, Sendable {
    public var message: String
    /// `ErrorWithFields` errors the form has a field for.
    public var fieldErrors: [FieldKey: String]

    public init(message: String, fieldErrors: [FieldKey: String] = [:]) {
        self.message = message
        self.fieldErrors = fieldErrors
    }

    /// The failure an error from `DeploymentSource.send` stands for. 401 and 403 say what to fix; a 403 is
    /// also placed on the secret field, the usual culprit.
    public init(_ error: any Error) {
        guard let error = error as? APIError else {
            self.init(message: TerminalText.sanitized(String(describing: error), limit: 300))
            return
        }
        var fields: [FieldKey: String] = [:]
        for field in error.fieldErrors {
            let name = field.field.split(separator: ".").last.map(String.init) ?? field.field
            if let key = FieldKey(rawValue: name) {
                fields[key] = TerminalText.sanitized(field.description, limit: 120)
            }
        }
        let message: String
        switch error.httpStatus {
        case 401?:
            let source = error.tokenSource.map { " from \(TerminalText.sanitized($0, limit: 80))" } ?? ""
            message = "401: the API token\(source) was refused — start kprov again with a valid token"
        case 403?:
            message = "403: not allowed — the provisioning secret is wrong, or the token cannot reach this deployment"
            fields[.secret] = fields[.secret] ?? "check the secret"
        default:
            message =
                error.isTransportFailure
                ? "the API could not be reached: \(error.description) — nothing was confirmed; send again"
                : error.description
        }
        self.init(message: message, fieldErrors: fields)
    }
}
