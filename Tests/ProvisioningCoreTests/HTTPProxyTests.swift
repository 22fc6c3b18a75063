import Foundation
import KoyebSimulator
import Testing

@testable import ProvisioningCore

@Suite("HTTP proxies: the URLs taken, the environment read, and requests through a CONNECT tunnel")
struct HTTPProxyTests {
    // MARK: - Proxy URLs

    @Test(arguments: [
        ("http://proxy.corp.example:3128", "proxy.corp.example", 3128),
        ("proxy.corp.example:3128", "proxy.corp.example", 3128),
        ("http://proxy.corp.example", "proxy.corp.example", 80),
        ("HTTP://Proxy.Corp.Example:8080/", "proxy.corp.example", 8080),
        ("http://[::1]:3128", "::1", 3128),
    ])
    func aProxyURLGivesHostAndPort(text: String, host: String, port: Int) throws {
        let proxy = try HTTPProxy(parsing: text, source: "HTTPS_PROXY")
        #expect(proxy.host.lowercased() == host)
        #expect(proxy.port == port)
        #expect(proxy.authorization == nil)
    }

    @Test func credentialsBecomeBasicAuthorizationAndAreNeverShown() throws {
        let proxy = try HTTPProxy(parsing: "http://build%20bot:p%40ss:word@proxy.example:3128", source: "HTTPS_PROXY")
        #expect(proxy.authorization == "Basic " + Data("build bot:p@ss:word".utf8).base64EncodedString())
        #expect("\(proxy)" == "http://proxy.example:3128")
        var dumped = ""
        dump(proxy, to: &dumped)
        let encoded = try #require(proxy.authorization).dropFirst("Basic ".count)
        for shown in [String(reflecting: proxy), dumped, "\([proxy])"] {
            #expect(!shown.contains("word") && !shown.contains(encoded), "\(shown)")
        }
    }

    @Test(arguments: [
        ("https://proxy.example:443", "is not an http:// proxy"),
        ("socks5://proxy.example:1080", "is not an http:// proxy"),
        ("http://proxy.example:70000", "has a port out of range 1–65535"),
        ("http://proxy.example:3128/some/path", "is not a proxy URL"),
        ("http://", "is not a proxy URL"),
    ])
    func aURLThatIsNoHTTPProxyIsRefusedNamingWhatIsAllowed(text: String, why: String) {
        #expect {
            try HTTPProxy(parsing: text, source: "HTTPS_PROXY")
        } throws: { error in
            let message = "\(error)"
            return message.hasPrefix("HTTPS_PROXY: \"\(text)\" \(why)")
                && message.hasSuffix("; allowed: http://[user:password@]host[:port]")
        }
    }

    @Test func aRefusedURLDoesNotShowItsCredentials() {
        #expect {
            try HTTPProxy(parsing: "https://agent:hunter2@proxy.example", source: "HTTPS_PROXY")
        } throws: { error in
            "\(error)".contains("https://…@proxy.example") && !"\(error)".contains("hunter2")
        }
    }

    // MARK: - The environment

    private static let koyeb = APIBaseURL.koyeb

    private func proxy(for url: APIBaseURL = koyeb, _ environment: [String: String]) throws -> String? {
        try HTTPProxy.fromEnvironment(for: url, environment: environment).map { "\($0)" }
    }

    @Test func anHTTPSAPIUsesHTTPSProxyAndAnHTTPOneHTTPProxy() throws {
        let both = ["HTTPS_PROXY": "http://secure:3128", "HTTP_PROXY": "http://plain:3128"]
        #expect(try proxy(both) == "http://secure:3128")
        #expect(try proxy(for: APIBaseURL(parsing: "http://api.example.com"), both) == "http://plain:3128")
        #expect(try proxy(["HTTP_PROXY": "http://plain:3128"]) == nil)
        #expect(try proxy(["https_proxy": "http://lower:3128"]) == "http://lower:3128")
        #expect(try proxy(["HTTPS_PROXY": "", "https_proxy": "http://lower:3128"]) == "http://lower:3128")
        #expect(try proxy([:]) == nil)
    }

    @Test func anAPIOnThisMachineIsNeverProxied() throws {
        let environment = ["HTTP_PROXY": "http://plain:3128", "HTTPS_PROXY": "http://secure:3128"]
        for url in ["http://127.0.0.1:8000", "http://localhost:8000", "https://[::1]:8443"] {
            #expect(try proxy(for: APIBaseURL(parsing: url), environment) == nil, "\(url)")
        }
    }

    @Test(arguments: [
        ("app.koyeb.com", true), ("koyeb.com", true), (".koyeb.com", true), ("*", true),
        ("example.com, koyeb.com", true), ("KOYEB.COM", true), ("pp.koyeb.com", false), ("oyeb.com", false),
        ("", false),
    ])
    func noProxyNamesHostsAndDomains(entries: String, excluded: Bool) throws {
        let environment = ["HTTPS_PROXY": "http://secure:3128", "NO_PROXY": entries]
        #expect(try proxy(environment) == (excluded ? nil : "http://secure:3128"))
        let lowercase = ["HTTPS_PROXY": "http://secure:3128", "no_proxy": entries]
        #expect(try proxy(lowercase) == (excluded ? nil : "http://secure:3128"))
    }

    @Test func aVariableThatIsNoProxyURLIsNamed() {
        #expect {
            try HTTPProxy.fromEnvironment(for: Self.koyeb, environment: ["https_proxy": "socks5://h:1080"])
        } throws: { error in
            "\(error)".hasPrefix("https_proxy: \"socks5://h:1080\" is not an http:// proxy")
        }
    }

    @Test func connectionSettingsCarryTheEnvironmentsProxy() throws {
        let settings = try ConnectionSettings.resolve(
            tokenFlag: "t", urlFlag: nil, environment: ["HTTPS_PROXY": "http://secure:3128"])
        #expect(settings.proxy.map { "\($0)" } == "http://secure:3128")
    }

    // MARK: - Requests through a tunnel

    private static let token = "proxy-test-token-51d0"

    private func client(
        for baseURL: String, proxy: String, token: String = token, connectTimeout: Duration = .seconds(5)
    ) throws -> KoyebClient {
        var configuration = KoyebClientConfiguration(
            baseURL: try APIBaseURL(parsing: baseURL), token: APIToken(token), connectTimeout: connectTimeout,
            requestTimeout: .seconds(10), retryPolicy: .none, proxy: try HTTPProxy(parsing: proxy, source: "test"))
        configuration.trustRoots = .file(TLSFixture.testCA.certificatePath)
        return KoyebClient(configuration: configuration)
    }

    @Test func anHTTPSAPIIsReachedThroughTheTunnelWithTLSEndToEnd() async throws {
        let tunnel = try await TunnelProxy.start()
        try await TLSTestServer.withServer(certificate: .localhostName, replyBody: #"{"deployment":{"id":"d1"}}"#) {
            server in
            let client = try client(
                for: "https://localhost:\(server.port)", proxy: "http://bot:s3cret@127.0.0.1:\(tunnel.port)")
            let first = try await client.deployment(id: "d1")
            let second = try await client.deployment(id: "d1")
            await client.shutdown()
            #expect(first.id == "d1" && second.id == "d1")
            // A tunnel to the API's host and port for each connection (this server closes each after its reply),
            // with the proxy's credentials.
            let expected = TunnelProxy.Request(
                target: "localhost:\(server.port)",
                proxyAuthorization: "Basic " + Data("bot:s3cret".utf8).base64EncodedString())
            #expect(tunnel.requests == [expected, expected])
            // The certificate was checked for the API's name, and the token reached the API inside the tunnel.
            #expect(server.received.map(\.authorization) == ["Bearer \(Self.token)", "Bearer \(Self.token)"])
        }
        await tunnel.stop()
    }

    @Test func anHTTPAPIIsReachedThroughTheTunnelTooAndItIsKeptAlive() async throws {
        let tunnel = try await TunnelProxy.start()
        let simulator = try await SimulatorServer.start(SimulatorConfiguration(port: 0, deploymentCount: 3, seed: 1))
        let client = try client(
            for: simulator.baseURL, proxy: tunnel.url, token: SimulatorConfiguration.developmentToken)
        let listed = try await client.allDeployments(filter: DeploymentFilter())
        let again = try await client.deployment(id: try #require(listed.first).id)
        await client.shutdown()
        await simulator.stop()
        await tunnel.stop()
        #expect(listed.count == 3 && again.id == listed.first?.id)
        // One tunnel carried both requests: the connection is kept alive through the proxy.
        #expect(tunnel.requests.map(\.target) == [String(simulator.baseURL.dropFirst("http://".count))])
    }

    @Test func aProxyThatRefusesTheTunnelIsNamedWithItsAnswer() async throws {
        let tunnel = try await TunnelProxy.start(answer: .refuse(status: 407, reason: "Proxy Authentication Required"))
        let client = try client(for: "https://api.example.test:8443", proxy: tunnel.url)
        let error = try await #require(throws: APIError.self) { _ = try await client.deployment(id: "d1") }
        await client.shutdown()
        await tunnel.stop()
        #expect(
            error.transportFailure
                == .proxyFailed(
                    detail: "the proxy \(tunnel.url) refused a tunnel to api.example.test:8443: "
                        + "407 Proxy Authentication Required"))
        #expect(!KoyebClient.mayHaveReachedServer(error))
        #expect(!"\(error)".contains(Self.token))
    }

    @Test func aProxyThatCannotBeReachedIsNamed() async throws {
        let closed = try await TunnelProxy.start()
        await closed.stop()
        let client = try client(for: "https://api.example.test", proxy: closed.url)
        let error = try await #require(throws: APIError.self) { _ = try await client.deployment(id: "d1") }
        await client.shutdown()
        #expect(
            error.transportFailure
                == .proxyFailed(detail: "the proxy \(closed.url) could not be reached: connection refused"))
        #expect(!KoyebClient.mayHaveReachedServer(error))
        #expect("\(error)".hasSuffix("— check HTTPS_PROXY, HTTP_PROXY and NO_PROXY, and the proxy"))
    }

    @Test func aProxyThatNeverAnswersTimesOutAsAConnectWould() async throws {
        let tunnel = try await TunnelProxy.start(answer: .silence)
        let client = try client(
            for: "https://api.example.test", proxy: tunnel.url, connectTimeout: .milliseconds(300))
        let started = ContinuousClock.now
        let error = try await #require(throws: APIError.self) { _ = try await client.deployment(id: "d1") }
        await client.shutdown()
        await tunnel.stop()
        #expect(error.transportFailure == .timedOut(phase: "connect"))
        #expect(started.duration(to: .now) < .seconds(3))
        #expect(tunnel.requests.map(\.target) == ["api.example.test:443"])
    }
}
