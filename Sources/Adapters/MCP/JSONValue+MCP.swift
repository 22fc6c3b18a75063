import MCP
import ProvisioningCore

extension JSONValue {
    /// The JSON a tool argument stands for, its strings as the client sent them (see `ToolArgumentShield`;
    /// arguments shielded so never hold `.data`, which would become a data URL string).
    init(mcp value: Value) {
        switch value {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .int(let number): self = .number(Double(number))
        case .double(let number): self = .number(number)
        case .string(let text): self = .string(ToolArgumentShield.unshield(text))
        case .data(let mimeType, let data): self = .string(data.dataURLEncoded(mimeType: mimeType))
        case .array(let elements): self = .array(elements.map(JSONValue.init(mcp:)))
        case .object(let members): self = .object(members.mapValues(JSONValue.init(mcp:)))
        }
    }
}

extension Value {
    /// `json` as an MCP `Value`; whole numbers become `.int`.
    init(json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .number(let number):
            if number.rounded() == number, let whole = Int(exactly: number) {
                self = .int(whole)
            } else {
                self = .double(number)
            }
        case .string(let text): self = .string(text)
        case .array(let elements): self = .array(elements.map(Value.init(json:)))
        case .object(let members): self = .object(members.mapValues(Value.init(json:)))
        }
    }
}
