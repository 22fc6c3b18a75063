import ArgumentParser
import ProvisioningCore

/// `kprov`: a terminal dashboard and toolkit for Koyeb's provisioning API. With no subcommand it opens the
/// dashboard; every subcommand is a thin layer over the library targets.
@main
struct Kprov: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kprov",
        abstract: "Watch Koyeb deployments build, and declare build progress.",
        discussion: """
            Try it with no account:  kprov --demo
            Declare a step from CI:  kprov step declare DEPLOYMENT build 1 git-clone --status COMPLETED
            """,
        version: KprovVersion.current,
        subcommands: [
            Dashboard.self, Sim.self, Serve.self, Attempt.self, StageCommand.self, StepCommand.self,
            Deployments.self, Tree.self, Watch.self, OutboxCommand.self,
        ],
        defaultSubcommand: Dashboard.self
    )
}
