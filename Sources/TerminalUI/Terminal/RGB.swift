import Foundation

/// A colour as a terminal shows it, 0–255 per channel, with what is needed to judge how well text reads on it:
/// WCAG 2 relative luminance and contrast ratio, and the Oklab coordinates in which colours are compared.
public struct RGB: Hashable, Sendable, CustomStringConvertible {
    public var red: Int
    public var green: Int
    public var blue: Int

    public init(_ red: Int, _ green: Int, _ blue: Int) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    // MARK: - The xterm palette

    private static let cubeLevels = [0, 95, 135, 175, 215, 255]
    private static let basicColors = [
        RGB(0, 0, 0), RGB(205, 0, 0), RGB(0, 205, 0), RGB(205, 205, 0), RGB(0, 0, 238), RGB(205, 0, 205),
        RGB(0, 205, 205), RGB(229, 229, 229), RGB(127, 127, 127), RGB(255, 0, 0), RGB(0, 255, 0), RGB(255, 255, 0),
        RGB(92, 92, 255), RGB(255, 0, 255), RGB(0, 255, 255), RGB(255, 255, 255),
    ]

    /// Indexed colour `index` (0–255) in the xterm palette: the 16 basic colours, the 6×6×6 cube, the grey ramp.
    public static func xterm(_ index: Int) -> RGB {
        switch index {
        case 0..<16: return basicColors[index]
        case 16..<232:
            let cube = index - 16
            return RGB(cubeLevels[cube / 36], cubeLevels[cube / 6 % 6], cubeLevels[cube % 6])
        default:
            let level = 8 + (index - 232) * 10
            return RGB(level, level, level)
        }
    }

    /// The index of the 256-colour palette nearest to this colour: the closer of the cube and the grey ramp.
    public var nearestXtermIndex: Int {
        func level(_ value: Int) -> Int {
            Self.cubeLevels.indices.min { abs(Self.cubeLevels[$0] - value) < abs(Self.cubeLevels[$1] - value) }!
        }
        let cube = 16 + 36 * level(red) + 6 * level(green) + level(blue)
        let average = (red + green + blue) / 3
        let grey = 232 + min(23, max(0, (average - 8 + 5) / 10))
        return distance(to: .xterm(cube)) <= distance(to: .xterm(grey)) ? cube : grey
    }

    private func distance(to other: RGB) -> Int {
        let (dr, dg, db) = (red - other.red, green - other.green, blue - other.blue)
        return 2 * dr * dr + 4 * dg * dg + 3 * db * db
    }

    // MARK: - Legibility

    /// WCAG 2 relative luminance, 0 (black) to 1 (white).
    public var luminance: Double {
        0.2126 * Self.linear(red) + 0.7152 * Self.linear(green) + 0.0722 * Self.linear(blue)
    }

    /// The WCAG 2 contrast ratio between this colour and `other`, 1 to 21: 4.5 is the minimum for body text,
    /// 3 for large text and interface parts, 7 the enhanced level.
    public func contrast(with other: RGB) -> Double {
        let (lighter, darker) = (max(luminance, other.luminance), min(luminance, other.luminance))
        return (lighter + 0.05) / (darker + 0.05)
    }

    /// Halfway between this colour and `other`: how terminals draw dim (faint) text over a background.
    public func halfway(to other: RGB) -> RGB {
        RGB((red + other.red) / 2, (green + other.green) / 2, (blue + other.blue) / 2)
    }

    /// Oklab lightness and opponent axes: distances there follow how different colours look.
    var oklab: (lightness: Double, a: Double, b: Double) {
        let (r, g, b) = (Self.linear(red), Self.linear(green), Self.linear(blue))
        let l = cbrt(0.412_221_470_8 * r + 0.536_332_536_3 * g + 0.051_445_992_9 * b)
        let m = cbrt(0.211_903_498_2 * r + 0.680_699_545_1 * g + 0.107_396_956_6 * b)
        let s = cbrt(0.088_302_461_9 * r + 0.281_718_837_6 * g + 0.629_978_700_5 * b)
        return (
            0.210_454_255_3 * l + 0.793_617_785_0 * m - 0.004_072_046_8 * s,
            1.977_998_495_1 * l - 2.428_592_205_0 * m + 0.450_593_709_9 * s,
            0.025_904_037_1 * l + 0.782_771_766_2 * m - 0.808_675_766_0 * s
        )
    }

    /// How colourful the colour is in Oklab; greys are 0, the basic colours 0.1–0.3.
    var chroma: Double {
        let (_, a, b) = oklab
        return (a * a + b * b).squareRoot()
    }

    /// The squared Oklab distance to `other`.
    func perceptualDistance(to other: RGB) -> Double {
        let (l1, a1, b1) = oklab
        let (l2, a2, b2) = other.oklab
        return (l1 - l2) * (l1 - l2) + (a1 - a2) * (a1 - a2) + (b1 - b2) * (b1 - b2)
    }

    private static func linear(_ channel: Int) -> Double {
        let value = Double(channel) / 255
        return value <= 0.04045 ? value / 12.92 : pow((value + 0.055) / 1.055, 2.4)
    }

    /// `#rrggbb`.
    public var description: String {
        "#" + [red, green, blue].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
