import ArgumentParser
import DashboardCore
import Foundation
import ProvisioningCore

/// `kprov watch DEPLOYMENT`: follows one deployment's build line by line until it ends.
struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Follow one deployment's build until it ends.",
        discussion: """
            Prints a line for every status change and message. Exit status: 0 when the build completed, 1 when it
            failed or was aborted (or the API refused the request), 3 when the API cannot be reached.

            Example:
              kprov watch 4f2c…e1 && echo "built"
            """)

    @Argument(help: "The deployment id.")
    var deployment: String

    @Option(help: "Seconds between polls (1–3600).")
    var interval = 2

    @Flag(help: "Use ASCII instead of Unicode glyphs.")
    var ascii = false

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        try requireNonEmpty(deployment, name: "DEPLOYMENT")
        guard (1...3600).contains(interval) else {
            throw ValidationError("--interval: \(interval) is out of range; allowed: 1 to 3600 seconds")
        }
    }

    func run() async throws {
        let client = try connection.makeClient()
        let glyphs: Glyphs =
            ascii || !LocaleCheck.isUTF8(environment: ProcessInfo.processInfo.environment) ? .ascii : .unicode
        let outcome = try await CommandOutcome.run {
            try await client.using { client in try await follow(client, glyphs: glyphs) }
        }
        switch outcome {
        case .completed:
            emit("build completed")
        case .failed(let status):
            emit("build \(status.rawValue.lowercased())")
            throw ExitCode(1)
        case .running:
            return
        }
    }

    /// Polls until the build ends; returns how it ended.
    private func follow(_ client: KoyebClient, glyphs: Glyphs) async throws -> BuildWatcher.Outcome {
        var previous: Deployment?
        while true {
            let current = try await client.deployment(id: deployment)
            for line in BuildWatcher.changes(from: previous, to: current, glyphs: glyphs) { emit(line) }
            previous = current
            let outcome = BuildWatcher.outcome(of: current)
            if outcome != .running { return outcome }
            try await Task.sleep(for: .seconds(interval))
        }
    }

    /// Prints `line` with the local time, unbuffered, so `kprov watch … | tee` shows it at once.
    private func emit(_ line: String) {
        let time = Date().formatted(.dateTime.hour(.twoDigits(amPM: .omitted)).minute(.twoDigits).second(.twoDigits))
        Console.line("\(time)  \(line)")
    }
}
