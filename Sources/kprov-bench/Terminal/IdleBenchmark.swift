import ArgumentParser
import Foundation

/// `kprov-bench idle`: CPU the real dashboard uses while nobody types, in a few situations.
struct IdleBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "idle",
        abstract: "CPU use of an idle kprov dashboard: as opened, with the help overlay, in follow mode.",
        discussion: """
            Runs the dashboard in a tmux pane and, for each situation in turn, types its keys, lets it settle,
            then reads the process's CPU time (utime + stime from /proc/PID/stat) before and after --seconds of
            no input. Situations: tree (as opened, newest deployments first), help (? pressed), follow (help
            closed, f pressed), still (End pressed, which also ends follow: the oldest deployments, where nothing
            runs). The settle time outlasts the 4 s toast a key may show.
            """)

    /// What is on screen while CPU is measured.
    enum Situation: String, CaseIterable, ExpressibleByArgument, Encodable {
        case tree, help, follow, still

        /// The keys that lead here from the situation before it in `allCases` order.
        var keys: [String] {
            switch self {
            case .tree: []
            case .help: ["?"]
            case .follow: ["?", "f"]
            case .still: ["End"]
            }
        }
    }

    @OptionGroup var dashboard: DashboardUnderTest
    @Option(help: "Seconds of CPU averaged per situation.") var seconds = 60.0
    @Option(help: "Seconds to settle after the keys of a situation.") var settle = 5.0
    @Option(
        name: .customLong("situation"),
        help: "A situation to measure (repeatable, in this order: tree, help, follow, still); default: the first three."
    )
    var situations: [Situation] = [.tree, .help, .follow]
    @Flag(help: "Print one JSON object instead of a sentence.") var json = false

    struct Figure: Encodable {
        var situation: Situation
        /// CPU used, in percent of one core.
        var cpuPercent: Double
        /// Bytes written to the terminal per second.
        var bytesPerSecond: Double
    }

    func validate() throws {
        guard seconds > 0, settle >= 0 else {
            throw ValidationError("--seconds must be more than 0, --settle 0 or more")
        }
        guard situations == Situation.allCases.filter(situations.contains) else {
            throw ValidationError("--situation: give them in this order: tree, help, follow, still")
        }
    }

    func run() throws {
        let folder = try DashboardUnderTest.makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let pane = try dashboard.launch(in: folder)
        defer { pane.stop() }
        var figures: [Figure] = []
        var previous: Situation?
        for situation in situations {
            try pane.send(keys(from: previous, to: situation))
            previous = situation
            Thread.sleep(forTimeInterval: settle)
            let clock = ContinuousClock()
            let started = clock.now
            let bytes = pane.outputBytes
            guard let before = ProcessCPU.seconds(of: pane.pid) else { throw exited }
            Thread.sleep(forTimeInterval: seconds)
            guard let after = ProcessCPU.seconds(of: pane.pid) else { throw exited }
            let elapsed = (clock.now - started).microseconds / 1e6
            figures.append(
                Figure(
                    situation: situation, cpuPercent: 100 * (after - before) / elapsed,
                    bytesPerSecond: Double(pane.outputBytes - bytes) / elapsed))
        }
        if json {
            print(JSONLine.encode(Dictionary(uniqueKeysWithValues: figures.map { ($0.situation.rawValue, $0) })))
        } else {
            for figure in figures {
                print(
                    String(
                        format: "idle %@: %.2f %% CPU, %.0f bytes/s written", figure.situation.rawValue,
                        figure.cpuPercent, figure.bytesPerSecond))
            }
        }
    }

    /// The keys from `previous` (nil: as opened) to `situation`, through the situations in between.
    private func keys(from previous: Situation?, to situation: Situation) -> [String] {
        let all = Situation.allCases
        let start = previous.flatMap { all.firstIndex(of: $0) }.map { $0 + 1 } ?? 0
        guard let end = all.firstIndex(of: situation), start <= end else { return [] }
        return all[start...end].flatMap(\.keys)
    }

    private var exited: TmuxPane.Failure {
        TmuxPane.Failure(description: "the dashboard exited while being measured")
    }
}
