import Foundation
import Testing

@testable import ProvisioningCore

/// What a flush reports: every entry in the order it was sent, and for a held-back entry the one it waits behind.
@Suite("Outbox: what a flush reports")
struct OutboxReportTests {
    private let directory = freshOutboxDirectory()

    private func client(_ baseURL: APIBaseURL) -> KoyebClient {
        KoyebClient(
            configuration: KoyebClientConfiguration(
                baseURL: baseURL, token: APIToken("t"), retryPolicy: RetryPolicy(maximumAttempts: 1)))
    }

    @Test func resultsComeInSendOrder() async throws {
        let server = try await ScriptedServer.start([
            .json(.ok, "{}"), .json(.badRequest, #"{"code":"invalid_argument"}"#), .json(.ok, "{}"),
        ])
        defer { server.stop() }
        let outbox = try Outbox(directory: directory)
        for name in ["a", "b", "c"] { try await outbox.enqueue(.completedStep("d", name), baseURL: server.baseURL) }
        let client = client(server.baseURL)
        let report = try await outbox.flush(using: client)
        await client.shutdown()
        #expect(report.results.map(\.entry.id) == [1, 2, 3])
        #expect(report.refused.map(\.0.id) == [2])
        #expect(report.delivered.map(\.0.id) == [1, 3])
    }

    @Test func aHeldBackEntryNamesTheFailingEntryForItsDeploymentAndItsError() async throws {
        let server = try await ScriptedServer.start([
            .json(.internalServerError, #"{"code":"api_error","message":"disk full"}"#),
            .json(.serviceUnavailable, #"{"code":"api_error","message":"other"}"#),
        ])
        defer { server.stop() }
        let outbox = try Outbox(directory: directory)
        try await outbox.enqueue(.completedStep("stuck", "a"), baseURL: server.baseURL)
        try await outbox.enqueue(.completedStep("other", "a"), baseURL: server.baseURL)
        let client = client(server.baseURL)
        let delivery = try await outbox.deliver(.completedStep("stuck", "b"), using: client)
        await client.shutdown()
        #expect(delivery.heldBackBy?.id == 1)
        guard case .queued(let error) = delivery.result else {
            Issue.record("\(delivery.result)")
            return
        }
        // The failure of entry 1, not the later one of entry 2 (another deployment).
        #expect(error?.description.contains("disk full") == true)
        #expect(delivery.reasonKept?.hasPrefix("waits behind outbox entry 1, which could not be sent: ") == true)
        #expect(delivery.reasonKept?.contains("disk full") == true)
    }

    @Test func entriesAfterAStopWaitBehindTheEntryItStoppedAt() async throws {
        let nowhere = try APIBaseURL(parsing: "http://127.0.0.1:1")
        let outbox = try Outbox(directory: directory)
        try await outbox.enqueue(.completedStep("d1", "a"), baseURL: nowhere)
        let client = client(nowhere)
        let delivery = try await outbox.deliver(.completedStep("d2", "a"), using: client)
        await client.shutdown()
        #expect(delivery.report.failed.map(\.0.id) == [1])
        #expect(delivery.heldBackBy?.id == 1)
        guard case .queued(let error) = delivery.result else {
            Issue.record("\(delivery.result)")
            return
        }
        #expect(error?.isTransportFailure == true)
    }

    @Test func anOutboxFolderThatCannotBeCreatedIsNamedWithTheReason() {
        #expect {
            try Outbox(directory: "/proc/kprov-nope/outbox")
        } throws: { error in
            let text = "\(error)"
            return error is ConfigurationError && text.contains("/proc/kprov-nope/outbox")
                && text.contains("No such file or directory") && !text.contains("NSCocoaErrorDomain")
        }
    }
}
