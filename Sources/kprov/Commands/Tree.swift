import ArgumentParser
import DashboardCore
import Foundation
import ProvisioningCore
import TerminalUI

/// `kprov tree`: the dashboard's tree printed once, for logs and scripts.
struct Tree: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the tree of deployments, stages, attempts and steps once.",
        discussion: """
            Examples:
              kprov tree --status PROVISIONING
              kprov tree --deployment 4f2c…e1 --output json

            \(CommandOutcome.readingExitStatus)
            """)

    /// What `--output` accepts: `table` or `json`, like every other command, and `text`, the older name of
    /// `table`.
    enum Output: String, ExpressibleByArgument, CaseIterable {
        case table, json

        init?(argument: String) {
            self.init(rawValue: argument == "text" ? Self.table.rawValue : argument)
        }
    }

    @Option(
        help:
            "table (the tree, one node a line; `text` works too) or json (the deployments with their provisioning info)."
    )
    var output: Output = .table

    @Flag(help: "Draw the tree with ASCII instead of Unicode glyphs.")
    var ascii = false

    @OptionGroup var filters: DeploymentFilterOptions

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let query = try filters.query(defaults: DashboardConfig())
        let client = try connection.makeClient()
        let deployments = try await CommandOutcome.run {
            try await client.using { try await $0.deployments(matching: query).deployments }
        }
        switch output {
        case .json:
            Console.line(String(decoding: try KoyebJSON.encoder(pretty: true).encode(deployments), as: UTF8.self))
        case .table:
            let environment = ProcessInfo.processInfo.environment
            let glyphs: Glyphs = ascii || !LocaleCheck.isUTF8(environment: environment) ? .ascii : .unicode
            for line in TreeTextPrinter.lines(for: deployments, glyphs: glyphs, now: Date()) { Console.line(line) }
        }
    }
}
