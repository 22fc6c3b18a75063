import Foundation
import NIOCore
import ProvisioningCore
import Testing

@testable import KoyebSimulator

/// `--state FILE`: loaded at start, saved atomically (mode 0600) before a change is acknowledged.
@Suite struct PersistenceTests {
    /// A fresh folder for one test's state file.
    private func temporaryStatePath() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kprov-sim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("state.json").path
    }

    /// The deployments the state file at `path` holds, read independently of the simulator.
    private func savedDeployments(_ path: String) throws -> [Deployment] {
        struct Saved: Decodable {
            struct Entry: Decodable { var deployment: Deployment }
            var deployments: [Entry]
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try KoyebJSON.decoder().decode(Saved.self, from: data).deployments.map(\.deployment)
    }

    /// Deployments as a client sees them: their JSON. (In memory, times carry more precision than JSON keeps.)
    private func json(_ deployments: [Deployment]) throws -> String {
        String(decoding: try KoyebJSON.encoder().encode(deployments), as: UTF8.self)
    }

    private func mode(_ path: String) throws -> Int {
        try #require((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue)
    }

    @Test func theStateFileIsWrittenAtStartPrivately() async throws {
        let path = try temporaryStatePath()
        try await SimulatorHarness.with(SimulatorConfiguration(deploymentCount: 6, seed: 1, statePath: path)) {
            harness in
            let saved = try savedDeployments(path)
            #expect(try mode(path) == 0o600)
            #expect(saved.map(\.id) == (await harness.store.deployments()).map(\.id))
        }
    }

    @Test func anAcknowledgedDeclarationIsAlreadyOnDisk() async throws {
        let path = try temporaryStatePath()
        try await SimulatorHarness.with(SimulatorConfiguration(statePath: path)) { harness in
            try await harness.insertDeployment()
            let target = ProvisioningTarget(deploymentID: "dep-1", stage: "build", attempt: 1)
            _ = try await harness.client.createStageAttempt(target, CreateStageAttemptRequest(steps: ["build"]))
            let saved = try #require(try savedDeployments(path).first)
            #expect(saved.provisioningInfo?.stage(named: "build")?.attempt(id: 1) != nil)
            #expect(try mode(path) == 0o600)
        }
    }

    @Test func aBurstOfConcurrentDeclarationsIsAllSaved() async throws {
        let path = try temporaryStatePath()
        try await SimulatorHarness.with(SimulatorConfiguration(statePath: path)) { harness in
            try await harness.insertDeployment()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 1...60 {
                    group.addTask {
                        _ = try await harness.client.createStageAttempt(
                            ProvisioningTarget(deploymentID: "dep-1", stage: "stage-\(index)", attempt: 1),
                            CreateStageAttemptRequest(status: .running))
                    }
                }
                try await group.waitForAll()
            }
            let saved = try #require(try savedDeployments(path).first)
            #expect(saved.provisioningInfo?.stages.count == 60)
        }
    }

    @Test func aRestartLosesNothing() async throws {
        let path = try temporaryStatePath()
        let first = SimulatorConfiguration(deploymentCount: 8, seed: 2, statePath: path)
        let before = try await SimulatorHarness.with(first) { harness in
            let id = try #require(await harness.store.deployments().first?.id)
            _ = try await harness.client.createStageAttempt(
                ProvisioningTarget(deploymentID: id, stage: "deploy", attempt: 1),
                CreateStageAttemptRequest(status: .running, steps: ["pull"]))
            return await harness.store.deployments()
        }
        let configuration = SimulatorConfiguration(deploymentCount: 50, seed: 99, statePath: path)
        let after = try await SimulatorHarness.with(configuration) { harness in await harness.store.deployments() }
        #expect(try json(after) == json(before))
        #expect(after.count == 8)
    }

    @Test func buildersChangesSurviveACleanStop() async throws {
        let path = try temporaryStatePath()
        let configuration = SimulatorConfiguration(
            deploymentCount: 10, seed: 6, builders: true, speed: 300, statePath: path)
        let server = try await SimulatorServer.start(configuration)
        try await Task.sleep(for: .milliseconds(400))
        await server.stop()
        let inMemory = await server.store.deployments()
        #expect(inMemory.count > 10)
        let frozen = SimulatorConfiguration(speed: 0.001, statePath: path)
        let restarted = try await SimulatorHarness.with(frozen) { harness in await harness.store.deployments() }
        #expect(try json(restarted) == json(inMemory))
    }

    @Test func aStateFileOthersCanReadIsRefused() async throws {
        let path = try temporaryStatePath()
        try await SimulatorHarness.with(SimulatorConfiguration(deploymentCount: 1, statePath: path)) { _ in }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let error = await #expect(throws: ConfigurationError.self) {
            _ = try await SimulatorServer.start(SimulatorConfiguration(statePath: path))
        }
        #expect(error?.description.contains(path) == true)
        #expect(error?.description.contains("chmod 600") == true)
    }

    @Test func aFileThatIsNotSimulatorStateIsRefusedClearly() async throws {
        let path = try temporaryStatePath()
        try FilePermissions.writePrivately(Data(#"{"deployments": 3}"#.utf8), to: path)
        let error = await #expect(throws: ConfigurationError.self) {
            _ = try await SimulatorServer.start(SimulatorConfiguration(statePath: path))
        }
        #expect(error?.description.contains("cannot be read as simulator state") == true)
    }

    @Test func anUnwritableStatePathFailsAtStart() async throws {
        let error = await #expect(throws: ConfigurationError.self) {
            _ = try await SimulatorServer.start(SimulatorConfiguration(statePath: "/proc/kprov/state.json"))
        }
        #expect(error?.description.contains("/proc/kprov/state.json") == true)
    }
}

/// Group commit, tested on the persister itself.
@Suite struct StatePersisterTests {
    @Test func aBurstOfCommitsSharesWritesAndEachReturnsOnceDurable() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kprov-persister-\(UUID().uuidString)")
        let path = folder.appendingPathComponent("state.json").path
        let persister = StatePersister(path: path, logger: SimulatorApplication.defaultLogger())
        let running = Task { await persister.run() }
        let store = try SimulatorStore([], persister: persister)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<100 {
                group.addTask {
                    try await store.insert(Deployment(id: "dep-\(index)", createdAt: Date()))
                    let saved = try Data(contentsOf: URL(fileURLWithPath: path))
                    #expect(String(decoding: saved, as: UTF8.self).contains("\"dep-\(index)\""))
                }
            }
            try await group.waitForAll()
        }
        let writes = await persister.writeCount
        #expect(writes >= 1 && writes < 50)
        running.cancel()
        await running.value
    }

    @Test func aChangeIsNotVisibleBeforeItIsOnDisk() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kprov-persister-\(UUID().uuidString)")
        let path = folder.appendingPathComponent("state.json").path
        // The first write happens at once; the next one waits for the end of `coalescing` — here, the end of run.
        let persister = StatePersister(
            path: path, coalescing: .seconds(3600), logger: SimulatorApplication.defaultLogger())
        let running = Task { await persister.run() }
        let store = try SimulatorStore([], persister: persister)
        try await store.insert(Deployment(id: "dep-1", createdAt: Date()))
        #expect(await store.deployment(id: "dep-1") != nil)

        let second = Task { try await store.insert(Deployment(id: "dep-2", createdAt: Date())) }
        while await persister.waitingCommits == 0 { await Task.yield() }
        #expect(await store.deployment(id: "dep-2") == nil)
        #expect(await store.deployments().map(\.id) == ["dep-1"])
        #expect(await store.count == 1)
        #expect(String(buffer: await store.page(DeploymentQuery())).contains("dep-2") == false)
        #expect(await store.reply(id: "dep-2") == nil)
        #expect(!String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self).contains("dep-2"))

        running.cancel()  // run writes what is pending as it stops
        try await second.value
        #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self).contains("dep-2"))
        #expect(await store.deployments().map(\.id).sorted() == ["dep-1", "dep-2"])
        await running.value
    }

    @Test func aChangeThatCannotBeSavedIsAnswered500() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kprov-persister-\(UUID().uuidString)")
        let path = folder.appendingPathComponent("state.json").path
        try await SimulatorHarness.with(SimulatorConfiguration(statePath: path)) { harness in
            try FileManager.default.removeItem(at: folder)
            try Data("not a folder".utf8).write(to: folder)
            let deployment = Deployment(id: "dep-1", createdAt: Date())
            let error = await #expect(throws: SimulatorError.self) { try await harness.store.insert(deployment) }
            #expect(error?.status == .internalServerError)
            #expect(await harness.store.deployment(id: "dep-1") == nil)
            try FileManager.default.removeItem(at: folder)
        }
    }
}
