import Foundation
import Testing

@testable import ProvisioningCore

@Suite("KoyebClient over HTTPS: certificates it must refuse, and one it trusts")
struct TLSTests {
    /// A token whose text must never show in an error.
    private static let tokenText = "tls-test-token-7f3a9c"

    /// A configuration for `baseURL` with the test token that does not retry.
    private static func configuration(_ baseURL: String) throws -> KoyebClientConfiguration {
        KoyebClientConfiguration(
            baseURL: try APIBaseURL(parsing: baseURL), token: APIToken(tokenText), connectTimeout: .seconds(5),
            requestTimeout: .seconds(10), retryPolicy: .none)
    }

    /// Runs `body` with a client made from `configuration`, and shuts the client down afterwards, also when `body`
    /// throws.
    private func withClient<Result>(
        _ configuration: KoyebClientConfiguration, _ body: (KoyebClient) async throws -> Result
    ) async throws -> Result {
        let client = KoyebClient(configuration: configuration)
        let result: Result
        do {
            result = try await body(client)
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
        return result
    }

    /// The `APIError` that a GET through the client to a server presenting the self-signed certificate throws,
    /// reaching the server by `host`; the server must have seen no request.
    private func errorFromSelfSignedServer(host: String) async throws -> APIError {
        try await TLSTestServer.withServer(certificate: .selfSigned) { server in
            let error = try await withClient(Self.configuration("https://\(host):\(server.port)")) { client in
                try await #require(throws: APIError.self) { _ = try await client.deployment(id: "dep-1") }
            }
            #expect(server.received.isEmpty, "the handshake should fail before any HTTP request is sent")
            return error
        }
    }

    private static let untrusted =
        "the server's certificate was not accepted: it is not signed by an authority this machine trusts, has "
        + "expired, or is for another host name"

    /// What every refusal of a certificate must look like; `expected` is the failure's detail.
    private func expectCertificateRefusal(_ error: APIError, host: String, expected: String = untrusted) {
        guard case .tls(let detail)? = error.transportFailure else {
            Issue.record("expected a TLS failure, got \(error.transportFailure.map { "\($0)" } ?? "an answer")")
            return
        }
        #expect(!detail.isEmpty)
        #expect(error.description.lowercased().contains("certificate"), "\(error.description)")
        #expect(error.description.contains("TLS handshake with the API at https://\(host):"))
        #expect(!error.description.contains(Self.tokenText))
        #expect(!String(reflecting: error).contains(Self.tokenText))
        #expect(detail == expected)
    }

    @Test func refusesASelfSignedCertificateAtAnIPAddress() async throws {
        let error = try await errorFromSelfSignedServer(host: "127.0.0.1")
        expectCertificateRefusal(error, host: "127.0.0.1")
    }

    @Test func refusesASelfSignedCertificateAtAHostName() async throws {
        let error = try await errorFromSelfSignedServer(host: "localhost")
        expectCertificateRefusal(error, host: "localhost")
    }

    @Test func anHTTPSURLForAServerWithoutTLSSaysSo() async throws {
        let server = try await ScriptedServer.start([])
        defer { server.stop() }
        let error = try await withClient(Self.configuration("https://127.0.0.1:\(server.port)")) { client in
            try await #require(throws: APIError.self) { _ = try await client.deployment(id: "dep-1") }
        }
        #expect(
            error.transportFailure
                == .tls(detail: "the server does not speak TLS at this address (for a local server, use http://)"))
    }

    @Test func refusesATrustedCertificateForAnotherHostName() async throws {
        try await TLSTestServer.withServer(certificate: .otherHost) { server in
            var configuration = try Self.configuration("https://localhost:\(server.port)")
            configuration.trustRoots = .file(TLSFixture.testCA.certificatePath)
            let error = try await withClient(configuration) { client in
                try await #require(throws: APIError.self) { _ = try await client.deployment(id: "dep-1") }
            }
            expectCertificateRefusal(
                error, host: "localhost", expected: "the server's certificate is for another host name")
            #expect(server.received.isEmpty)
        }
    }

    @Test func readsFromAServerWhoseCertificateNamesItsHost() async throws {
        try await TLSTestServer.withServer(certificate: .localhostName, replyBody: #"{"deployment":{"id":"d1"}}"#) {
            server in
            var configuration = try Self.configuration("https://localhost:\(server.port)")
            configuration.trustRoots = .file(TLSFixture.testCA.certificatePath)
            let deployment = try await withClient(configuration) { client in try await client.deployment(id: "d1") }
            #expect(deployment.id == "d1")
            #expect(server.received.map(\.host) == ["localhost:\(server.port)"])
        }
    }

    @Test func aConnectionClosedDuringTheHandshakeNeverReachedTheServer() async throws {
        let server = try await RawHTTPServer.start(.init(reply: "", closesOnFirstBytes: true))
        let error = try await withClient(Self.configuration("https://127.0.0.1:\(server.port)")) { client in
            try await #require(throws: APIError.self) { _ = try await client.deployment(id: "dep-1") }
        }
        await server.stop()
        #expect(error.transportFailure == .tls(detail: "the server closed the connection during the handshake"))
        #expect(!KoyebClient.mayHaveReachedServer(error))
    }

    @Test func readsADeploymentFromAServerSignedByATrustedCA() async throws {
        let reply = try String(contentsOfFile: Self.fixturePath("deployment.json"), encoding: .utf8)
        try await TLSTestServer.withServer(certificate: .trustedServer, replyBody: reply) { server in
            var configuration = try Self.configuration("https://127.0.0.1:\(server.port)")
            configuration.trustRoots = .file(TLSFixture.testCA.certificatePath)
            let deployment = try await withClient(configuration) { client in
                try await client.deployment(id: "8f3e2a1c-5b7d-4e9f-a0b1-c2d3e4f5a6b7")
            }
            #expect(deployment.id == "8f3e2a1c-5b7d-4e9f-a0b1-c2d3e4f5a6b7")
            #expect(
                server.received == [
                    TLSTestServer.Received(
                        method: "GET", uri: "/v1/deployments/8f3e2a1c-5b7d-4e9f-a0b1-c2d3e4f5a6b7",
                        host: "127.0.0.1:\(server.port)", authorization: "Bearer \(Self.tokenText)")
                ])
        }
    }

    private static func fixturePath(_ name: String) throws -> String {
        try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)).path
    }
}
