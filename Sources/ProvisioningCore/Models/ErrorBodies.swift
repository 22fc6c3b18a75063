/// One field-level problem in an `ErrorWithFields` reply (`ErrorField`).
public struct ErrorField: Codable, Hashable, Sendable {
    /// The request field at fault, e.g. `status`; empty when the body did not say.
    public var field: String
    /// What is wrong with it, in the API's words; empty when the body did not say.
    public var description: String

    public init(field: String, description: String) {
        self.field = field
        self.description = description
    }

    enum CodingKeys: String, CodingKey { case field, description }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        field = try container.decodeIfPresent(String.self, forKey: .field) ?? ""
        description = try container.decodeIfPresent(String.self, forKey: .description) ?? ""
    }
}

/// Any of Koyeb's three error bodies: `Error {status, code, message}`, `ErrorWithFields` (the same plus
/// `fields`) and the catch-all `google.rpc.Status {code, message, details}`, whose `code` is an integer.
///
/// Decoding never fails on a JSON object: fields of an unexpected type are left out, so a surprising error body
/// still yields the best message available.
public struct ErrorBody: Codable, Hashable, Sendable {
    /// The HTTP status the body claims (`Error.status`).
    public var status: Int?
    /// Koyeb's error code, e.g. `invalid_argument`. For a `google.rpc.Status` this is the gRPC code in decimal.
    public var code: String?
    /// The API's human-readable message.
    public var message: String?
    /// `ErrorWithFields.fields`: one entry per request field at fault; empty for the other two bodies.
    public var fields: [ErrorField]
    /// `google.rpc.Status.details`, kept as it came.
    public var details: [JSONValue]?

    public init(
        status: Int? = nil, code: String? = nil, message: String? = nil, fields: [ErrorField] = [],
        details: [JSONValue]? = nil
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields
        self.details = details
    }

    enum CodingKeys: String, CodingKey { case status, code, message, fields, details }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = try? container.decodeIfPresent(Int.self, forKey: .status)
        if let text = try? container.decodeIfPresent(String.self, forKey: .code) {
            code = text
        } else if let number = try? container.decodeIfPresent(Int.self, forKey: .code) {
            code = String(number)
        }
        message = try? container.decodeIfPresent(String.self, forKey: .message)
        fields = (try? container.decodeIfPresent([ErrorField].self, forKey: .fields)) ?? []
        details = try? container.decodeIfPresent([JSONValue].self, forKey: .details)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(status, forKey: .status)
        try container.encodeIfPresent(code, forKey: .code)
        try container.encodeIfPresent(message, forKey: .message)
        if !fields.isEmpty { try container.encode(fields, forKey: .fields) }
        try container.encodeIfPresent(details, forKey: .details)
    }
}
