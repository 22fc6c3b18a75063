import ProvisioningCore

/// The `/` filter: a case-insensitive substring matched against ids, app, service, stage and step names (raw
/// and human), and statuses.
public struct TreeFilter: Hashable, Sendable {
    /// The text as typed.
    public let text: String
    private let needle: [UInt8]

    public init(_ text: String) {
        self.text = text
        needle = Array(text.lowercased().utf8)
    }

    /// The empty filter, which matches everything.
    public static let none = TreeFilter("")

    public var isActive: Bool { !needle.isEmpty }

    /// Whether the node itself (not its descendants) matches.
    public func matches(_ node: TreeNode) -> Bool {
        guard isActive else { return true }
        switch node {
        case .deployment(let deployment):
            return contains(deployment.id) || contains(deployment.appID) || contains(deployment.serviceID)
                || contains(deployment.serviceName) || contains(deployment.status.rawValue)
        case .stage(let stage, _):
            return contains(stage.name) || contains(stage.status.rawValue)
        case .attempt(let attempt, _, _):
            return contains("#\(attempt.id)") || contains(attempt.status.rawValue)
        case .step(let step, _, _, _):
            return contains(step.name) || contains(StepLabels.label(for: step.name))
                || contains(step.status.rawValue)
        }
    }

    /// Substring search on UTF-8 bytes with ASCII case folding: no allocation, as it runs over every node of
    /// the tree on each keystroke.
    private func contains(_ haystack: String?) -> Bool {
        guard var haystack else { return false }
        return haystack.withUTF8 { bytes in
            guard bytes.count >= needle.count else { return false }
            var start = 0
            while start + needle.count <= bytes.count {
                var offset = 0
                while offset < needle.count, Self.folded(bytes[start + offset]) == needle[offset] { offset += 1 }
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
