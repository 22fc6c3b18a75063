import ArgumentParser
import DashboardCore
import Foundation

/// The real `kprov` dashboard to measure: the binary, the API it shows, its refresh interval and the terminal
/// size. It runs in a tmux pane with a private home, so no config file or outbox of the machine takes part.
struct DashboardUnderTest: ParsableArguments {
    @Option(help: "The kprov binary to run.") var kprov: String
    @Option(help: "The API base URL: a `kprov sim` with builders off, so the data does not change.") var url: String
    @Option(help: "The API token.") var token: String
    @Option(help: "Seconds between the dashboard's refreshes.") var interval = 2
    @Option(help: "Terminal width in cells.") var width = 132
    @Option(help: "Terminal height in cells.") var height = 43
    @Option(help: "The tmux server's socket path (tmux -S), so a caller can stop it; default: one in a private folder.")
    var tmuxSocket: String?

    func validate() throws {
        guard FileManager.default.isExecutableFile(atPath: kprov) else {
            throw ValidationError("--kprov: \(kprov) is not an executable file; build it with `swift build`")
        }
        guard (1...3600).contains(interval) else {
            throw ValidationError("--interval: \(interval) is out of range; allowed: 1 to 3600 seconds")
        }
        let minimum = DashboardLayout.minimumSize
        guard width >= minimum.width, height >= minimum.height else {
            throw ValidationError("--width/--height: \(width)×\(height) is smaller than the dashboard's \(minimum)")
        }
    }

    /// Starts the dashboard in a pane and returns once it shows its first data. `folder` holds its home and
    /// the copy of its output.
    func launch(in folder: String) throws -> TmuxPane {
        let pane = try TmuxPane(
            [kprov, "--url", url, "--interval", String(interval)], size: Size(width: width, height: height),
            environment: [
                "KOYEB_API_KEY": token, "LANG": "C.UTF-8", "HOME": folder, "XDG_CONFIG_HOME": folder + "/config",
                "XDG_STATE_HOME": folder + "/state",
            ],
            folder: folder, socket: tmuxSocket ?? folder + "/tmux.sock")
        do {
            try pane.waitForScreen(containing: " updated ", timeout: .seconds(60))
        } catch {
            pane.stop()
            throw error
        }
        return pane
    }

    /// A fresh private folder; the caller removes it.
    static func makeFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kprov-bench-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
