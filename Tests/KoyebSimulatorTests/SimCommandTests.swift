import AsyncHTTPClient
import Foundation
import KoyebSimulator
import TestSupport
import Testing

/// The built `kprov sim` binary: prints where it listens, serves, and stops cleanly on SIGINT and SIGTERM.
@Suite struct SimCommandTests {
    /// The built `kprov`, which `scripts/test` builds before `swift test`.
    private static func binary() throws -> URL {
        let path = PackageFiles.executable("kprov")
        try #require(FileManager.default.isExecutableFile(atPath: path), "\(path) is missing; run swift build first")
        return URL(fileURLWithPath: path)
    }

    /// A running `kprov sim`, with its standard output collected.
    private final class Running: @unchecked Sendable {
        let process = Process()
        private let output = Pipe()
        private let lock = NSLock()
        private var collected = Data()

        init(_ arguments: [String]) throws {
            process.executableURL = try SimCommandTests.binary()
            process.arguments = ["sim"] + arguments
            process.standardOutput = output
            process.standardError = output
            output.fileHandleForReading.readabilityHandler = { [weak self] handle in
                let data = handle.availableData
                guard let self else { return }
                lock.lock()
                collected.append(data)
                lock.unlock()
            }
            try process.run()
        }

        var text: String {
            lock.lock()
            defer { lock.unlock() }
            return String(decoding: collected, as: UTF8.self)
        }

        /// The URL from the banner, once printed.
        func url(timeout: Duration = .seconds(20)) async -> String? {
            _ = await eventually(timeout: timeout) { self.text.contains("listening on http://") }
            guard let range = text.range(of: #"http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) else {
                return nil
            }
            return String(text[range])
        }

        /// Sends `signal` and waits for the exit; returns the exit status, or `nil` if it did not exit in time.
        func stop(with signal: Int32) async -> Int32? {
            kill(process.processIdentifier, signal)
            let exited = await eventually(timeout: .seconds(15)) { !self.process.isRunning }
            if !exited { process.terminate() }
            output.fileHandleForReading.readabilityHandler = nil
            return exited ? process.terminationStatus : nil
        }
    }

    private func get(_ url: String, token: String) async throws -> (Int, [String: Any]) {
        var request = HTTPClientRequest(url: url + "/v1/deployments")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        let json = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))
        return (Int(response.status.code), json as? [String: Any] ?? [:])
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func itPrintsTheURLAndTokenServesAndStopsCleanly(signal: Int32) async throws {
        let sim = try Running(["--port", "0", "--deployments", "4", "--seed", "3"])
        let url = try #require(await sim.url(), "no URL in: \(sim.text)")
        #expect(sim.text.contains(SimulatorConfiguration.developmentToken))
        #expect(sim.text.contains("seed:   3"))
        let (status, body) = try await get(url, token: SimulatorConfiguration.developmentToken)
        #expect(status == 200)
        #expect(body["count"] as? Int == 4)
        #expect(await sim.stop(with: signal) == 0)
    }

    @Test func theBannerSaysWhetherTheStateFileWasLoadedOrIsNew() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sim-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try Running(["--port", "0", "--deployments", "5", "--state", path])
        _ = try #require(await first.url(), "no URL in: \(first.text)")
        #expect(first.text.contains("5 generated deployments, kept in new state file \(path)"), "\(first.text)")
        #expect(await first.stop(with: SIGTERM) == 0)
        let second = try Running(["--port", "0", "--state", path])
        _ = try #require(await second.url(), "no URL in: \(second.text)")
        #expect(second.text.contains("loaded from state file \(path)"), "\(second.text)")
        #expect(await second.stop(with: SIGTERM) == 0)
    }

    @Test func chosenTokensAndSecretsAreNeverPrinted() async throws {
        let sim = try Running([
            "--port", "0", "--token", "tok-alpha-123", "--token", "tok-beta-456", "--provisioning-secret", "psst-789",
        ])
        let url = try #require(await sim.url(), "no URL in: \(sim.text)")
        #expect(try await get(url, token: "tok-beta-456").0 == 200)
        #expect(try await get(url, token: SimulatorConfiguration.developmentToken).0 == 401)
        #expect(await sim.stop(with: SIGTERM) == 0)
        for secret in ["tok-alpha-123", "tok-beta-456", "psst-789", SimulatorConfiguration.developmentToken] {
            #expect(!sim.text.contains(secret))
        }
    }

    @Test(arguments: [
        (["--chaos", "bogus=1"], "--chaos: unknown key \"bogus\""),
        (["--speed", "0"], "--speed: 0 is not allowed; allowed: a number from 0.001 to 1000"),
        (["--port", "70000"], "--port: 70000 is not allowed; allowed: a port from 1 to 65535, or 0 for any free port"),
        (["--port", "abc"], "--port: abc is not allowed; allowed: a port from 1 to 65535, or 0 for any free port"),
        (["--deployments=-3"], "--deployments: -3 is not allowed; allowed: a whole number from 0 to 100000"),
        (["--deployments", "-1"], "--deployments: -1 is not allowed; allowed: a whole number from 0 to 100000"),
        (["--seed", "-3"], "--seed: -3 is not allowed; allowed: a whole number from 0 to 18446744073709551615"),
        (["--token", ""], "--token is empty"),
        (
            ["--host", "not a host", "--port", "0"],
            "--host: \"not a host\" is not an address to listen on; allowed: an IP address of this machine"
        ),
    ])
    func badOptionsAreOneLineUsageErrors(arguments: [String], message: String) async throws {
        let sim = try Running(arguments)
        let exited = await eventually(timeout: .seconds(15)) { !sim.process.isRunning }
        #expect(exited)
        #expect(sim.process.terminationStatus == 2)
        let errorLines = sim.text.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errorLines.count == 1)
        #expect(errorLines.first?.contains(message) == true, "\(sim.text)")
    }

    @Test func aPortInUseIsAUsageError() async throws {
        let first = try Running(["--port", "0", "--deployments", "0"])
        let url = try #require(await first.url(), "no URL in: \(first.text)")
        let port = try #require(url.split(separator: ":").last)
        let second = try Running(["--port", String(port), "--deployments", "0"])
        _ = await eventually(timeout: .seconds(15)) { !second.process.isRunning }
        #expect(second.process.terminationStatus == 2, "\(second.text)")
        #expect(
            second.text.contains("error: cannot listen on 127.0.0.1:\(port): Address already in use"), "\(second.text)")
        #expect(await first.stop(with: SIGTERM) == 0)
    }

    @Test func helpShowsAnExample() async throws {
        let sim = try Running(["--help"])
        _ = await eventually(timeout: .seconds(15)) { !sim.process.isRunning }
        #expect(sim.text.contains("kprov sim --port 8000 --builders"))
        #expect(sim.text.contains("--chaos"))
    }
}
