import Foundation
import Hummingbird

/// Path parameters as the API means them. Hummingbird matches routes on the raw path and hands parameters over
/// still percent-encoded, so `build%2Farm%2064` stays one segment; here it becomes `build/arm 64`.
extension Parameters {
    /// The percent-decoded parameter `name`; a 400 naming it when the encoding is broken or the value empty.
    func decoded(_ name: String) throws(SimulatorError) -> String {
        guard let raw = get(name) else {
            throw .invalid(field: name, "is required")
        }
        // On the bytes: with Foundation imported, `raw.contains("%")` resolves to Foundation's substring search
        // (CFStringFind), which showed in profiles of every GET.
        guard raw.utf8.contains(UInt8(ascii: "%")) else {
            guard !raw.isEmpty else { throw .invalid(field: name, "must not be empty") }
            return raw
        }
        guard let value = raw.removingPercentEncoding, !value.isEmpty else {
            throw .invalid(field: name, "is not a valid percent-encoded UTF-8 path segment")
        }
        return value
    }

    /// The `{attempt}` parameter: a decimal int64 ≥ 0, as the path carries it.
    func attemptNumber() throws(SimulatorError) -> Int64 {
        let text = try decoded("attempt")
        guard let number = Int64(text), number >= 0 else {
            throw .invalid(
                field: "attempt",
                "\(ProvisioningRules.quoted(text)) is not an attempt number; allowed: an integer ≥ 0, e.g. 1")
        }
        return number
    }
}
