import ChildProcess
import DashboardCore
import Foundation

/// A program running in a detached tmux pane of a fixed size, on a tmux server of its own: what it writes to
/// its terminal is copied to a file (`pipe-pane`), keys are sent as a user types them, and the screen can be
/// read back. The program starts only once the copy runs, so the file holds every byte it wrote.
final class TmuxPane {
    /// The file holding every byte the program wrote to its terminal.
    let outputPath: String
    /// The process id of the program (the pane's process: the shell that waited `exec`s it).
    let pid: Int32
    private let server: TmuxServer
    private static let target = ["-t", "bench"]

    /// A failed tmux command, with what it printed.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Starts `arguments` (the executable first) in a `size` pane with `environment`, copying its output to a
    /// file in `folder`, on a new tmux server listening on the socket at path `socket`.
    init(_ arguments: [String], size: Size, environment: [String: String], folder: String, socket: String) throws {
        let server = TmuxServer(socket: socket, scratchPath: folder + "/tmux-output.txt")
        outputPath = folder + "/pane-output.bin"
        guard FileManager.default.createFile(atPath: outputPath, contents: nil) else {
            throw Failure(description: "cannot create \(outputPath)")
        }
        // The shell waits for a line before it becomes the program, so the output copy is in place first.
        let waiting = ["/bin/sh", "-c", #"read -r _; exec "$0" "$@""#] + arguments
        let variables = environment.sorted { $0.key < $1.key }.flatMap { ["-e", "\($0.key)=\($0.value)"] }
        try server.run(
            ["new-session", "-d", "-s", "bench", "-x", "\(size.width)", "-y", "\(size.height)"] + variables + waiting)
        do {
            try server.run(["set-option"] + Self.target + ["remain-on-exit", "on"])
            try server.run(["pipe-pane", "-O"] + Self.target + ["cat >> '\(outputPath)'"])
            let shown = try server.run(["display-message", "-p"] + Self.target + ["#{pane_pid}"])
            guard let pid = Int32(shown) else {
                throw Failure(description: "tmux did not report the pane's process id: \(shown)")
            }
            self.pid = pid
            try server.run(["send-keys"] + Self.target + ["Enter"])
        } catch {
            _ = try? server.run(["kill-server"])
            throw error
        }
        self.server = server
    }

    deinit { stop() }

    /// Ends the program and the tmux server.
    func stop() {
        _ = try? server.run(["kill-server"])
    }

    /// Types `keys` (tmux key names: `j`, `Enter`, `End`, `?`).
    func send(_ keys: [String]) throws {
        try server.run(["send-keys"] + Self.target + keys)
    }

    /// The lines the pane shows now, without attributes.
    func screen() throws -> [String] {
        try server.run(["capture-pane", "-p"] + Self.target).components(separatedBy: "\n")
    }

    /// Whether the program has ended.
    var hasExited: Bool {
        ((try? server.run(["display-message", "-p"] + Self.target + ["#{pane_dead}"])) ?? "1") == "1"
    }

    /// How many bytes the program has written so far.
    var outputBytes: Int {
        ((try? FileManager.default.attributesOfItem(atPath: outputPath))?[.size] as? Int) ?? 0
    }

    /// The bytes written from offset `start` on.
    func output(from start: Int) -> Data {
        guard let handle = FileHandle(forReadingAtPath: outputPath) else { return Data() }
        defer { try? handle.close() }
        try? handle.seek(toOffset: UInt64(start))
        return handle.readDataToEndOfFile()
    }

    /// Waits until the screen shows `text` or `timeout` passes; polls every 50 ms.
    func waitForScreen(containing text: String, timeout: Duration) throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try screen().contains(where: { $0.contains(text) }) { return }
            if hasExited { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let shown = (try? screen().prefix(5).joined(separator: "\n")) ?? ""
        throw Failure(description: "the pane never showed \"\(text)\"; it shows:\n\(shown)")
    }
}

/// One private tmux server (`tmux -S socket`, no configuration file).
private struct TmuxServer {
    /// The path of the server's socket.
    let socket: String
    /// Where each command's output goes: a file, not a pipe, because the server that the first command forks
    /// keeps the descriptors it inherited, and a pipe would then never reach its end.
    let scratchPath: String

    /// Runs one tmux command and returns what it printed; throws when it fails.
    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        let status: Int32
        do {
            status = try ChildProcess.run(
                ["tmux", "-S", socket, "-f", "/dev/null"] + arguments, output: .file(scratchPath)
            ).status
        } catch {
            throw TmuxPane.Failure(description: "\(error) (install tmux: apt-get install tmux)")
        }
        let text = ((try? String(contentsOfFile: scratchPath, encoding: .utf8)) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard status == 0 else {
            throw TmuxPane.Failure(description: "tmux \(arguments.first ?? "") failed: \(text)")
        }
        return text
    }
}
