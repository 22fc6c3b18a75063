import Foundation
import Hummingbird
import NIOCore
import ProvisioningCore

/// Reads a provisioning request body: at most `maximumBytes` (else 413), nested at most `maximumDepth` deep
/// (else 400), then decoded as Koyeb JSON. Unknown fields are ignored, as Koyeb's gateway ignores them; a
/// malformed body, a wrong type or a malformed date is a 400 `ErrorWithFields` naming the field.
struct RequestBodyReader: Sendable {
    let maximumBytes: Int
    let maximumDepth: Int

    func decode<Body: Decodable>(_ type: Body.Type, from request: Request) async throws -> Body {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maximumBytes {
            throw SimulatorError.bodyTooLarge(limit: maximumBytes)
        }
        let buffer = try await request.body.collect(upTo: maximumBytes)
        guard buffer.readableBytes > 0 else {
            throw SimulatorError.invalid(field: "body", "the request body is empty; expected a JSON object")
        }
        let data = Data(buffer.readableBytesView)
        guard !JSONNesting.exceeds(maximumDepth, in: data) else {
            throw SimulatorError.invalid(field: "body", "the JSON is nested deeper than \(maximumDepth) levels")
        }
        do {
            return try KoyebJSON.decoder().decode(Body.self, from: data)
        } catch let error as DecodingError {
            throw Self.describe(error)
        }
    }

    /// The 400 for a decoding failure, naming the field (`steps[1]`, `started_at`) or `body` for the whole.
    static func describe(_ error: DecodingError) -> SimulatorError {
        switch error {
        case .typeMismatch(let type, let context):
            let field = fieldName(context.codingPath)
            return field == "body"
                ? .invalid(field: field, "expected a JSON object")
                : .invalid(field: field, "wrong type; expected \(typeName(type))")
        case .valueNotFound(let type, let context):
            return .invalid(field: fieldName(context.codingPath), "must not be null; expected \(typeName(type))")
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return .invalid(field: "body", "the request body is not valid JSON")
        case .dataCorrupted(let context):
            return .invalid(field: fieldName(context.codingPath), context.debugDescription)
        case .keyNotFound(let key, let context):
            return .invalid(field: fieldName(context.codingPath + [key]), "is required")
        @unknown default:
            return .invalid(field: "body", "the request body could not be read")
        }
    }

    private static func fieldName(_ path: [any CodingKey]) -> String {
        guard !path.isEmpty else { return "body" }
        var name = ""
        for key in path {
            if let index = key.intValue {
                name += "[\(index)]"
            } else {
                name += (name.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return name
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Int64.Type, is Double.Type: "a number"
        case is [Any].Type: "an array"
        default: "an object"
        }
    }
}
