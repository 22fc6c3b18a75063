import Foundation

/// Compact durations and ages: `45s`, `3m12s`, `2h05m`, `3d04h`.
public enum DurationText {
    /// `seconds` in the most compact form that keeps two units; negative values count as zero.
    public static func compact(_ seconds: TimeInterval) -> String {
        let total = max(0, Int(seconds.rounded(.down)))
        let days = total / 86_400
        let hours = total / 3600 % 24
        let minutes = total / 60 % 60
        let secs = total % 60
        if days > 0 { return "\(days)d" + pad(hours) + "h" }
        if total >= 3600 { return "\(total / 3600)h" + pad(minutes) + "m" }
        if total >= 60 { return "\(minutes)m" + pad(secs) + "s" }
        return "\(secs)s"
    }

    /// How long ago `date` was, one unit only: `12s`, `5m`, `3h`, `4d`.
    public static func age(of date: Date, now: Date) -> String {
        let total = max(0, Int(now.timeIntervalSince(date).rounded(.down)))
        if total >= 86_400 { return "\(total / 86_400)d" }
        if total >= 3600 { return "\(total / 3600)h" }
        if total >= 60 { return "\(total / 60)m" }
        return "\(total)s"
    }

    /// The elapsed time of something that started at `start` and finished at `end` (or is still going at
    /// `now`); `nil` when it has not started.
    public static func elapsed(from start: Date?, to end: Date?, now: Date) -> String? {
        guard let start else { return nil }
        return compact((end ?? now).timeIntervalSince(start))
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
