import Foundation
import Testing

@testable import ProvisioningCore

@Suite("Models decode Koyeb's JSON and survive hostile input")
struct ModelDecodingTests {
    private func fixture(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
        return try Data(contentsOf: url)
    }

    private func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try KoyebJSON.decoder().decode(type, from: Data(json.utf8))
    }

    @Test func decodesAFullDeploymentWithTheTreeOfStagesAttemptsAndSteps() throws {
        let reply = try KoyebJSON.decoder().decode(GetDeploymentReply.self, from: try fixture("deployment.json"))
        let deployment = try #require(reply.deployment)
        #expect(deployment.id == "8f3e2a1c-5b7d-4e9f-a0b1-c2d3e4f5a6b7")
        #expect(deployment.status == .provisioning)
        #expect(deployment.serviceName == "web")
        #expect(deployment.allocatedAt == nil)
        #expect(deployment.createdAt == RFC3339.parse("2021-04-26T08:28:59.221274Z"))
        let info = try #require(deployment.provisioningInfo)
        #expect(info.sha == "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b")
        let stage = try #require(info.stage(named: "build"))
        #expect(stage.status == .running)
        #expect(stage.finishedAt == nil)
        #expect(stage.buildAttempts.map(\.id) == [1, 2])
        let failed = try #require(stage.attempt(id: 1))
        #expect(failed.retryableFailure == true)
        #expect(failed.finishedAt == RFC3339.parse("2021-04-26T08:30:00Z"))
        #expect(failed.step(named: "build")?.messages == ["npm ERR! missing script: build"])
        let running = try #require(stage.attempt(id: 2))
        #expect(running.step(named: "detect")?.status == .unknown)
        #expect(running.step(named: "detect")?.messages == [])
    }

    @Test func keepsUnrecognizedStatusesWithTheirRawValue() throws {
        let step = try decode(BuildStep.self, #"{"name": "build", "status": "SOMETHING_NEW"}"#)
        #expect(step.status.rawValue == "SOMETHING_NEW")
        #expect(!step.status.isRecognized)
        let encoded = String(decoding: try KoyebJSON.encoder().encode(step), as: UTF8.self)
        #expect(encoded.contains(#""status":"SOMETHING_NEW""#))
        let deployment = try decode(Deployment.self, #"{"id": "d", "status": "HIBERNATING"}"#)
        #expect(deployment.status.rawValue == "HIBERNATING")
        #expect(deployment.status.group == .inactive)
    }

    @Test func attemptIdsAcceptNumbersAndNumericStrings() throws {
        #expect(try decode(BuildAttempt.self, #"{"id": 7}"#).id == 7)
        #expect(try decode(BuildAttempt.self, #"{"id": "7"}"#).id == 7)
        #expect(throws: DecodingError.self) { try decode(BuildAttempt.self, #"{"id": "seven"}"#) }
        #expect(throws: DecodingError.self) { try decode(BuildAttempt.self, #"{"id": true}"#) }
    }

    @Test func datesAcceptFractionsOffsetsAndNull() throws {
        let withMicros = try decode(BuildStep.self, #"{"name": "a", "started_at": "2021-04-26T08:28:59.221274Z"}"#)
        let plain = try decode(BuildStep.self, #"{"name": "a", "started_at": "2021-04-26T08:28:59Z"}"#)
        let offset = try decode(BuildStep.self, #"{"name": "a", "started_at": "2021-04-26T10:28:59+02:00"}"#)
        let null = try decode(BuildStep.self, #"{"name": "a", "started_at": null}"#)
        #expect(plain.startedAt == offset.startedAt)
        #expect(abs(withMicros.startedAt!.timeIntervalSince(plain.startedAt!) - 0.221274) < 0.000_001)
        #expect(null.startedAt == nil)
        #expect(throws: DecodingError.self) {
            try decode(BuildStep.self, #"{"name": "a", "started_at": "yesterday"}"#)
        }
    }

    @Test func nullArraysAndMissingFieldsDecodeAsEmpty() throws {
        let stage = try decode(Stage.self, #"{"name": "build", "messages": null, "build_attempts": null}"#)
        #expect(stage.messages.isEmpty)
        #expect(stage.buildAttempts.isEmpty)
        #expect(stage.status == .unknown)
        let empty = try decode(Deployment.self, "{}")
        #expect(empty.status == .pending)
    }

    @Test func wrongTypesAreDecodingErrorsNotCrashes() throws {
        #expect(throws: DecodingError.self) { try decode(Stage.self, #"{"name": 42}"#) }
        #expect(throws: DecodingError.self) { try decode(Stage.self, #"{"build_attempts": {"id": 1}}"#) }
        #expect(throws: DecodingError.self) { try decode(Deployment.self, #"{"provisioning_info": []}"#) }
        #expect(throws: DecodingError.self) { try decode(ListDeploymentsReply.self, #"{"deployments": "x"}"#) }
    }

    @Test func listRepliesAcceptInt64AsStringsOrNumbers() throws {
        let reply = try decode(
            ListDeploymentsReply.self,
            #"{"deployments": [{"id": "a"}], "limit": "20", "offset": 0, "count": "41", "has_next": true}"#)
        #expect(reply.limit == 20)
        #expect(reply.count == 41)
        #expect(reply.hasNext == true)
    }

    @Test func requestsOmitAbsentFieldsInsteadOfSendingNull() throws {
        let body = DeclareStepProgressRequest(status: .completed)
        let json = String(decoding: try KoyebJSON.encoder().encode(body), as: UTF8.self)
        #expect(json == #"{"status":"COMPLETED"}"#)
        let full = CreateStageAttemptRequest(
            secret: "s3cr3t", status: .running, startedAt: RFC3339.parse("2021-04-26T08:28:59.5Z"),
            messages: ["go"], steps: ["git-clone", "build"])
        let fullJSON = String(decoding: try KoyebJSON.encoder().encode(full), as: UTF8.self)
        #expect(
            fullJSON
                == #"{"messages":["go"],"secret":"s3cr3t","started_at":"2021-04-26T08:28:59.500000Z","status":"RUNNING","steps":["git-clone","build"]}"#
        )
    }

    @Test func requestDescriptionsNeverShowTheSecret() {
        let requests: [any CustomStringConvertible] = [
            CreateStageAttemptRequest(secret: "hunter2", status: .running),
            DeclareStageProgressRequest(secret: "hunter2", status: .completed),
            DeclareStepProgressRequest(secret: "hunter2", status: .failed),
        ]
        for request in requests {
            #expect(!request.description.contains("hunter2"))
            var dumped = ""
            dump(request, to: &dumped)
            #expect(!dumped.contains("hunter2"))
            #expect(request.description.contains(Redacted.placeholder))
        }
    }

    @Test func deploymentsRoundTripWithoutLosingOpaqueParts() throws {
        let original = try KoyebJSON.decoder().decode(GetDeploymentReply.self, from: try fixture("deployment.json"))
        let encoded = try KoyebJSON.encoder().encode(original)
        let decoded = try KoyebJSON.decoder().decode(GetDeploymentReply.self, from: encoded)
        #expect(decoded == original)
        let text = String(decoding: encoded, as: UTF8.self)
        #expect(!text.contains("null"))
        #expect(text.contains(#""repository":"github.com/koyeb/example-flask""#))
    }

    @Test func errorBodiesOfAllThreeShapesDecode() throws {
        let plain = try decode(
            ErrorBody.self, #"{"status": 404, "code": "not_found", "message": "Deployment not found"}"#)
        #expect(plain.status == 404 && plain.code == "not_found")
        let withFields = try decode(
            ErrorBody.self,
            #"{"status": 400, "code": "invalid_argument", "message": "Validation error", "fields": [{"field": "status", "description": "unknown value"}]}"#
        )
        #expect(withFields.fields == [ErrorField(field: "status", description: "unknown value")])
        let rpc = try decode(ErrorBody.self, #"{"code": 5, "message": "not found", "details": [{"@type": "x"}]}"#)
        #expect(rpc.code == "5")
        #expect(rpc.details?.count == 1)
        let odd = try decode(ErrorBody.self, #"{"status": "teapot", "fields": 3, "message": ["x"]}"#)
        #expect(odd.status == nil && odd.fields.isEmpty && odd.message == nil)
    }

    @Test func deeplyNestedJSONIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: (any Error).self) {
            try decode(Deployment.self, #"{"metadata": "# + deep + "}")
        }
    }
}
