/// A string enumeration that tolerates values it does not know.
///
/// Koyeb adds enum values over time; a client that refused to decode them would break the moment it does.
/// Conforming types keep the raw value, so an unrecognised status survives a decode/encode round trip and can
/// still be shown, while `isRecognized` tells code that needs a known value.
public protocol OpenEnum: RawRepresentable, Codable, Hashable, Sendable, CustomStringConvertible
where RawValue == String {
    /// The values the spec lists, in the spec's order.
    static var recognized: [Self] { get }
    init(rawValue: String)
}

extension OpenEnum {
    /// Whether the spec lists this value.
    public var isRecognized: Bool { Self.recognized.contains(self) }

    public var description: String { rawValue }

    /// The recognised value whose raw value matches `text` ignoring case, if any.
    public static func recognized(matching text: String) -> Self? {
        let upper = text.uppercased()
        return recognized.first { $0.rawValue == upper }
    }

    /// The recognised raw values joined for an error message, e.g. `PENDING, RUNNING, …`.
    public static var recognizedList: String { recognized.map(\.rawValue).joined(separator: ", ") }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
