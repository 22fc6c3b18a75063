import Foundation

/// A time typed by a person: `now` (or `n`), or an RFC 3339 timestamp.
public enum TimeArgument {
    /// The date `text` means, or `nil` when it is neither `now`/`n` nor RFC 3339.
    public static func parse(_ text: String, now: Date = Date()) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == "now" || trimmed.lowercased() == "n" { return now }
        return RFC3339.parse(trimmed)
    }

    /// What `parse` accepts, for error messages.
    public static let allowed = "`now` or an RFC 3339 time such as 2026-11-29T08:28:59Z"
}
