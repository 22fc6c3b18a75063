import Foundation
import Testing

@testable import ProvisioningCore

/// The API token never reaches an error line or the outbox journal, even when it gets past the check where
/// credentials are resolved (a library caller building `APIToken` itself).
@Suite("The token stays out of errors and the outbox")
struct CredentialLeakTests {
    @Test func aTokenWithALineBreakIsNeitherSentNorQuoted() async throws {
        let server = try await ScriptedServer.start([])
        defer { server.stop() }
        let sleeper = RecordingSleeper()
        let client = KoyebClient(
            configuration: KoyebClientConfiguration(
                baseURL: server.baseURL, token: APIToken("SECRET1\r\nX-Evil: SECRET2")),
            sleeper: sleeper.sleeper)
        let error = await #expect(throws: APIError.self) { try await client.deployment(id: "x") }
        await client.shutdown()
        #expect(error?.description.hasPrefix("the request was not sent: a header name or value") == true)
        #expect(error.map(KoyebClient.shouldRetry) == false, "it would fail the same way again")
        #expect(error?.description.contains("SECRET") == false, "\(error?.description ?? "")")
        #expect(await server.received.isEmpty)
        #expect(sleeper.waits.isEmpty)
    }

    /// A journal written by an earlier kprov may hold the quoted header in a failure: it is never shown.
    @Test func aLeakedHeaderInAnOldJournalIsNotShown() throws {
        let directory =
            FileManager.default.temporaryDirectory.appendingPathComponent("kprov-leak-\(UUID().uuidString)").path
        let journal = try OutboxJournal(directory: directory)
        let leaked =
            #"the connection to the API closed before it answered: HTTPClientError.invalidHeaderFieldValues(["Bearer SECRET\r\nX"])"#
        var entry = OutboxEntry(
            id: 1, queuedAt: Date(), baseURL: "http://127.0.0.1:1",
            declaration: .stageProgress(
                ProvisioningTarget(deploymentID: "d", stage: "build", attempt: 1), DeclareStageProgressRequest()),
            lastFailure: leaked)
        entry.refusal = leaked
        let entries = try journal.withLock { file in
            try file.append(.queued(entry))
            try file.append(
                .queued(OutboxEntry(id: 2, queuedAt: Date(), baseURL: entry.baseURL, declaration: entry.declaration)))
            try file.append(.failed(id: 2, error: leaked))
            try file.append(.refused(id: 2, error: leaked))
            return try file.replay()
        }
        for text in entries.flatMap({ [$0.lastFailure, $0.refusal] }) {
            #expect(text?.contains("SECRET") == false)
            #expect(text?.hasPrefix("the connection to the API closed before it answered: a header") == true)
        }
    }
}
