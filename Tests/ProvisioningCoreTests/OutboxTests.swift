import Foundation
import Testing

@testable import ProvisioningCore

@Suite("Outbox: write-ahead, ordered, delivered once")
struct OutboxTests {
    private let directory =
        FileManager.default.temporaryDirectory.appendingPathComponent("kprov-outbox-\(UUID().uuidString)").path

    private func step(_ name: String, _ status: ProvisioningStatus = .completed) -> Declaration {
        .stepProgress(
            ProvisioningTarget(deploymentID: "dep", stage: "build", attempt: 1, step: name),
            DeclareStepProgressRequest(secret: "sekret", status: status))
    }

    private func client(_ server: ScriptedServer) -> KoyebClient {
        KoyebClient(
            configuration: KoyebClientConfiguration(
                baseURL: server.baseURL, token: APIToken("t"), retryPolicy: RetryPolicy(maximumAttempts: 1)))
    }

    @Test func entriesSurviveReopeningInOrderAndTheJournalIsPrivate() async throws {
        let outbox = try Outbox(directory: directory)
        let url = try APIBaseURL(parsing: "http://127.0.0.1:1")
        try await outbox.enqueue(step("git-clone"), baseURL: url)
        try await outbox.enqueue(step("build"), baseURL: url)
        let reopened = try Outbox(directory: directory)
        let entries = try await reopened.entries()
        #expect(entries.map(\.declaration) == [step("git-clone"), step("build")])
        #expect(entries.map(\.id) == [1, 2])
        let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/journal.jsonl")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test func flushDeliversInOrderAndNeverTwice() async throws {
        let server = try await ScriptedServer.start([])
        defer { server.stop() }
        let client = client(server)
        let outbox = try Outbox(directory: directory)
        try await outbox.enqueue(step("git-clone"), baseURL: server.baseURL)
        try await outbox.enqueue(step("build"), baseURL: server.baseURL)
        let report = try await outbox.flush(using: client)
        let again = try await outbox.flush(using: client)
        try await client.shutdown()
        #expect(report.delivered.map(\.0.id) == [1, 2])
        #expect(again.delivered.isEmpty)
        #expect(await server.received.map(\.path) == [
            "/v1/provisioning/dep/status/build/1/git-clone", "/v1/provisioning/dep/status/build/1/build",
        ])
        #expect(try await outbox.entries().isEmpty)
    }

    @Test func anUnreachableAPIStopsTheFlushAndKeepsOrder() async throws {
        let server = try await ScriptedServer.start([])
        server.stop()
        try await Task.sleep(for: .milliseconds(200))
        let client = client(server)
        let outbox = try Outbox(directory: directory)
        try await outbox.enqueue(step("git-clone"), baseURL: server.baseURL)
        try await outbox.enqueue(step("build"), baseURL: server.baseURL)
        let report = try await outbox.flush(using: client)
        try await client.shutdown()
        #expect(report.stoppedBy?.isTransportFailure == true)
        let entries = try await outbox.entries()
        #expect(entries.map(\.id) == [1, 2])
        #expect(entries[0].lastFailure?.contains("could not reach") == true)
        #expect(entries[1].lastFailure == nil)
    }

    @Test func aRefusedEntryIsReportedNotReplayedForever() async throws {
        let server = try await ScriptedServer.start(
            [.json(.badRequest, #"{"code":"invalid_argument","message":"no such step"}"#)])
        defer { server.stop() }
        let client = client(server)
        let outbox = try Outbox(directory: directory)
        try await outbox.enqueue(step("nope"), baseURL: server.baseURL)
        try await outbox.enqueue(step("build"), baseURL: server.baseURL)
        let first = try await outbox.flush(using: client)
        let second = try await outbox.flush(using: client)
        try await client.shutdown()
        #expect(first.refused.map(\.0.id) == [1])
        #expect(first.delivered.map(\.0.id) == [2])
        #expect(second.delivered.isEmpty && second.refused.isEmpty)
        #expect(await server.received.count == 2)
        let entries = try await outbox.entries()
        #expect(entries.map(\.id) == [1])
        #expect(entries[0].refusal?.contains("no such step") == true)
        #expect(try await outbox.pendingCount() == 0)
    }

    @Test func entriesForAnotherAPIAreLeftAlone() async throws {
        let server = try await ScriptedServer.start([])
        defer { server.stop() }
        let client = client(server)
        let outbox = try Outbox(directory: directory)
        try await outbox.enqueue(step("git-clone"), baseURL: try APIBaseURL(parsing: "http://127.0.0.1:1"))
        let report = try await outbox.flush(using: client)
        try await client.shutdown()
        #expect(report.delivered.isEmpty)
        #expect(await server.received.isEmpty)
        #expect(try await outbox.entries().count == 1)
    }

    @Test func droppingRemovesAndUnknownIdsAreNamed() async throws {
        let outbox = try Outbox(directory: directory)
        try await outbox.enqueue(step("a"), baseURL: .koyeb)
        try await outbox.drop(id: 1)
        #expect(try await outbox.entries().isEmpty)
        let error = await #expect(throws: ConfigurationError.self) { try await outbox.drop(id: 9) }
        #expect(error?.description.contains("no entry 9") == true)
    }

    @Test func idsKeepIncreasingAfterCompaction() async throws {
        let server = try await ScriptedServer.start([])
        defer { server.stop() }
        let client = client(server)
        let outbox = try Outbox(directory: directory)
        for _ in 0..<3 { try await outbox.enqueue(step("a"), baseURL: server.baseURL) }
        _ = try await outbox.flush(using: client)
        try await client.shutdown()
        let lines = try String(contentsOfFile: directory + "/journal.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(try await outbox.enqueue(step("b"), baseURL: server.baseURL).id == 4)
    }

    @Test func aTornLastLineFromACrashIsIgnored() async throws {
        let outbox = try Outbox(directory: directory)
        try await outbox.enqueue(step("a"), baseURL: .koyeb)
        let handle = try #require(FileHandle(forWritingAtPath: directory + "/journal.jsonl"))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"queued":{"_0":{"id":2,"que"#.utf8))
        try handle.close()
        #expect(try await Outbox(directory: directory).entries().map(\.id) == [1])
    }

    @Test func aWorldReadableJournalIsRefused() throws {
        _ = try Outbox(directory: directory)
        FileManager.default.createFile(
            atPath: directory + "/journal.jsonl", contents: Data(), attributes: [.posixPermissions: 0o644])
        #expect(throws: ConfigurationError.self) { try Outbox(directory: directory) }
    }

    @Test func theDefaultFolderFollowsXDG() {
        #expect(Outbox.defaultDirectory(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/kprov/outbox")
        #expect(Outbox.defaultDirectory(environment: ["HOME": "/h"]) == "/h/.local/state/kprov/outbox")
    }

    @Test func descriptionsNeverShowTheSecret() {
        #expect(!step("a").description.contains("sekret"))
    }
}
