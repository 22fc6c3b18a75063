/// A colour a theme can name: the terminal's own colour, one of the 256 indexed colours (the first 16 are
/// the named ones), or a 24-bit colour that terminals without true colour show as the nearest indexed one.
public enum Color: Hashable, Sendable, CustomStringConvertible {
    /// The terminal's own foreground or background, so a theme works on light and dark backgrounds.
    case terminalDefault
    /// An indexed colour, 0–255; 0–15 are black, red, green, yellow, blue, magenta, cyan, white and their
    /// bright variants.
    case indexed(UInt8)
    case rgb(red: UInt8, green: UInt8, blue: UInt8)

    /// The 16 named colours, in index order.
    public static let names = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "bright-black", "bright-red", "bright-green", "bright-yellow", "bright-blue", "bright-magenta",
        "bright-cyan", "bright-white",
    ]

    /// Parses `default`, a colour name, a number 0–255 or `#rrggbb`; `nil` for anything else.
    public init?(parsing text: String) {
        let lowered = text.lowercased()
        if lowered == "default" {
            self = .terminalDefault
        } else if let index = Self.names.firstIndex(of: lowered) {
            self = .indexed(UInt8(index))
        } else if let number = Int(lowered), (0...255).contains(number) {
            self = .indexed(UInt8(number))
        } else if lowered.hasPrefix("#"), lowered.count == 7, let value = UInt32(lowered.dropFirst(), radix: 16) {
            self = .rgb(
                red: UInt8(value >> 16 & 0xFF), green: UInt8(value >> 8 & 0xFF), blue: UInt8(value & 0xFF))
        } else {
            return nil
        }
    }

    /// What `init(parsing:)` accepts, for error messages.
    public static let allowed = "a colour name (red, bright-blue, …), a number 0–255, #rrggbb or default"

    /// The text `init(parsing:)` reads back.
    public var description: String {
        switch self {
        case .terminalDefault: "default"
        case .indexed(let index): index < 16 ? Self.names[Int(index)] : String(index)
        case .rgb(let red, let green, let blue):
            "#" + [red, green, blue].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        }
    }
}
