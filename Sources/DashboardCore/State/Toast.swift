import Foundation

/// A short message at the bottom of the screen that goes away by itself.
public struct Toast: Hashable, Sendable, Identifiable {
    public enum Kind: Hashable, Sendable {
        case info, success, error

        /// How long a toast of this kind stays.
        public var lifetime: TimeInterval { self == .error ? 8 : 4 }
    }

    public var id: Int
    public var kind: Kind
    public var text: String
    public var expiresAt: Date

    public init(id: Int, kind: Kind, text: String, expiresAt: Date) {
        self.id = id
        self.kind = kind
        self.text = text
        self.expiresAt = expiresAt
    }
}
