import MCP
import ProvisioningCore

/// `tools/call` with its `params` read as whatever JSON the client sent.
///
/// The swift-sdk's own `CallTool` decodes `params` before any handler runs, and reports parameters of the wrong
/// shape (`"arguments": []`, a missing `name`) as an internal error (-32603) that says only that the data is not
/// in the correct format. Registered in its place, this method lets `Parameters.toolCall()` answer invalid
/// params (-32602) naming what was wrong and what is allowed.
enum ToolCallMethod: Method {
    static let name = CallTool.name
    typealias Result = CallTool.Result

    /// The request's `params` as sent; `nil` when missing or `null`.
    struct Parameters: Codable, Hashable, Sendable, NotRequired {
        let json: Value?

        init() { json = nil }

        init(from decoder: any Decoder) throws {
            json = try decoder.singleValueContainer().decode(Value.self)
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(json)
        }

        /// The tool's name and arguments: `params` must be an object with a string `name` and, when present
        /// and not `null`, an object `arguments`.
        func toolCall() throws(MCPError) -> CallTool.Parameters {
            guard case .object(let members)? = json else {
                throw MCPError.invalidParams(
                    json.map { "params must be an object with name and arguments; got \(Self.kindName(of: $0))" }
                        ?? "params is required: an object with name and arguments")
            }
            guard case .string(let name)? = members["name"] else {
                let tools = ProvisioningOperation.allCases.map(\.toolName).joined(separator: ", ")
                throw MCPError.invalidParams(
                    members["name"].map { "name must be a string, one of \(tools); got \(Self.kindName(of: $0))" }
                        ?? "name is required: the tool to call, one of \(tools)")
            }
            switch members["arguments"] {
            case nil, .null?:
                return CallTool.Parameters(name: name)
            case .object(let arguments)?:
                return CallTool.Parameters(name: name, arguments: arguments)
            case let arguments?:
                throw MCPError.invalidParams(
                    "arguments must be an object of the tool's arguments; got \(Self.kindName(of: arguments))")
            }
        }

        private static func kindName(of value: Value) -> String { JSONValue(mcp: value).kindName }
    }
}
