import Adapters
import Foundation
import ProvisioningCore
import TestSupport
import Testing

/// Holds `GET /openapi.json` to independent tools from PyPI (in the `.venv` that `scripts/test` makes): the
/// document is a valid OpenAPI 3 document, and schemathesis, generating requests from it against the live
/// adapter with the simulator upstream, finds no failure.
@Suite("OpenAPI document checked by independent tools")
struct OpenAPIToolTests {
    typealias H = AdapterHarness

    static let serveToken = "schemathesis-token"

    @Test func documentPassesOpenAPISpecValidatorAndSchemathesis() async throws {
        let validator = try #require(PackageFiles.venvTool("openapi-spec-validator"))
        let schemathesis = try #require(PackageFiles.venvTool("schemathesis"))
        try await H.withSimulator { simulator in
            let configuration = AdapterConfiguration(port: 0, authToken: APIToken(Self.serveToken))
            try await H.withREST(upstream: simulator.baseURL, configuration: configuration) { rest in
                let document = try await TestHTTP.send(.GET, rest + "/openapi.json")
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("kprov-openapi-\(UUID()).json")
                try document.body.write(to: file)
                defer { try? FileManager.default.removeItem(at: file) }
                let validation = try await TestTools.run(validator, [file.path])
                #expect(validation.exitCode == 0, "openapi-spec-validator: \(validation.output)\(validation.errors)")

                let run = try await TestTools.run(
                    schemathesis,
                    [
                        "run", rest + "/openapi.json", "--checks", "all", "--data-generation-method", "all",
                        "--hypothesis-max-examples", "60", "--hypothesis-seed", "20260519", "--no-color",
                        "--header", "Authorization: Bearer \(Self.serveToken)",
                    ])
                #expect(run.exitCode == 0, "schemathesis found failures:\n\(run.output)\(run.errors)")
                #expect(run.output.contains("ignored_auth"), "the auth check ran:\n\(run.output)")
            }
        }
    }
}
