import DashboardCore

/// Turns theme colours into the colour numbers a terminal with `colorCount` colours understands: 24-bit colours
/// become the nearest of the 256 indexed ones, and on 16- and 8-colour terminals everything degrades to the
/// nearest basic colour. `-1` is the terminal's own colour.
public struct ColorMapper: Hashable, Sendable {
    public let colorCount: Int

    public init(colorCount: Int) {
        self.colorCount = colorCount
    }

    /// The colour number for `color`; `nil` (inherit) and `default` map to -1.
    public func number(for color: Color?) -> Int32 {
        guard let color, colorCount > 0 else { return -1 }
        switch color {
        case .terminalDefault:
            return -1
        case .indexed(let index):
            return fit(Int(index))
        case .rgb(let red, let green, let blue):
            if colorCount >= 1 << 24 { return Int32(Int(red) << 16 | Int(green) << 8 | Int(blue)) }
            return fit(Self.nearestIndex(red: Int(red), green: Int(green), blue: Int(blue)))
        }
    }

    /// `index` (0–255) on this terminal.
    private func fit(_ index: Int) -> Int32 {
        if colorCount >= 256 || index < min(colorCount, 16) { return Int32(index) }
        let (red, green, blue) = Self.rgb(ofIndex: index)
        let basic = Self.nearestBasic(red: red, green: green, blue: blue, count: min(colorCount, 16))
        return Int32(basic)
    }

    // MARK: - The xterm palette

    private static let cubeLevels = [0, 95, 135, 175, 215, 255]
    private static let basicColors: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
        (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255),
        (0, 255, 255), (255, 255, 255),
    ]

    /// The RGB value of indexed colour `index` in the xterm palette.
    static func rgb(ofIndex index: Int) -> (Int, Int, Int) {
        switch index {
        case 0..<16: return basicColors[index]
        case 16..<232:
            let cube = index - 16
            return (cubeLevels[cube / 36], cubeLevels[cube / 6 % 6], cubeLevels[cube % 6])
        default:
            let level = 8 + (index - 232) * 10
            return (level, level, level)
        }
    }

    /// The 256-colour index nearest to an RGB value: the closer of the 6×6×6 cube and the grey ramp.
    static func nearestIndex(red: Int, green: Int, blue: Int) -> Int {
        func level(_ value: Int) -> Int {
            cubeLevels.indices.min { abs(cubeLevels[$0] - value) < abs(cubeLevels[$1] - value) }!
        }
        let cube = 16 + 36 * level(red) + 6 * level(green) + level(blue)
        let average = (red + green + blue) / 3
        let grey = 232 + min(23, max(0, (average - 8 + 5) / 10))
        return distance(rgb(ofIndex: cube), (red, green, blue)) <= distance(rgb(ofIndex: grey), (red, green, blue))
            ? cube : grey
    }

    private static func nearestBasic(red: Int, green: Int, blue: Int, count: Int) -> Int {
        (0..<count).min {
            distance(basicColors[$0], (red, green, blue)) < distance(basicColors[$1], (red, green, blue))
        }!
    }

    private static func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        let (dr, dg, db) = (a.0 - b.0, a.1 - b.1, a.2 - b.2)
        return 2 * dr * dr + 4 * dg * dg + 3 * db * db
    }
}
