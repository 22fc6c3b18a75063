import DashboardCore
import Foundation
import ProvisioningCore
import Testing

@Suite("Config file")
struct DashboardConfigTests {
    @Test("every key is read")
    func readsKeys() throws {
        let config = try DashboardConfig.parse(
            """
            theme: light
            interval: 5
            url: http://127.0.0.1:8000
            ascii: true
            read_only: yes
            deployments: [d1, d2]
            status: provisioning
            app_id: a1
            service_id: s1
            """, file: "config.yaml")
        #expect(config.theme == "light")
        #expect(config.interval == 5)
        #expect(config.url == "http://127.0.0.1:8000")
        #expect(config.ascii == true && config.readOnly == true)
        #expect(config.deployments == ["d1", "d2"])
        #expect(config.statuses == [.provisioning])
        #expect(config.appID == "a1" && config.serviceID == "s1")
    }

    static let badFiles: [(String, String)] = [
        ("interval: 0\n", "c.yaml:1: interval: \"0\" is not an interval; allowed: whole seconds from 1 to 3600"),
        ("theme: x\nascii: maybe\n", "c.yaml:2: ascii: \"maybe\" is not a boolean; allowed: true or false"),
        ("status: [HEALTHY, NAPPING]\n", "c.yaml:1: status: \"NAPPING\" is not a deployment status; allowed: PENDING,"),
        ("intervall: 3\n", "c.yaml:1: intervall: unknown key; allowed: theme, interval, url,"),
        ("theme: [a]\n", "c.yaml:1: theme: expected a non-empty text"),
        ("- a\n", "c.yaml:1: expected `key: value` lines"),
        ("theme: \"a\n", "c.yaml:2: not valid YAML"),
        ("theme: a\nurl: \u{7}\n", "c.yaml:2: not valid YAML: control characters are not allowed"),
        ("interval: [1]\n", "c.yaml:1: interval: expected a number of whole seconds from 1 to 3600, got a list"),
        ("ascii: {a: 1}\n", "c.yaml:1: ascii: expected true or false, got a mapping"),
        ("deployments: {a: 1}\n", "c.yaml:1: deployments: expected a list of texts, got a mapping"),
        (
            "read_only: true\nascii: true\nread_only: false\n",
            "c.yaml:3: read_only: given again (first on line 1); give each key once"
        ),
        (
            "url: http://a.example\nurl: notaurl\n",
            "c.yaml:2: url: given again (first on line 1); give each key once"
        ),
        (
            "theme: x\nurl: notaurl\n",
            "c.yaml:2: url: \"notaurl\" is not a valid API URL; expected http:// or https:// with a host"
        ),
    ]

    @Test("a bad value names the file, line and key, and what is allowed", arguments: badFiles.indices)
    func badValue(index: Int) {
        let (yaml, expected) = Self.badFiles[index]
        #expect {
            _ = try DashboardConfig.parse(yaml, file: "c.yaml")
        } throws: { error in
            (error as? ConfigurationError)?.description.hasPrefix(expected) == true
        }
    }

    @Test("where each key was written is kept, for errors found later (an unknown theme)")
    func origins() throws {
        let config = try DashboardConfig.parse("ascii: true\ntheme: nope\n", file: "c.yaml")
        #expect(config.origins["theme"]?.error("unknown").description == "c.yaml:2: theme: unknown")
    }

    @Test("a file that cannot be read says why: a directory, not UTF-8")
    func unreadableFile() throws {
        let directory = try TemporaryDirectory()
        let cases = [
            (directory.path, "\(directory.path): is a directory; expected a YAML file"),
            (directory.path + "/latin1.yaml", "\(directory.path)/latin1.yaml: is not UTF-8 text"),
        ]
        try Data([0x74, 0x3A, 0x20, 0xE9, 0x0A]).write(to: URL(fileURLWithPath: directory.path + "/latin1.yaml"))
        for (path, expected) in cases {
            #expect {
                _ = try DashboardConfig.load(path: path)
            } throws: { error in
                (error as? ConfigurationError)?.description == expected
            }
        }
    }

    @Test("no file is an empty config; the file lives under XDG_CONFIG_HOME, else ~/.config")
    func location() throws {
        #expect(try DashboardConfig.load(path: "/no/such/config.yaml") == DashboardConfig())
        #expect(
            ConfigLocation.configFile(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]) == "/x/kprov/config.yaml")
        #expect(ConfigLocation.configFile(environment: ["HOME": "/h"]) == "/h/.config/kprov/config.yaml")
        #expect(ConfigLocation.configFile(environment: [:]) == nil)
    }
}
