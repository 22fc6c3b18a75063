import DashboardCore
import TerminalUI
import Testing

@Suite("Colour mapping for 256-, 16- and 8-colour terminals")
struct ColorMapperTests {
    private func text(_ color: Color?, over background: Color? = nil, colors: Int) -> TerminalStyle {
        ColorMapper(colorCount: colors).paint(Style(foreground: color, background: background))
    }

    @Test("24-bit colours become the nearest of the 256, or stay exact on direct-colour terminals")
    func trueColor() {
        #expect(text(.rgb(red: 0xff, green: 0x87, blue: 0x00), colors: 256).foreground == 208)
        #expect(text(.rgb(red: 0x00, green: 0x5f, blue: 0x87), colors: 256).foreground == 24)
        #expect(text(.rgb(red: 0x80, green: 0x80, blue: 0x80), colors: 256).foreground == 244)
        #expect(text(.rgb(red: 1, green: 2, blue: 3), colors: 1 << 24).foreground == 0x010203)
        #expect(text(.indexed(245), over: .indexed(24), colors: 256) == TerminalStyle(foreground: 245, background: 24))
    }

    @Test("8- and 16-colour terminals give other colours the nearest basic hue, dark blue blue and pale blue cyan")
    func hues() {
        #expect(text(.indexed(208), colors: 8).foreground == 3)
        #expect(text(.indexed(9), colors: 8).foreground == 1)
        #expect(text(.indexed(2), colors: 8).foreground == 2)
        #expect(text(.indexed(9), colors: 16).foreground == 9)
        #expect(text(nil, over: .indexed(24), colors: 8).background == 4)
        #expect(text(nil, over: .rgb(red: 0x00, green: 0x72, blue: 0xb2), colors: 8).background == 4)
        #expect(text(.rgb(red: 0x56, green: 0xb4, blue: 0xe9), colors: 8).foreground == 6)
        #expect(text(nil, over: .indexed(153), colors: 8).background == 6)
    }

    static let greys = [8, 15, 59, 102, 145, 188, 231] + Array(232...255)

    @Test("greys stay grey: black, white, the terminal's own colour, dim for the middle greys 8 colours lack")
    func greysStayGrey() {
        for grey in Self.greys {
            let eight = text(.indexed(UInt8(grey)), colors: 8)
            #expect([-1, 0, 7].contains(eight.foreground), "text in \(grey)")
            #expect([0, 7].contains(text(nil, over: .indexed(UInt8(grey)), colors: 8).background), "under \(grey)")
            #expect([-1, 0, 7, 8, 15].contains(text(.indexed(UInt8(grey)), colors: 16).foreground), "\(grey)")
            #expect([0, 7, 8, 15].contains(text(nil, over: .indexed(UInt8(grey)), colors: 16).background))
        }
        for middle in [8, 240, 244, 245, 249] {
            #expect(text(.indexed(UInt8(middle)), colors: 8) == TerminalStyle(attributes: .dim), "\(middle)")
            #expect(text(.indexed(UInt8(middle)), colors: 16).foreground == 8, "\(middle)")
        }
        #expect(
            text(.indexed(245), over: .indexed(236), colors: 8)
                == TerminalStyle(foreground: 7, background: 0, attributes: .dim))
        #expect(text(.indexed(250), over: .indexed(236), colors: 8) == TerminalStyle(foreground: 7, background: 0))
    }

    @Test("on 8 and 16 colours, text keeps 3:1 from any background a theme sets, however both degrade")
    func legibleAfterDegrading() {
        for colors in [8, 16] {
            let mapper = ColorMapper(colorCount: colors)
            var unreadable: [String] = []
            for background in 0...255 {
                for foreground in [nil] + (0...255).map(Optional.some) {
                    let style = Style(
                        foreground: foreground.map { .indexed(UInt8($0)) }, background: .indexed(UInt8(background)))
                    let painted = mapper.paint(style)
                    let shade = RGB.xterm(Int(painted.background))
                    var ink = RGB.xterm(Int(painted.foreground))
                    if painted.attributes.contains(.dim) { ink = ink.halfway(to: shade) }
                    if painted.foreground == painted.background || ink.contrast(with: shade) < 3 {
                        unreadable.append("\(style) → \(painted)")
                    }
                }
            }
            #expect(unreadable.isEmpty, "\(colors) colours: \(unreadable.prefix(10))")
        }
    }

    @Test("without colours a background that highlighted something becomes reverse video, as with NO_COLOR")
    func noColors() {
        let cursor = Style(background: .indexed(24), attributes: .bold)
        #expect(ColorMapper(colorCount: 0).paint(cursor) == TerminalStyle(attributes: [.bold, .reverse]))
        #expect(ColorMapper(colorCount: 0).paint(Style(foreground: .indexed(1))) == TerminalStyle())
    }

    @Test("default and an inherited colour mean the terminal's own colour")
    func terminalDefault() {
        for colors in [8, 16, 256] {
            #expect(text(.terminalDefault, colors: colors) == TerminalStyle())
            #expect(text(nil, colors: colors) == TerminalStyle())
        }
    }
}
