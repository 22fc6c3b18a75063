import Foundation
import KoyebSimulator
import ProvisioningCore
import Testing

/// Oversized and deeply nested bodies, hostile strings: clear answers, stored text kept as given, no crash.
@Suite struct HostileInputTests {
    private let token = SimulatorConfiguration.developmentToken

    @Test func aBodyOverOneMebibyteIs413() async throws {
        try await SimulatorHarness.with { harness in
            try await harness.insertDeployment()
            let padding = String(repeating: "x", count: 1 << 20)
            let answer = try await harness.send(
                .POST, "/v1/provisioning/dep-1/status/build/1", body: #"{"messages":[""# + padding + #""]}"#)
            #expect(answer.status == 413)
            let body = try answer.errorBody()
            #expect(body.status == 413)
            #expect(body.message?.contains("1048576 bytes") == true)
            #expect(try await harness.deployment().provisioningInfo?.stages.isEmpty == true)
        }
    }

    @Test func aChunkedBodyOverTheLimitIs413Too() async throws {
        try await SimulatorHarness.with(SimulatorConfiguration(maximumBodyBytes: 1000)) { harness in
            try await harness.insertDeployment()
            let chunk = String(repeating: " ", count: 600)
            let chunked = "258\r\n\(chunk)\r\n258\r\n\(chunk)\r\n0\r\n\r\n"
            let request =
                "POST /v1/provisioning/dep-1/status/build/1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer \(token)\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunked
            let reply = try await RawHTTP.exchange(port: harness.server.port, request)
            #expect(reply.hasPrefix("HTTP/1.1 413"))
            #expect(reply.contains("1000 bytes"))
        }
    }

    @Test func nestingDeeperThanTheLimitIs400AndTheLimitItselfPasses() async throws {
        try await SimulatorHarness.with { harness in
            try await harness.insertDeployment()
            func nested(_ arrays: Int) -> String {
                #"{"steps":["build"],"extra":"# + String(repeating: "[", count: arrays)
                    + String(repeating: "]", count: arrays) + "}"
            }
            let tooDeep = try await harness.send(.POST, "/v1/provisioning/dep-1/status/build/1", body: nested(64))
            #expect(tooDeep.status == 400)
            let error = try tooDeep.errorBody()
            #expect(error.fields.map(\.field) == ["body"])
            #expect(error.message?.contains("nested deeper than 64") == true)

            let deepest = try await harness.send(.POST, "/v1/provisioning/dep-1/status/build/1", body: nested(63))
            #expect(deepest.status == 200)
        }
    }

    @Test func pathologicalNestingIsRefusedWithoutHarm() async throws {
        try await SimulatorHarness.with { harness in
            try await harness.insertDeployment()
            let body = String(repeating: "[", count: 500_000)
            let answer = try await harness.send(.PATCH, "/v1/provisioning/dep-1/status/build/1", body: body)
            #expect(answer.status == 400)
            let brackets = #"{"messages":["[[[[{{{{"],"status":"RUNNING","steps":["a"]}"#
            let inString = try await harness.send(.POST, "/v1/provisioning/dep-1/status/build/1", body: brackets)
            #expect(inString.status == 200)
            #expect(try await harness.send(.GET, "/v1/deployments/dep-1").status == 200)
        }
    }

    @Test func invalidUTF8IsABadBody() async throws {
        try await SimulatorHarness.with { harness in
            try await harness.insertDeployment()
            var bytes = Data(#"{"messages":[""#.utf8)
            bytes.append(contentsOf: [0xC3, 0x28, 0xFF])
            bytes.append(Data(#""]}"#.utf8))
            let answer = try await harness.send(.POST, "/v1/provisioning/dep-1/status/build/1", bodyBytes: bytes)
            #expect(answer.status == 400)
            #expect(try answer.errorBody().fields.map(\.field) == ["body"])
        }
    }

    @Test func serverMessagesAreStoredExactlyAsGiven() async throws {
        try await SimulatorHarness.with { harness in
            try await harness.insertDeployment()
            let hostile = [
                "\u{1B}[31mred\u{1B}[0m\u{07}", "line\nbreak\ttab\r", "\u{202E}reversed", "emoji 🚀 and \u{0}",
                String(repeating: "long ", count: 100_000),
            ]
            _ = try await harness.client.createStageAttempt(
                ProvisioningTarget(deploymentID: "dep-1", stage: "build", attempt: 1),
                CreateStageAttemptRequest(status: .running, messages: hostile, steps: ["build"]))
            let attempt = try await harness.deployment().provisioningInfo?.stages.first?.attempt(id: 1)
            #expect(attempt?.messages == hostile)
        }
    }
}
