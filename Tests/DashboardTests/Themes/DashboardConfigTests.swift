import DashboardCore
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
        ("- a\n", "c.yaml: expected `key: value` lines"),
        ("theme: \"a\n", "c.yaml:2: not valid YAML"),
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

    @Test("no file is an empty config; the file lives under XDG_CONFIG_HOME, else ~/.config")
    func location() throws {
        #expect(try DashboardConfig.load(path: "/no/such/config.yaml") == DashboardConfig())
        #expect(
            ConfigLocation.configFile(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]) == "/x/kprov/config.yaml")
        #expect(ConfigLocation.configFile(environment: ["HOME": "/h"]) == "/h/.config/kprov/config.yaml")
        #expect(ConfigLocation.configFile(environment: [:]) == nil)
    }
}
