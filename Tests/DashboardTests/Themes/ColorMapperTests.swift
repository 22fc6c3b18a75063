import DashboardCore
import TerminalUI
import Testing

@Suite("Colour mapping for 256-, 16- and 8-colour terminals")
struct ColorMapperTests {
    @Test("24-bit colours become the nearest of the 256, or stay exact on direct-colour terminals")
    func trueColor() {
        let mapper = ColorMapper(colorCount: 256)
        #expect(mapper.number(for: .rgb(red: 0xff, green: 0x87, blue: 0x00)) == 208)
        #expect(mapper.number(for: .rgb(red: 0x00, green: 0x5f, blue: 0x87)) == 24)
        #expect(mapper.number(for: .rgb(red: 0x80, green: 0x80, blue: 0x80)) == 244)
        #expect(ColorMapper(colorCount: 1 << 24).number(for: .rgb(red: 1, green: 2, blue: 3)) == 0x010203)
    }

    @Test("8- and 16-colour terminals degrade to the nearest basic colour")
    func degrade() {
        let eight = ColorMapper(colorCount: 8)
        #expect(eight.number(for: .indexed(208)) == 3)
        #expect(eight.number(for: .indexed(9)) == 1)
        #expect(eight.number(for: .indexed(236)) == 0)
        #expect(eight.number(for: .indexed(2)) == 2)
        #expect(ColorMapper(colorCount: 16).number(for: .indexed(9)) == 9)
        #expect(ColorMapper(colorCount: 16).number(for: .rgb(red: 250, green: 250, blue: 250)) == 15)
    }

    @Test("default, an inherited colour and a colourless terminal all mean the terminal's own colour")
    func terminalDefault() {
        #expect(ColorMapper(colorCount: 256).number(for: .terminalDefault) == -1)
        #expect(ColorMapper(colorCount: 256).number(for: nil) == -1)
        #expect(ColorMapper(colorCount: 0).number(for: .indexed(1)) == -1)
    }
}
