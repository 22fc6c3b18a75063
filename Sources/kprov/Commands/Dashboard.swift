import ArgumentParser
import DashboardCore
import Foundation
import ProvisioningCore

/// `kprov` (or `kprov dashboard`): the live tree of deployments, stages, attempts and steps.
struct Dashboard: AsyncParsableCommand {
    /// Seconds between refreshes when neither `--interval` nor the config file sets it.
    static let defaultInterval = 2

    static let configuration = CommandConfiguration(
        abstract: "Open the live dashboard (the default command).",
        discussion: """
            Try it with no account:   kprov --demo
            On Koyeb:                 KOYEB_API_KEY=… kprov
            Only some deployments:    kprov --status PROVISIONING --app-id APP

            Defaults can come from $XDG_CONFIG_HOME/kprov/config.yaml (else ~/.config/kprov/config.yaml); \
            flags win. Its keys:
            \(indentedList(DashboardConfig.keys))

            Press ? in the dashboard for every key.
            """)

    @Flag(help: "Start a local simulated Koyeb API with builders running, and open the dashboard on it.")
    var demo = false

    @Option(
        help:
            "Seconds between refreshes (1–3600; default \(Dashboard.defaultInterval), or `interval:` in the config file).",
        transform: AllowedNumbers(1...3600, unit: "seconds").parse)
    var interval: Int?

    @Option(help: "A theme name (default, light, high-contrast, colorblind, mono, …) or the path of a theme file.")
    var theme: String?

    @Flag(help: "Draw with ASCII instead of Unicode glyphs.")
    var ascii = false

    @Flag(help: "Turn off every action that declares progress.")
    var readOnly = false

    @OptionGroup var filters: DeploymentFilterOptions

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        if demo, connection.url != nil {
            throw ValidationError(
                "--demo starts its own local API; drop --url (or drop --demo to use \(connection.url!))")
        }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let config = try ConnectionOptions.kprovConfig(environment: environment)
        let catalog = ThemeCatalog.standard(environment: environment)
        let themeName = theme ?? config.theme ?? "default"
        let themeSource: ThemeCatalog.Source
        do {
            themeSource = try catalog.locate(themeName)
        } catch {
            // Blame the value where it was written: the flag, else the config file's line.
            if theme == nil, let origin = config.origins["theme"] {
                throw ValidationError(origin.error(error.description).description)
            }
            throw ValidationError("--theme: \(error.description)")
        }
        let options = DashboardLaunch.Options(
            interval: TimeInterval(interval ?? config.interval ?? Self.defaultInterval), theme: themeSource,
            catalog: catalog,
            ascii: ascii || config.ascii == true, readOnly: readOnly || config.readOnly == true,
            noColor: !(environment["NO_COLOR"] ?? "").isEmpty,
            query: try filters.query(defaults: config))
        let timeout = Duration.seconds(connection.timeout)
        if demo {
            try await DashboardLaunch.runDemo(options, timeout: timeout)
        } else {
            let settings = try connection.resolve(config: config)
            guard settings.token != nil else {
                throw ValidationError(
                    "no API token: pass --token, or set KOYEB_API_KEY or KOYEB_TOKEN, or `token:` in ~/.koyeb.yaml "
                        + "(or try kprov --demo)"
                )
            }
            try await DashboardLaunch.run(options, settings: settings, outbox: try openOutbox(), timeout: timeout)
        }
    }

    /// `items` separated by commas, on lines indented by two spaces and at most 78 columns wide, so that help
    /// output keeps them indented instead of wrapping them to the left margin.
    private static func indentedList(_ items: [String]) -> String {
        var lines = [String]()
        for (index, item) in items.enumerated() {
            let word = item + (index == items.count - 1 ? "" : ",")
            if let last = lines.last, last.count + 1 + word.count <= 78 {
                lines[lines.count - 1] = last + " " + word
            } else {
                lines.append("  " + word)
            }
        }
        return lines.joined(separator: "\n")
    }
}
