import Foundation

/// A linear scan for JSON nested too deep, run before decoding so hostile input cannot exhaust the stack.
public enum JSONNesting {
    /// Whether `data` opens more than `limit` arrays or objects inside one another (brackets inside strings do
    /// not count).
    public static func exceeds(_ limit: Int, in data: Data) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in data {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                if depth > limit { return true }
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
        }
        return false
    }
}
