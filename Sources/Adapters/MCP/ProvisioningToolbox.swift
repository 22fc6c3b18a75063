import Foundation
import Logging
import MCP
import ProvisioningCore

/// The MCP tools: one per provisioning operation, named, described and annotated as the capability spec's
/// `exposes` block declares, each calling Koyeb through the shared `KoyebClient`.
///
/// A call returns Koyeb's JSON reply as `structuredContent`, which the tool's output schema describes, and as
/// text for clients that read only content. A call Koyeb refuses, or cannot take, returns a result with
/// `isError: true` and the failure in words only; so do arguments that do not fit the input schema, each problem
/// naming its argument, and nothing reaches Koyeb. Error results carry no `structuredContent`: the output schema
/// describes Koyeb's reply, and a client that skips `isError` must not mistake an error for one.
struct ProvisioningToolbox: Sendable {
    let client: KoyebClient
    let logger: Logger

    /// The three tools, in the spec's order.
    static let tools: [Tool] = ProvisioningOperation.allCases.map(tool)

    /// The tool of `operation`.
    static func tool(_ operation: ProvisioningOperation) -> Tool {
        Tool(
            name: operation.toolName,
            description: operation.summary,
            inputSchema: inputSchema(operation),
            annotations: Tool.Annotations(
                readOnlyHint: false, destructiveHint: false, idempotentHint: operation.isIdempotent,
                openWorldHint: true),
            outputSchema: outputSchema(operation)
        )
    }

    /// The arguments: the path parameters as strings and the request body as an object, all required; the
    /// body's properties are Koyeb's request fields, and no others.
    static func inputSchema(_ operation: ProvisioningOperation) -> Value {
        var properties = [String: JSONValue]()
        for parameter in operation.pathParameters {
            properties[parameter.toolArgument] = parameter.schema
        }
        properties["body"] = .object([
            "type": .string("object"),
            "description": .string("The request body (Koyeb's \(operation.requestSchemaName)), with no other fields."),
            "properties": .object(Dictionary(uniqueKeysWithValues: operation.bodyFields.map { ($0.name, $0.schema) })),
            "additionalProperties": .bool(false),
        ])
        let required = operation.pathParameters.map(\.toolArgument) + ["body"]
        return Value(
            json: .object([
                "type": .string("object"),
                "properties": .object(properties),
                "required": .array(required.map(JSONValue.string)),
                "additionalProperties": .bool(false),
            ]))
    }

    /// Koyeb's reply: an object, as the spec's `outputParameters` (`type: object`, `mapping: $.`) declare.
    static func outputSchema(_ operation: ProvisioningOperation) -> Value {
        Value(
            json: .object([
                "type": .string("object"),
                "description": .string("Koyeb's reply (its \(operation.replySchemaName)), as it came."),
            ]))
    }

    // MARK: - Calling

    /// Runs `tools/call`. An unknown tool name is a protocol error; everything else is a tool result.
    func call(_ parameters: CallTool.Parameters) async throws -> CallTool.Result {
        guard let operation = ProvisioningOperation(toolName: parameters.name) else {
            let names = ProvisioningOperation.allCases.map(\.toolName).joined(separator: ", ")
            let name = TerminalText.sanitized(parameters.name, limit: 60)
            throw MCPError.invalidParams("unknown tool \"\(name)\"; the tools are: \(names)")
        }
        let declaration: Declaration
        do {
            declaration = try Self.parse(operation, arguments: parameters.arguments ?? [:])
        } catch {
            logger.debug("tool call refused", metadata: ["tool": .string(operation.toolName)])
            return Self.errorResult("Invalid arguments, nothing was sent to Koyeb: " + error.problems)
        }
        do {
            let reply = try await client.send(declaration)
            let text = String(decoding: try KoyebJSON.encoder().encode(reply), as: UTF8.self)
            return try CallTool.Result(
                content: [.text(text: text, annotations: nil, _meta: nil)], structuredContent: reply, isError: false)
        } catch {
            let failure = UpstreamFailure.from(error)
            failure.log(operation, to: logger)
            return Self.errorResult(failure.sentence)
        }
    }

    /// Checks the arguments against the tool's input schema and builds the call.
    static func parse(
        _ operation: ProvisioningOperation, arguments: [String: Value]
    ) throws(InvalidInput) -> Declaration {
        var problems = [ErrorField]()
        let known = Set(operation.pathParameters.map(\.toolArgument) + ["body"])
        for name in arguments.keys.sorted() where !known.contains(name) {
            problems.append(
                ErrorField(
                    field: TerminalText.sanitized(name, limit: 40),
                    description: "is not an argument of this tool; the arguments are: "
                        + known.sorted().joined(separator: ", ")))
        }
        var parameters = [PathParameter: String]()
        for parameter in operation.pathParameters {
            guard let value = arguments[parameter.toolArgument] else { continue }
            guard case .string(let text) = value else {
                problems.append(ErrorField(field: parameter.toolArgument, description: Self.notAString(value)))
                continue
            }
            parameters[parameter] = ToolArgumentShield.unshield(text)
        }
        let parser = ProvisioningCallParser(
            operation: operation, parameterName: \.toolArgument, bodyFieldPrefix: "body.", bodyName: "body",
            refusesUnknownBodyFields: true)
        var call: Declaration?
        do {
            call = try parser.parse(parameters: parameters, body: arguments["body"].map(JSONValue.init(mcp:)))
        } catch {
            // An argument already reported as the wrong type is not reported again as missing.
            problems += error.fields.filter { field in !problems.contains { $0.field == field.field } }
        }
        guard problems.isEmpty, let call else { throw InvalidInput(fields: problems) }
        return call
    }

    /// Why `value` is no path argument; a whole number, as agents often send the attempt, with the string to send
    /// instead.
    private static func notAString(_ value: Value) -> String {
        if case .int(let number) = value {
            return "must be a string; got the number \(number), send \"\(number)\" instead"
        }
        return "must be a string; got \(JSONValue(mcp: value).kindName)"
    }

    private static func errorResult(_ text: String) -> CallTool.Result {
        CallTool.Result(content: [.text(text: text, annotations: nil, _meta: nil)], isError: true)
    }
}
