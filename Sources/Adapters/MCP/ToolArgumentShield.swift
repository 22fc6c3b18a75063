import Foundation

/// Keeps the strings of `tools/call` arguments exactly as the client sent them.
///
/// The swift-sdk decodes every JSON string that starts with `data:` as a data URL (`Value.data`), which cannot
/// be turned back into the text sent: the build log line `data: migrating schema, please wait` would reach
/// Koyeb as `data: migrating schema;base64,IHBsZWFzZSB3YWl0`. Before the swift-sdk reads a request, `shield`
/// marks every such argument string with a leading `marker` (and every string that already starts with the
/// marker, so nothing is ambiguous); `unshield` takes the marker off again when the tool reads its arguments.
enum ToolArgumentShield {
    /// U+0000, which no data URL starts with.
    static let marker: Character = "\u{0}"

    /// `body` with the argument strings of each `tools/call` request in it marked; any other body, and a body
    /// that is not JSON (the swift-sdk reports that), unchanged.
    static func shield(_ body: Data) -> Data {
        guard body.range(of: Data("tools/call".utf8)) != nil,
            let message = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])
        else { return body }
        let shielded: Any =
            if let batch = message as? [Any] { batch.map(shieldingCall) } else { shieldingCall(message) }
        return (try? JSONSerialization.data(withJSONObject: shielded, options: [.withoutEscapingSlashes])) ?? body
    }

    /// `text` as the client sent it.
    static func unshield(_ text: String) -> String {
        text.first == marker ? String(text.dropFirst()) : text
    }

    private static func shieldingCall(_ message: Any) -> Any {
        guard var request = message as? [String: Any], request["method"] as? String == "tools/call",
            var parameters = request["params"] as? [String: Any], let arguments = parameters["arguments"]
        else { return message }
        parameters["arguments"] = shieldingStrings(arguments)
        request["params"] = parameters
        return request
    }

    private static func shieldingStrings(_ value: Any) -> Any {
        switch value {
        case let text as String where text.hasPrefix("data:") || text.first == marker:
            return String(marker) + text
        case let array as [Any]:
            return array.map(shieldingStrings)
        case let object as [String: Any]:
            return object.mapValues(shieldingStrings)
        default:
            return value
        }
    }
}
