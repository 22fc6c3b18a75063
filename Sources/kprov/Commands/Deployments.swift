import ArgumentParser
import Foundation
import ProvisioningCore

/// `kprov deployments list|get`.
struct Deployments: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read deployments and their build progress.", subcommands: [List.self, Get.self])

    /// `kprov deployments list`: every page of `GET /v1/deployments`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List deployments.",
            discussion: """
                Example:
                  kprov deployments list --status PROVISIONING \\
                      --status ERROR --output json

                \(CommandOutcome.readingExitStatus)
                """)

        @OptionGroup var filters: ListingFilterOptions

        @Option(help: "table or json.")
        var output: OutputFormat = .table

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let filter = try filters.filter()
            let client = try connection.makeClient()
            let deployments = try await CommandOutcome.run {
                try await client.using { try await $0.allDeployments(filter: filter) }
            }
            switch output {
            case .json:
                Console.line(String(decoding: try KoyebJSON.encoder(pretty: true).encode(deployments), as: UTF8.self))
            case .table: Console.output(DeploymentTable.render(deployments))
            }
        }
    }

    /// `kprov deployments get ID`: `GET /v1/deployments/{id}`.
    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one deployment with its stages, attempts and steps.",
            discussion: """
                Example:
                  kprov deployments get 4f2c…e1 --output json

                \(CommandOutcome.readingExitStatus)
                """)

        @Argument(help: "The deployment id, as `kprov deployments list` shows it.")
        var id: String

        @Option(help: "table or json.")
        var output: OutputFormat = .table

        @OptionGroup var connection: ConnectionOptions

        func validate() throws { try requireNonEmpty(id, name: "ID") }

        func run() async throws {
            let client = try connection.makeClient()
            let deployment = try await CommandOutcome.run { try await client.using { try await $0.deployment(id: id) } }
            switch output {
            case .json:
                Console.line(String(decoding: try KoyebJSON.encoder(pretty: true).encode(deployment), as: UTF8.self))
            case .table: Console.output(DeploymentTable.render([deployment]) + DeploymentTable.renderBuild(deployment))
            }
        }
    }
}

/// Plain-text tables for `kprov deployments`.
enum DeploymentTable {
    static func render(_ deployments: [Deployment]) -> String {
        var rows = [["ID", "APP", "SERVICE", "STATUS", "SHA", "BUILD", "CREATED"]]
        for deployment in deployments {
            let lastStage = deployment.provisioningInfo?.stages.last
            rows.append(
                [
                    deployment.id, deployment.appID ?? "-", deployment.serviceID ?? "-", deployment.status.rawValue,
                    String((deployment.provisioningInfo?.sha ?? "-").prefix(7)),
                    lastStage.map { "\($0.name) \($0.status.rawValue)" } ?? "-",
                    deployment.createdAt.map(RFC3339.format) ?? "-",
                ].map { TerminalText.sanitized($0, limit: 60) })
        }
        return format(rows)
    }

    /// Stages, attempts and steps of one deployment, indented.
    static func renderBuild(_ deployment: Deployment) -> String {
        var lines: [String] = []
        for stage in deployment.provisioningInfo?.stages ?? [] {
            lines.append("stage \(stage.name) \(stage.status)")
            for attempt in stage.buildAttempts {
                lines.append("  attempt #\(attempt.id) \(attempt.status)")
                for step in attempt.steps {
                    let message = step.messages.last.map { "  \($0)" } ?? ""
                    lines.append("    \(step.name) \(step.status)\(message)")
                }
            }
        }
        return lines.map { TerminalText.sanitized($0, limit: 200) + "\n" }.joined()
    }

    private static func format(_ rows: [[String]]) -> String {
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ") + "\n"
        }.joined()
    }
}
