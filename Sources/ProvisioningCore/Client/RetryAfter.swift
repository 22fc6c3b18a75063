import Foundation

/// Reads the `Retry-After` header: delay-seconds or an HTTP date, clamped to an hour. Anything else (negative,
/// not finite, garbage) is ignored rather than trusted.
public enum RetryAfter {
    /// The longest wait a `Retry-After` can ask for.
    public static let maximumSeconds = 3600.0

    /// The seconds `value` asks to wait, or `nil`.
    public static func seconds(_ value: String?, now: Date = Date()) -> Double? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if value.allSatisfy(\.isNumber), let seconds = Double(value) {
            return min(seconds, maximumSeconds)
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return min(max(0, date.timeIntervalSince(now)), maximumSeconds)
    }
}
