import ArgumentParser
import DashboardCore
import Foundation
import ProvisioningCore

/// `kprov watch DEPLOYMENT`: follows one deployment's build line by line until it ends.
struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Follow one deployment's build until it ends.",
        discussion: """
            Prints a line for every status change and message, with the time. An attempt that failed with a \
            retryable failure does not end the watch while the deployment can still build: watch waits up to \
            --retry-wait seconds for the next attempt. When the API fails (cannot be reached, 5xx, 429), watch \
            says so once on standard error and polls again with back-off, for up to --max-outage seconds.

            Exit status:
              0    the build completed
              1    the build failed or was aborted, the deployment ended without a
                   build, or the API refused the request
              3    the API failed for longer than --max-outage
              141  standard output was closed by its reader (e.g. `| head -3`)

            Example:
              kprov watch 4f2c…e1 && echo "built"
            """)

    @Argument(help: "The deployment id, as `kprov deployments list` shows it.")
    var deployment: String

    @Option(
        help: "Seconds between polls (1–3600). (default: 2)", transform: AllowedNumbers(1...3600, unit: "seconds").parse
    )
    var interval = 2

    @Option(
        help: "Seconds the API may fail in a row before watch gives up with exit status 3 (0–3600). (default: 60)",
        transform: AllowedNumbers(0...3600, unit: "seconds").parse)
    var maxOutage = 60

    @Option(
        help: "Seconds to wait for a new attempt after a retryable failure (0–3600). (default: 30)",
        transform: AllowedNumbers(0...3600, unit: "seconds").parse)
    var retryWait = 30

    @Flag(help: "Use ASCII instead of Unicode glyphs.")
    var ascii = false

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        try requireNonEmpty(deployment, name: "DEPLOYMENT")
    }

    func run() async throws {
        let client = try connection.makeClient()
        let glyphs: Glyphs =
            ascii || !LocaleCheck.isUTF8(environment: ProcessInfo.processInfo.environment) ? .ascii : .unicode
        let follower = BuildFollower(
            limits: BuildFollower.Limits(
                interval: .seconds(interval), maximumOutage: .seconds(maxOutage), retryWait: .seconds(retryWait)),
            glyphs: glyphs)
        let end = try await CommandOutcome.run {
            try await client.using { client in
                try await follower.follow(fetch: { try await client.deployment(id: deployment) }, report: report)
            }
        }
        switch end {
        case .completed:
            emit("build completed")
        case .failed(let status):
            emit("build \(status.rawValue.lowercased())")
            throw CommandOutcome.refused
        case .noBuild(let status):
            emit("deployment \(TerminalText.sanitized(deployment, limit: 80)) is \(status.rawValue) and has no build")
            throw CommandOutcome.refused
        case .gaveUp(let error, let after):
            CommandOutcome.printError(error.description)
            Console.note(
                "watch: the API failed for \(Self.seconds(after)) in a row (--max-outage \(maxOutage)); giving up")
            throw CommandOutcome.unavailable
        }
    }

    private func report(_ event: BuildFollower.Event) {
        switch event {
        case .changes(let lines):
            for line in lines { emit(line) }
        case .outageBegan(let error):
            Console.note("watch: \(error); polling again with back-off for up to \(maxOutage)s (--max-outage)")
        case .outageEnded(let after):
            Console.note("watch: the API answers again, after \(Self.seconds(after))")
        case .awaitingRetry(let attempt):
            emit("attempt #\(attempt) failed with a retryable failure; waiting up to \(retryWait)s for a new attempt")
        case .retryNeverCame(let attempt):
            emit("no new attempt after #\(attempt) within \(retryWait)s (--retry-wait)")
        }
    }

    private static func seconds(_ duration: Duration) -> String {
        "\(duration.components.seconds)s"
    }

    /// Prints `line` with the local time on a 24-hour clock (`FormTime.clock`), unbuffered, so
    /// `kprov watch … | tee` shows it at once.
    private func emit(_ line: String) {
        Console.line("\(FormTime.clock(Date(), in: .current))  \(line)")
    }
}
