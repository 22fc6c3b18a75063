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
        await client.shutdown()
        #expect(report.delivered.map(\.0.id) == [1, 2])
        #expect(again.delivered.isEmpty)
        #expect(
            await server.received.map(\.path) == [
                "/v1/provisioning/dep/status/build/1/git-clone", "/v1/provisioning/dep/status/build/1/build",
            ])
        #expect(try await outbox.entries().isEmpty)
    }

    @Test func anUnreachableAPIStopsTheFlushAndKeepsOrder() async throws {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        let nowhere = try APIBaseURL(parsing: "http://127.0.0.1:1")
        let client = KoyebClient(
            configuration: KoyebClientConfiguration(
                baseURL: nowhere, token: APIToken("t"), retryPolicy: RetryPolicy(maximumAttempts: 1)))
        let outbox = try Outbox(directory: directory)
        try await outbox.enqueue(step("git-clone"), baseURL: nowhere)
        try await outbox.enqueue(step("build"), baseURL: nowhere)
        let report = try await outbox.flush(using: client)
        await client.shutdown()
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
        await client.shutdown()
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
        await client.shutdown()
        #expect(report.delivered.isEmpty)
        #expect(await server.received.isEmpty)
        #expect(try await outbox.entries().count == 1)
    }

    /// An entry journaled with another spelling of the API's URL (before URLs were normalised) is still its API's.
    @Test func anEntryJournaledWithAnotherSpellingOfTheURLBelongsToTheSameAPI() throws {
        let journal = try OutboxJournal(directory: directory)
        let entries = try journal.withLock { file in
            try file.append(
                .queued(OutboxEntry(id: 1, queuedAt: Date(), baseURL: "HTTP://LocalHost:80/", declaration: step("a"))))
            return try file.replay()
        }
        #expect(entries.map(\.baseURL) == [try APIBaseURL(parsing: "http://localhost").text])
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
        await client.shutdown()
        let lines = try String(contentsOfFile: directory + "/journal.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(try await outbox.enqueue(step("b"), baseURL: server.baseURL).id == 4)
    }

    @Test func aSecretStaysOnDiskOnlyWhileItsDeclarationWaits() async throws {
        let server = try await ScriptedServer.start([])
        defer { server.stop() }
        let client = client(server)
        let outbox = try Outbox(directory: directory)
        let journal = { try String(contentsOfFile: self.directory + "/journal.jsonl", encoding: .utf8) }
        try await outbox.enqueue(step("waits"), baseURL: .koyeb)
        try await outbox.enqueue(step("dropped"), baseURL: .koyeb)
        try await outbox.drop(id: 2)
        #expect(try journal().components(separatedBy: "sekret").count == 2, "only the waiting entry's secret")
        _ = try await outbox.deliver(step("sent"), using: client)
        await client.shutdown()
        #expect(try journal().components(separatedBy: "sekret").count == 2, "only the waiting entry's secret")
        try await outbox.drop(id: 1)
        #expect(try !journal().contains("sekret"))
        #expect(try await outbox.enqueue(step("next"), baseURL: .koyeb).id == 4)
    }

    @Test func aTornLastLineFromACrashIsIgnoredAndSwallowsNothingAfterIt() async throws {
        let outbox = try Outbox(directory: directory)
        try await outbox.enqueue(step("a"), baseURL: .koyeb)
        let handle = try #require(FileHandle(forWritingAtPath: directory + "/journal.jsonl"))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"queued":{"_0":{"id":2,"que"#.utf8))
        try handle.close()
        let reopened = try Outbox(directory: directory)
        #expect(try await reopened.entries().map(\.id) == [1])
        let next = try await reopened.enqueue(step("b"), baseURL: .koyeb)
        #expect(try await reopened.entries().map(\.declaration) == [step("a"), step("b")])
        #expect(next.id == 2)
    }

    @Test func aCompactionThatCannotWriteLeavesTheJournalAndTheDeliveryAlone() async throws {
        let server = try await ScriptedServer.start([])
        defer { server.stop() }
        let client = client(server)
        let outbox = try Outbox(directory: directory)
        // A folder where the rewrite's temporary file should go makes it fail.
        try FileManager.default.createDirectory(
            atPath: directory + "/journal.jsonl.tmp-\(ProcessInfo.processInfo.processIdentifier)",
            withIntermediateDirectories: false)
        let delivery: Outbox.Delivery
        do {
            delivery = try await outbox.deliver(step("sent"), using: client)
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
        guard case .delivered = delivery.result else {
            Issue.record("a failed tidy-up turned a delivery into \(delivery.result)")
            return
        }
        #expect(try await outbox.entries().isEmpty)
        let journal = try String(contentsOfFile: directory + "/journal.jsonl", encoding: .utf8)
        #expect(journal.split(separator: "\n").count == 3, "the rewrite was to fail: \(journal)")
    }

    @Test func aWorldReadableJournalIsRefused() throws {
        _ = try Outbox(directory: directory)
        #expect(
            FileManager.default.createFile(
                atPath: directory + "/journal.jsonl", contents: Data(), attributes: [.posixPermissions: 0o644]))
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

@Suite("Outbox: concurrency, credentials, failures, crashes")
struct OutboxEdgeTests {
    private let directory = freshOutboxDirectory()

    private func client(_ server: ScriptedServer, token: String = "t") -> KoyebClient {
        KoyebClient(
            configuration: KoyebClientConfiguration(
                baseURL: server.baseURL, token: APIToken(token), retryPolicy: RetryPolicy(maximumAttempts: 1)))
    }

    @Test func concurrentFlushesNeverSendAnEntryTwice() async throws {
        let server = try await ScriptedServer.start(
            [], fallback: .init(status: .ok, body: "{}", delay: .milliseconds(20)))
        defer { server.stop() }
        let first = try Outbox(directory: directory)
        let second = try Outbox(directory: directory)
        for index in 0..<10 { try await first.enqueue(.completedStep("d", "s\(index)"), baseURL: server.baseURL) }
        let clientA = client(server)
        let clientB = client(server)
        async let a = first.flush(using: clientA)
        async let b = second.flush(using: clientB)
        let reports = try await [a, b]
        await clientA.shutdown()
        await clientB.shutdown()
        #expect(reports.map(\.delivered.count).reduce(0, +) == 10)
        #expect(await server.received.count == 10)
    }

    @Test func aRefusedTokenStopsTheFlushWithoutRefusingTheEntries() async throws {
        let server = try await ScriptedServer.start(
            [.json(.unauthorized, #"{"code":"authentication_error","message":"bad token"}"#)])
        defer { server.stop() }
        let outbox = try Outbox(directory: directory)
        try await outbox.enqueue(.completedStep("d", "a"), baseURL: server.baseURL)
        try await outbox.enqueue(.completedStep("d", "b"), baseURL: server.baseURL)
        let wrong = client(server, token: "wrong")
        let report = try await outbox.flush(using: wrong)
        await wrong.shutdown()
        #expect(report.stoppedBy?.httpStatus == 401)
        #expect(report.refused.isEmpty)
        let good = client(server)
        let retried = try await outbox.flush(using: good)
        await good.shutdown()
        #expect(retried.delivered.map(\.0.id) == [1, 2])
    }

    @Test func aFailingDeploymentDoesNotHoldBackOthers() async throws {
        let server = try await ScriptedServer.start([
            .json(.internalServerError, #"{"code":"api_error"}"#), .json(.ok, "{}"),
        ])
        defer { server.stop() }
        let outbox = try Outbox(directory: directory)
        try await outbox.enqueue(.completedStep("bad", "a"), baseURL: server.baseURL)
        try await outbox.enqueue(.completedStep("good", "a"), baseURL: server.baseURL)
        try await outbox.enqueue(.completedStep("bad", "b"), baseURL: server.baseURL)
        let client = client(server)
        let report = try await outbox.flush(using: client)
        await client.shutdown()
        #expect(report.failed.map(\.0.id) == [1])
        #expect(report.delivered.map(\.0.id) == [2])
        #expect(report.waiting.map(\.id) == [3])
        #expect(await server.received.count == 2)
        #expect(try await outbox.entries().map(\.id) == [1, 3])
    }

    @Test func aCreateWhoseSendMayHaveLandedIsCheckedBeforeItIsReplayed() async throws {
        let target = ProvisioningTarget(deploymentID: "d", stage: "build", attempt: 4)
        // A run that died after starting the send: `queued` and `sending`, no `delivered`.
        let entry = OutboxEntry(
            id: 1, queuedAt: Date(), baseURL: "http://127.0.0.1:1",
            declaration: .createAttempt(target, CreateStageAttemptRequest(status: .running)))
        let encoder = KoyebJSON.encoder()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let lines = [
            String(decoding: try encoder.encode(OutboxJournal.Record.queued(entry)), as: UTF8.self),
            String(decoding: try encoder.encode(OutboxJournal.Record.sending(id: 1)), as: UTF8.self),
        ]
        _ = FileManager.default.createFile(
            atPath: directory + "/journal.jsonl", contents: Data((lines.joined(separator: "\n") + "\n").utf8),
            attributes: [.posixPermissions: 0o600])
        let existing =
            #"{"deployment": {"id": "d", "provisioning_info": {"stages": [{"name": "build", "build_attempts": [{"id": 4, "status": "RUNNING"}]}]}}}"#
        let server = try await ScriptedServer.start([.json(.ok, existing)])
        defer { server.stop() }
        let journal = try String(contentsOfFile: directory + "/journal.jsonl", encoding: .utf8)
        try journal.replacingOccurrences(of: "http://127.0.0.1:1", with: server.baseURL.text)
            .write(toFile: directory + "/journal.jsonl", atomically: false, encoding: .utf8)
        let outbox = try Outbox(directory: directory)
        let client = client(server)
        let report = try await outbox.flush(using: client)
        await client.shutdown()
        #expect(report.delivered.map(\.0.id) == [1])
        #expect(await server.received.map(\.method) == ["GET"])
    }

    @Test func idsAreNeverReusedWhileARefusedEntryRemains() async throws {
        let server = try await ScriptedServer.start(
            [.json(.badRequest, #"{"code":"invalid_argument"}"#)], fallback: .json(.ok, "{}"))
        defer { server.stop() }
        let outbox = try Outbox(directory: directory)
        for index in 0..<(OpenJournal.compactionSlack + 10) {
            try await outbox.enqueue(.completedStep("d", "s\(index)"), baseURL: server.baseURL)
        }
        let client = client(server)
        _ = try await outbox.flush(using: client)
        await client.shutdown()
        #expect(try await outbox.entries().map(\.id) == [1])
        let next = try await outbox.enqueue(.completedStep("d", "x"), baseURL: server.baseURL)
        #expect(next.id == OpenJournal.compactionSlack + 11)
    }

    @Test func aRefusedEntryCanBeQueuedAgain() async throws {
        let server = try await ScriptedServer.start([.json(.badRequest, #"{"code":"invalid_argument"}"#)])
        defer { server.stop() }
        let outbox = try Outbox(directory: directory)
        try await outbox.enqueue(.completedStep("d", "a"), baseURL: server.baseURL)
        let client = client(server)
        _ = try await outbox.flush(using: client)
        #expect(try await outbox.retry(id: 1).requeued, "a refused entry is queued again")
        #expect(try await !outbox.retry(id: 1).requeued, "a waiting entry is left as it is")
        let requeued = try await outbox.entries()
        #expect(requeued.first?.refusal == nil)
        #expect(requeued.first?.lastFailure?.hasPrefix("refused: 400") == true, "the refusal is its last failure")
        let report = try await outbox.flush(using: client)
        await client.shutdown()
        #expect(report.delivered.map(\.0.id) == [1])
    }

    @Test func deliverReportsTheDeclarationsOwnFate() async throws {
        let server = try await ScriptedServer.start([
            .json(.ok, "{}"), .json(.badRequest, #"{"code":"invalid_argument"}"#),
            .json(.serviceUnavailable, #"{"code":"api_error"}"#),
        ])
        defer { server.stop() }
        let outbox = try Outbox(directory: directory)
        let client = client(server)
        let delivered = try await outbox.deliver(.completedStep("d", "a"), using: client)
        let refused = try await outbox.deliver(.completedStep("d", "b"), using: client)
        let queued = try await outbox.deliver(.completedStep("d", "c"), using: client)
        await client.shutdown()
        guard case .delivered = delivered.result else { Issue.record("\(delivered.result)"); return }
        guard case .refused(let refusal) = refused.result else { Issue.record("\(refused.result)"); return }
        #expect(refusal.httpStatus == 400)
        guard case .queued(let failure) = queued.result else { Issue.record("\(queued.result)"); return }
        #expect(failure?.httpStatus == 503)
        #expect(try await outbox.entries().map(\.id) == [queued.entry.id])
    }
}
