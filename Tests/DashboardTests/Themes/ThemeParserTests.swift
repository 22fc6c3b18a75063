import DashboardCore
import Foundation
import TestSupport
import Testing

@Suite("Themes: parsing and errors")
struct ThemeParserTests {
    let parser = ThemeParser()

    @Test("palette variables, shorthand colours and attributes; roles left out keep the default")
    func parsesPartialTheme() throws {
        let theme = try parser.parse(
            """
            styles:
              status.running: { fg: $accent, attrs: [bold, underline] }
              cursor: { bg: "#005f87" }
              text.dim: 244
            palette:
              accent: bright-blue
            """, file: "mine.yaml", name: "mine")
        #expect(theme.name == "mine")
        #expect(theme.style(.statusRunning) == Style(foreground: .indexed(12), attributes: [.bold, .underline]))
        #expect(theme.style(.cursor) == Style(background: .rgb(red: 0, green: 0x5f, blue: 0x87)))
        #expect(theme.style(.textDim) == Style(foreground: .indexed(244)))
        #expect(theme.style(.statusFailed) == Theme.builtinDefault.style(.statusFailed))
    }

    @Test("colours: names, 0–255, #rrggbb, default; anything else is refused")
    func colours() {
        #expect(Color(parsing: "default") == .terminalDefault)
        #expect(Color(parsing: "Bright-Cyan") == .indexed(14))
        #expect(Color(parsing: "255") == .indexed(255))
        #expect(Color(parsing: "#FF8700") == .rgb(red: 255, green: 135, blue: 0))
        for bad in ["256", "-1", "#ff87", "#gg0000", "orange", ""] { #expect(Color(parsing: bad) == nil, "\(bad)") }
        #expect(Color.rgb(red: 255, green: 135, blue: 0).description == "#ff8700")
    }

    /// Each broken file, and the error it must give: file, line, key, and what is allowed.
    static let brokenFiles: [(yaml: String, expected: String)] = [
        (
            "styles:\n  cursor: { bg: blu }\n",
            "t.yaml:2: styles.cursor.bg: \"blu\" is not a colour; allowed: a colour name"
        ),
        (
            "styles:\n  text: {}\n  cursr: { bg: 1 }\n",
            "t.yaml:3: styles.cursr: unknown role; did you mean cursor? allowed: the 45 roles in the README's Roles"
        ),
        (
            "styles:\n  sparkles: 1\n",
            "t.yaml:2: styles.sparkles: unknown role; allowed: the 45 roles in the README's Roles table, such as"
        ),
        (
            "styles:\n  cursor: { fg: 1, attrs: [blink] }\n",
            "t.yaml:2: styles.cursor.attrs: \"blink\" is not an attribute"
        ),
        (
            "styles:\n  cursor: { fg: $nope }\n",
            "t.yaml:2: styles.cursor.fg: \"$nope\" is not in the palette; allowed: no palette"
        ),
        ("styles:\n  cursor: { colour: 1 }\n", "t.yaml:2: styles.cursor.colour: unknown field; allowed: fg, bg, attrs"),
        ("styles:\n  cursor:\n    bg: #005f87\n", "t.yaml:3: styles.cursor.bg: no colour given (quote #rrggbb"),
        (
            "styles:\n  cursor: { bg: #005f87 }\n",
            "t.yaml:2: #005f87 starts a YAML comment, so the colour is lost; quote it: \"#005f87\""
        ),
        ("palette:\n  a: #d75f00\n", "t.yaml:2: palette.a: no colour given (quote #rrggbb"),
        ("palette:\n  a: 300\n", "t.yaml:2: palette.a: \"300\" is not a colour"),
        (
            "styles:\n  cursor: { bg: 1 }\n  text: {}\n  cursor: { bg: 2 }\n",
            "t.yaml:4: cursor: given again (first on line 2); give each key once"
        ),
        ("styles:\n  cursor: { bg: 1, bg: 2 }\n", "t.yaml:2: bg: given again (first on line 2); give each key once"),
        (
            "styles:\n  cursor: { fg: 24, bg: 24 }\n",
            "t.yaml:2: styles.cursor: cursor would be drawn 24 on 24, which cannot be read; give fg and bg different"
        ),
        (
            "styles:\n  text: { bg: bright-black }\n",
            "t.yaml:2: styles.text: text.dim would be drawn bright-black on bright-black, which cannot be read;"
        ),
        ("colours:\n  a: 1\n", "t.yaml:1: colours: unknown key; allowed: name, description, palette, styles"),
        ("styles: [1, 2]\n", "t.yaml:1: styles: expected a mapping of roles"),
        ("styles:\n  cursor: { bg: 1\n", "t.yaml:3: not valid YAML"),
        ("- just\n- a list\n", "t.yaml:1: expected a mapping with `palette` and `styles`"),
    ]

    @Test("a broken file gives an error naming file, line and key", arguments: brokenFiles.indices)
    func brokenFile(index: Int) {
        let (yaml, expected) = Self.brokenFiles[index]
        #expect {
            _ = try parser.parse(yaml, file: "t.yaml", name: "t")
        } throws: { error in
            (error as? ThemeError)?.description.hasPrefix(expected) == true
        }
    }

    @Test("an empty file is the default theme under the file's name")
    func emptyFile() throws {
        let theme = try parser.parse("", file: "empty.yaml", name: "empty")
        #expect(theme == Theme.builtinDefault.overlaid(with: [:], name: "empty"))
    }

    @Test("NO_COLOR keeps attributes and turns background highlights into reverse video")
    func withoutColors() {
        let theme = Theme.builtinDefault.withoutColors
        #expect(theme.style(.cursor) == Style(attributes: [.bold, .reverse]))
        #expect(theme.style(.statusFailed) == Style(attributes: .bold))
        #expect(theme.style(.statusCompleted) == Style())
    }
}

@Suite("Themes: catalog and shipped files")
struct ThemeCatalogTests {
    static let shipped = ["colorblind", "default", "high-contrast", "light", "mono"]
    let catalog = ThemeCatalog(directories: [PackageFiles.themes])

    @Test("the package's themes folder is found from the test bundle")
    func packagedDirectory() {
        #expect(ThemeCatalog.standard(environment: [:]).directories.last == PackageFiles.themes)
    }

    @Test("every shipped theme loads, default first in the list")
    func shippedThemesLoad() throws {
        #expect(catalog.names == ["default", "colorblind", "high-contrast", "light", "mono"])
        for name in Self.shipped {
            let theme = try catalog.theme(name)
            #expect(theme.name == name)
        }
    }

    @Test("themes/default.yaml holds exactly the built-in default")
    func defaultFileMatchesBuiltin() throws {
        let file = try catalog.theme("default")
        for role in Role.allCases {
            #expect(file.style(role) == Theme.builtinDefault.style(role), "\(role.rawValue)")
        }
    }

    @Test("every shipped theme tells the six provisioning statuses apart")
    func statusesDistinct() throws {
        for name in Self.shipped {
            let theme = try catalog.theme(name)
            let styles = [Role.statusRunning, .statusCompleted, .statusFailed].map(theme.resolved)
            #expect(Set(styles).count == 3, "\(name)")
            #expect(theme.resolved(.cursor) != theme.resolved(.text), "\(name)")
        }
    }

    @Test("mono uses no colour at all")
    func monoHasNoColour() throws {
        let mono = try catalog.theme("mono")
        for role in Role.allCases {
            let style = mono.resolved(role)
            #expect(
                [nil, .terminalDefault].contains(style.foreground)
                    && [nil, .terminalDefault].contains(style.background))
        }
    }

    @Test("colorblind never pairs red and green for success and failure")
    func colorblindAvoidsRedGreen() throws {
        let theme = try catalog.theme("colorblind")
        let redGreen: Set<Color> = [.indexed(1), .indexed(2), .indexed(9), .indexed(10)]
        for role in [Role.statusCompleted, .statusFailed, .deploymentHealthy, .deploymentFailing] {
            #expect(!redGreen.contains(theme.resolved(role).foreground ?? .terminalDefault), "\(role.rawValue)")
        }
    }

    @Test("an unknown name is refused with the list of themes; a path is read as a file")
    func locate() throws {
        #expect {
            try catalog.locate("solarized")
        } throws: { error in
            (error as? ThemeError)?.description
                == "solarized: unknown theme; allowed: default, colorblind, high-contrast, light, mono "
                + "or the path of a .yaml theme file"
        }
        #expect(try catalog.locate(PackageFiles.themes + "/light.yaml") == .file(PackageFiles.themes + "/light.yaml"))
        #expect(throws: ThemeError.self) { try catalog.locate("/no/such/theme.yaml") }
        #expect(try ThemeCatalog(directories: []).locate("default") == .builtin)
    }

    @Test("a user theme overrides a shipped one of the same name")
    func userThemeWins() throws {
        let directory = try TemporaryDirectory()
        try "styles:\n  cursor: { bg: 1 }\n".write(
            toFile: directory.path + "/light.yaml", atomically: true, encoding: .utf8)
        let catalog = ThemeCatalog(directories: [directory.path, PackageFiles.themes])
        #expect(try catalog.theme("light").style(.cursor) == Style(background: .indexed(1)))
    }
}
