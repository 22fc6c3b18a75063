import Foundation

/// The symbols the dashboard draws, in a Unicode set and an ASCII set for terminals without UTF-8.
public struct Glyphs: Hashable, Sendable {
    public var collapsed: String
    public var expanded: String
    public var completed: String
    public var failed: String
    public var aborted: String
    public var unknown: String
    public var pending: String
    /// Frames of the spinner shown on running items. The ASCII set's frames leave out `|`, which would read as
    /// a tree line beside the branches.
    public var spinner: [String]
    /// The dot before a deployment status badge.
    public var badge: String
    public var branch: String
    public var lastBranch: String
    public var vertical: String
    public var horizontal: String
    public var ellipsis: String
    public var checked: String
    public var unchecked: String

    /// `▸ ▾ ✓ ✗ ● ○ ⠋ │ ├─ └─ …`
    public static let unicode = Glyphs(
        collapsed: "▸", expanded: "▾", completed: "✓", failed: "✗", aborted: "✗", unknown: "✗", pending: "○",
        spinner: ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"], badge: "●", branch: "├─",
        lastBranch: "└─", vertical: "│", horizontal: "─", ellipsis: "…", checked: "[x]", unchecked: "[ ]")

    /// Plain ASCII for `--ascii` and terminals whose locale is not UTF-8.
    public static let ascii = Glyphs(
        collapsed: ">", expanded: "v", completed: "+", failed: "X", aborted: "x", unknown: "?", pending: "o",
        spinner: ["/", "-", "\\", "-"], badge: "*", branch: "|-", lastBranch: "`-", vertical: "|",
        horizontal: "-", ellipsis: "~", checked: "[x]", unchecked: "[ ]")

    /// `text` with arrows and other non-ASCII symbols spelled out when this is the ASCII set (help, hints).
    public func spelled(_ text: String) -> String {
        guard self == .ascii else { return text }
        let replacements: [(String, String)] = [
            ("↑", "Up"), ("↓", "Down"), ("←", "Left"), ("→", "Right"), ("▸", ">"), ("▾", "v"), ("—", "-"),
            ("…", "..."), ("·", "-"),
        ]
        return replacements.reduce(text) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
    }

    /// The icon for a provisioning status; running items take the spinner frame `frame`.
    public func icon(for status: ProvisioningStatusKind, frame: Int) -> String {
        switch status {
        case .completed: completed
        case .failed: failed
        case .aborted: aborted
        case .unknown: unknown
        case .pending: pending
        case .running: spinner[((frame % spinner.count) + spinner.count) % spinner.count]
        }
    }
}
