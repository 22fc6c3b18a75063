import DashboardCore

/// The 8 or 16 basic colours of a terminal without the 256, and how theme styles degrade to them.
///
/// - A grey stays a grey: black, white, and on 16 colours bright-black and bright-white. 8-colour terminals have
///   no grey between black and white, so text in a middle grey becomes dim text.
/// - Any other colour takes the basic colour nearest to it in Oklab (hue and lightness as the eye sees them),
///   never black or white: dark blue stays blue, pale blue becomes cyan. Text over the terminal's own background
///   keeps reading where it read: a light theme's dark green, which reads on white, does not become green, which
///   does not; it takes the terminal's own colour.
/// - Text is then checked against a background the theme sets: below `minimumContrast` (the same colour after
///   both degraded, say) it loses its dimness, then turns black or white, whichever reads better there. Text in
///   the terminal's own colour over such a background turns black or white from the start: that colour is
///   unknown, and may be the background's.
struct BasicPalette {
    /// 8 or 16.
    let count: Int

    /// The least contrast ratio degraded text keeps from a background the theme sets (WCAG's for large text and
    /// interface parts).
    static let minimumContrast = 3.0

    /// What the terminal paints for `style`.
    func paint(_ style: Style) -> TerminalStyle {
        var attributes = style.attributes
        let background = style.background.flatMap(backgroundIndex)
        var foreground = style.foreground.flatMap { textIndex($0, over: background, attributes: &attributes) }
        if let background {
            var text = foreground ?? contrasting(background)
            if attributes.contains(.dim), contrast(text, dim: true, over: background) < Self.minimumContrast {
                attributes.remove(.dim)
            }
            if contrast(text, dim: false, over: background) < Self.minimumContrast { text = contrasting(background) }
            foreground = text
        }
        return TerminalStyle(
            foreground: Int32(foreground ?? -1), background: Int32(background ?? -1), attributes: attributes)
    }

    // MARK: - Degrading one colour

    private var greys: [Int] { count == 16 ? [0, 8, 7, 15] : [0, 7] }
    private var hues: [Int] { count == 16 ? [1, 2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 14] : [1, 2, 3, 4, 5, 6] }

    /// The colour `color` stands for when it is not one of this palette's; `nil` for the terminal's own colour
    /// and for basic colours, which stay as they are.
    private func rgbToDegrade(_ color: Color) -> RGB? {
        switch color {
        case .terminalDefault: nil
        case .indexed(let index): Int(index) < count ? nil : .xterm(Int(index))
        case .rgb(let red, let green, let blue): RGB(Int(red), Int(green), Int(blue))
        }
    }

    private func basicIndex(_ color: Color) -> Int? {
        if case .indexed(let index) = color, Int(index) < count { return Int(index) }
        return nil
    }

    private func backgroundIndex(_ color: Color) -> Int? {
        guard let rgb = rgbToDegrade(color) else { return basicIndex(color) }
        return nearest(rgb, among: Self.isGrey(rgb) ? greys : hues)
    }

    /// The text colour for `color` over `background` (`nil`: the terminal's own); adds `dim` for a middle grey
    /// on a terminal without one. `nil` is the terminal's own colour.
    private func textIndex(_ color: Color, over background: Int?, attributes: inout TextAttributes) -> Int? {
        guard let rgb = rgbToDegrade(color) else { return basicIndex(color) }
        guard Self.isGrey(rgb) else { return hueIndex(rgb, over: background) }
        if Self.isMiddleGrey(rgb) {
            if count == 16 { return 8 }
            attributes.insert(.dim)
            return background.map(contrasting)
        }
        // Over the terminal's own background a light or dark grey is the terminal's own text colour, which reads
        // on light and dark terminals alike; black or white would vanish on one of them.
        return background == nil ? nil : nearest(rgb, among: greys)
    }

    /// The nearest basic hue for text in `rgb`. Over the terminal's own background, the one the theme chose
    /// `rgb` for, text must keep reading there: a colour that reads on white (a light theme's dark green) never
    /// becomes one that does not (green), and the same on black; the terminal's own colour stands in.
    private func hueIndex(_ rgb: RGB, over background: Int?) -> Int? {
        let hue = nearest(rgb, among: hues)
        guard background == nil else { return hue }
        let basic = RGB.xterm(hue)
        for shade in [RGB(255, 255, 255), RGB(0, 0, 0)]
        where rgb.contrast(with: shade) >= 4.5 && basic.contrast(with: shade) < Self.minimumContrast {
            return nil
        }
        return hue
    }

    private func nearest(_ rgb: RGB, among candidates: [Int]) -> Int {
        candidates.min { rgb.perceptualDistance(to: .xterm($0)) < rgb.perceptualDistance(to: .xterm($1)) }!
    }

    /// Black or white, whichever reads better on `background`.
    private func contrasting(_ background: Int) -> Int {
        let white = count == 16 ? 15 : 7
        let shade = RGB.xterm(background)
        return shade.contrast(with: .xterm(0)) >= shade.contrast(with: .xterm(white)) ? 0 : white
    }

    private func contrast(_ text: Int, dim: Bool, over background: Int) -> Double {
        let shade = RGB.xterm(background)
        let ink = dim ? RGB.xterm(text).halfway(to: shade) : RGB.xterm(text)
        return ink.contrast(with: shade)
    }

    private static func isGrey(_ rgb: RGB) -> Bool { rgb.chroma < 0.04 }

    /// A grey at least 2:1 from both black and white: 238–249 on the ramp, bright-black.
    private static func isMiddleGrey(_ rgb: RGB) -> Bool {
        rgb.contrast(with: .xterm(0)) >= 2 && rgb.contrast(with: RGB(255, 255, 255)) >= 2
    }
}
