import ProvisioningCore

/// The `/` filter: a case-insensitive substring matched against ids, app, service, stage and step names (raw
/// and human), and statuses.
public struct TreeFilter: Hashable, Sendable {
    /// The text as typed.
    public let text: String
    private let needle: [UInt8]

    /// The step names whose console label (e.g. "Clone repository" for `git-clone`) contains the text: found
    /// once here rather than looked up for every step on every keystroke.
    private let labelMatches: [String]
    /// Whether the text is made of `#` and digits only, as part of an attempt's `#12` must be.
    private let couldNameAnAttempt: Bool

    public init(_ text: String) {
        let needle = Array(text.lowercased().utf8)
        self.text = text
        self.needle = needle
        labelMatches = StepLabels.knownNames.filter { Self.contains(needle, in: StepLabels.label(for: $0)) }
        couldNameAnAttempt = needle.allSatisfy { $0 == UInt8(ascii: "#") || (0x30...0x39).contains($0) }
    }

    /// The empty filter, which matches everything.
    public static let none = TreeFilter("")

    public var isActive: Bool { !needle.isEmpty }

    /// Whether everything this filter matches, `other` matches too: both are active and this one's text holds
    /// `other`'s (as when typing on), so it can only hide more.
    public func narrows(_ other: TreeFilter) -> Bool {
        isActive && other.isActive && Self.contains(other.needle, in: text)
    }

    // Each node kind has its own test, taking only what it reads: matching runs over every node of the tree on
    // each keystroke, and building a `TreeNode` would copy the whole deployment into it each time.

    /// Whether the deployment itself (not its stages) matches.
    public func matches(_ deployment: Deployment) -> Bool {
        !isActive || contains(deployment.id) || contains(deployment.appID) || contains(deployment.serviceID)
            || contains(deployment.serviceName) || contains(deployment.status.rawValue)
    }

    /// Whether the stage itself (not its attempts) matches.
    public func matches(_ stage: Stage) -> Bool {
        !isActive || contains(stage.name) || contains(stage.status.rawValue)
    }

    /// Whether the attempt itself (not its steps) matches: `#2` finds attempt 2.
    public func matches(_ attempt: BuildAttempt) -> Bool {
        !isActive || (couldNameAnAttempt && contains("#\(attempt.id)")) || contains(attempt.status.rawValue)
    }

    /// Whether the step matches, by its name, its console label or its status.
    public func matches(_ step: BuildStep) -> Bool {
        !isActive || contains(step.name) || contains(step.status.rawValue) || labelMatches.contains(step.name)
    }

    /// Substring search on UTF-8 bytes with ASCII case folding: no allocation, as it runs over every node of
    /// the tree on each keystroke.
    private func contains(_ haystack: String?) -> Bool {
        Self.contains(needle, in: haystack)
    }

    private static func contains(_ needle: [UInt8], in haystack: String?) -> Bool {
        guard var haystack else { return false }
        return haystack.withUTF8 { bytes in
            guard bytes.count >= needle.count else { return false }
            var start = 0
            while start + needle.count <= bytes.count {
                var offset = 0
                while offset < needle.count, folded(bytes[start + offset]) == needle[offset] { offset += 1 }
                if offset == needle.count { return true }
                start += 1
            }
            return false
        }
    }

    private static func folded(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
    }
}
