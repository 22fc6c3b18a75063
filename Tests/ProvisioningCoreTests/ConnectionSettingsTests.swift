import Foundation
import Testing

@testable import ProvisioningCore

@Suite("Credentials and URL lookup")
struct ConnectionSettingsTests {
    private let home: String

    init() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("kprov-home-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    }

    private func writeKoyebConfig(_ text: String, mode: Int = 0o600) throws -> String {
        let path = home + "/.koyeb.yaml"
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: mode])
        return path
    }

    @Test func tokenLookupFollowsTheDocumentedOrder() throws {
        _ = try writeKoyebConfig("token: from-file\nurl: http://127.0.0.1:9\n")
        var environment = ["HOME": home, "KOYEB_API_KEY": "from-api-key", "KOYEB_TOKEN": "from-token"]
        var settings = try ConnectionSettings.resolve(tokenFlag: "from-flag", urlFlag: nil, environment: environment)
        #expect(settings.token?.bearerHeaderValue == "Bearer from-flag")
        #expect(settings.tokenSource == "--token")
        settings = try ConnectionSettings.resolve(tokenFlag: nil, urlFlag: nil, environment: environment)
        #expect(settings.tokenSource == "KOYEB_API_KEY")
        environment["KOYEB_API_KEY"] = ""
        settings = try ConnectionSettings.resolve(tokenFlag: nil, urlFlag: nil, environment: environment)
        #expect(settings.tokenSource == "KOYEB_TOKEN")
        environment["KOYEB_TOKEN"] = nil
        settings = try ConnectionSettings.resolve(tokenFlag: nil, urlFlag: nil, environment: environment)
        #expect(settings.token?.bearerHeaderValue == "Bearer from-file")
        #expect(settings.baseURL.text == "http://127.0.0.1:9")
    }

    /// A token that cannot travel in an HTTP header is refused where it is read, naming where it came from and
    /// what is allowed, never quoting it: before, it reached the HTTP library, whose error carried it.
    @Test(arguments: [
        ("abc\r\nX-Evil: SECRETPART", "a line break"), ("SECRETPART\nSECRETPART2", "a line break"),
        ("SECRET\u{7F}PART", "a control character"), ("SECRET\tPART", "a control character"),
        ("SECRET PART", "a space"), ("SECRETPÄRT", "a non-ASCII character"),
    ])
    func aTokenThatIsNoHeaderValueIsRefusedNamingItsSource(token: String, problem: String) throws {
        let escaped = token.unicodeScalars.map {
            $0.value < 0x20 || $0.value == 0x7F ? "\\x" + String(format: "%02X", $0.value) : String($0)
        }
        let path = try writeKoyebConfig("token: \"\(escaped.joined())\"\n")
        let sources: [(String?, [String: String], String)] = [
            (token, ["HOME": home], "--token"), (nil, ["HOME": home, "KOYEB_API_KEY": token], "KOYEB_API_KEY"),
            (nil, ["HOME": home, "KOYEB_TOKEN": token], "KOYEB_TOKEN"), (nil, ["HOME": home], path),
        ]
        for (flag, environment, source) in sources {
            let error = #expect(throws: ConfigurationError.self) {
                try ConnectionSettings.resolve(tokenFlag: flag, urlFlag: nil, environment: environment)
            }
            let message = error?.description ?? ""
            #expect(message.hasPrefix(source + ": the token contains \(problem);"), "\(message)")
            #expect(message.contains("visible ASCII"))
            #expect(!message.contains("SECRET"), "\(message)")
        }
    }

    @Test func surroundingWhitespaceIsTrimmedAndATokenOfVisibleASCIIPasses() throws {
        let settings = try ConnectionSettings.resolve(
            tokenFlag: "\t a-Z_0.9~!/+= \r\n", urlFlag: nil, environment: ["HOME": home])
        #expect(settings.token?.bearerHeaderValue == "Bearer a-Z_0.9~!/+=")
    }

    @Test func urlLookupFollowsTheDocumentedOrder() throws {
        let environment = ["HOME": home, "KOYEB_URL": "http://127.0.0.1:2"]
        #expect(
            try ConnectionSettings.resolve(tokenFlag: nil, urlFlag: "http://127.0.0.1:1", environment: environment)
                .baseURL.text == "http://127.0.0.1:1")
        #expect(
            try ConnectionSettings.resolve(tokenFlag: nil, urlFlag: nil, environment: environment).baseURL.text
                == "http://127.0.0.1:2")
        #expect(
            try ConnectionSettings.resolve(
                tokenFlag: nil, urlFlag: nil, kprovConfigURL: "http://127.0.0.1:3", environment: ["HOME": home]
            ).baseURL.text == "http://127.0.0.1:3")
        #expect(
            try ConnectionSettings.resolve(tokenFlag: nil, urlFlag: nil, environment: ["HOME": home]).baseURL == .koyeb)
    }

    @Test func koyebConfigPathComesFromKOYEB_CONFIG() throws {
        let path = home + "/elsewhere.yaml"
        FileManager.default.createFile(
            atPath: path, contents: Data("token: elsewhere\n".utf8), attributes: [.posixPermissions: 0o600])
        let settings = try ConnectionSettings.resolve(
            tokenFlag: nil, urlFlag: nil, environment: ["HOME": home, "KOYEB_CONFIG": path])
        #expect(settings.tokenSource == path)
    }

    @Test func aNamedConfigFileThatDoesNotExistIsAnError() throws {
        let path = home + "/missing.yaml"
        let error = #expect(throws: ConfigurationError.self) {
            try ConnectionSettings.resolve(
                tokenFlag: nil, urlFlag: nil, environment: ["HOME": home, "KOYEB_CONFIG": path])
        }
        #expect(error?.description.hasPrefix("KOYEB_CONFIG: \(path) does not exist") == true)
        // ~/.koyeb.yaml is optional.
        #expect(try ConnectionSettings.resolve(tokenFlag: nil, urlFlag: nil, environment: ["HOME": home]).token == nil)
    }

    @Test(arguments: [("token: [x]\n", "list"), ("url: http://x\ntoken:\n  a: b\n", "mapping")])
    func aTokenThatIsNotAStringIsNamedWithItsType(text: String, found: String) throws {
        let path = try writeKoyebConfig(text)
        let line = text.hasPrefix("token") ? 1 : 3
        let error = #expect(throws: ConfigurationError.self) {
            try ConnectionSettings.resolve(tokenFlag: nil, urlFlag: nil, environment: ["HOME": home])
        }
        #expect(error?.description == "\(path):\(line): token: must be a string, not a \(found)")
    }

    @Test func keysKprovDoesNotReadMayHoldAnythingAndNullIsNoToken() throws {
        _ = try writeKoyebConfig("organization: [a, b]\nprofiles: {x: 1}\ntoken: ~\n")
        #expect(try ConnectionSettings.resolve(tokenFlag: nil, urlFlag: nil, environment: ["HOME": home]).token == nil)
    }

    @Test func aWorldReadableTokenFileIsRefusedWithTheFix() throws {
        let path = try writeKoyebConfig("token: leaky\n", mode: 0o644)
        let error = #expect(throws: ConfigurationError.self) {
            try ConnectionSettings.resolve(tokenFlag: nil, urlFlag: nil, environment: ["HOME": home])
        }
        #expect(error?.description.contains("chmod 600 \(path)") == true)
        #expect(error?.description.contains("leaky") == false)
    }

    @Test func brokenYAMLNamesTheFileAndLine() throws {
        let path = try writeKoyebConfig("token: a\n  url: [unclosed\n")
        let error = #expect(throws: ConfigurationError.self) {
            try ConnectionSettings.resolve(tokenFlag: nil, urlFlag: nil, environment: ["HOME": home])
        }
        #expect(error?.description.hasPrefix(path) == true)
        #expect(error?.description.contains("line") == true)
    }

    /// Yams's own error text quotes the file's lines; a config file's lines can hold a token, so only the file,
    /// line, column and problem are shown.
    @Test(arguments: [
        ("token: YAMLSECRET_abc\ntoken: YAMLSECRET_def\n", "line 1, column 1: duplicated key(s) \"token\""),
        ("url: http://x\ntoken: YAMLSECRET_\u{07}abc\n", "line 2, column 19: control characters are not allowed"),
        ("token: YAMLSECRET_abc\n  url: [unclosed\n", "line 2, column 6: mapping values are not allowed"),
        ("token: \"YAMLSECRET_abc\n", "line 2, column 1: found unexpected end of stream"),
    ])
    func brokenYAMLShowsWhereButNeverTheFileText(text: String, expected: String) throws {
        let path = try writeKoyebConfig(text)
        let error = #expect(throws: ConfigurationError.self) {
            try ConnectionSettings.resolve(tokenFlag: nil, urlFlag: nil, environment: ["HOME": home])
        }
        let message = error?.description ?? ""
        #expect(message.hasPrefix("\(path): not valid YAML: \(expected)"), "\(message)")
        #expect(!message.contains("YAMLSECRET"), "\(message)")
        #expect(!message.contains("\n"))
    }

    @Test func aMalformedURLNamesItsSource() throws {
        let error = #expect(throws: ConfigurationError.self) {
            try ConnectionSettings.resolve(
                tokenFlag: nil, urlFlag: nil, environment: ["HOME": home, "KOYEB_URL": "nope"])
        }
        #expect(error?.description.hasPrefix("KOYEB_URL:") == true)
    }

    @Test func privateWritesAreAtomicAndMode0600() throws {
        let path = home + "/state/nested/file.json"
        try FilePermissions.writePrivately(Data("{}".utf8), to: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(FileManager.default.contents(atPath: path) == Data("{}".utf8))
    }
}
