import ArgumentParser
import DashboardCore
import Foundation

/// `kprov-bench render`: the dashboard's state, reducer and renderer on a large and a small tree in one run.
struct RenderBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Frame times and memory of the dashboard on a large and a small fully expanded tree.",
        discussion: """
            Each operation is one frame as the dashboard runs it for a key: the clock tick and the key's action
            through DashboardReducer, the screen rendered into the cell grid, and compared with the last one.
            Operations: frame (the clock alone), move (↓/↑), page (PgDn/PgUp), toggle (a deployment, collapse
            and expand), merge (a refresh as the running dashboard gets it: the page of 100 holding the running
            builds decoded afresh, its unchanged deployments and the other pages those of the last refresh, as
            the client's reply cache hands them back), merge_fresh (every page decoded afresh, a few deployments
            changed), merge_unchanged (every page that of the last refresh), filter (a key typed on into the / filter,
            `svc-1` → `svc-11`), filter_widen (backspace, `svc-11` → `svc-1`), each as many times as refreshes. Memory is VmRSS once the tree is loaded. The small tree runs first,
            then the large one; ratios are large/small.
            """)

    @Option(help: "Deployments in the large tree.") var deployments = 10_000
    @Option(help: "Deployments in the small tree.") var smallDeployments = 10
    @Option(help: "Stages per deployment.") var stages = 1
    @Option(help: "Attempts per stage.") var attempts = 3
    @Option(help: "Steps per attempt.") var steps = 8
    @Option(help: "Frames timed per operation (as many again warm up).") var iterations = 2_000
    @Option(help: "Refreshes timed (as many again warm up).") var mergeIterations = 51
    @Option(help: "Terminal width in cells.") var width = 132
    @Option(help: "Terminal height in cells.") var height = 43
    @Flag(help: "Print one JSON object instead of a table.") var json = false

    func validate() throws {
        for (name, value) in [
            ("--deployments", deployments), ("--small-deployments", smallDeployments), ("--stages", stages),
            ("--attempts", attempts), ("--steps", steps), ("--iterations", iterations),
            ("--merge-iterations", mergeIterations),
        ] where value < 1 {
            throw ValidationError("\(name): \(value) is too small; allowed: 1 or more")
        }
        let minimum = DashboardLayout.minimumSize
        guard width >= minimum.width, height >= minimum.height else {
            throw ValidationError("--width/--height: \(width)×\(height) is smaller than the dashboard's \(minimum)")
        }
    }

    func run() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        func scenario(_ count: Int) -> RenderScenario {
            RenderScenario(
                shape: SyntheticDeployments(count: count, stages: stages, attempts: attempts, steps: steps, now: now),
                size: Size(width: width, height: height), iterations: iterations, mergeIterations: mergeIterations)
        }
        let small = scenario(smallDeployments).run()
        let large = scenario(deployments).run()
        let report = RenderReport(small: small, large: large)
        print(json ? report.json : report.table)
    }
}

/// Both trees' figures and the large/small ratio of each.
struct RenderReport: Encodable {
    var small: RenderScenario.Figures
    var large: RenderScenario.Figures
    var ratio: [String: Double]

    init(small: RenderScenario.Figures, large: RenderScenario.Figures) {
        self.small = small
        self.large = large
        func divide(_ left: Double, _ right: Double) -> Double { right > 0 ? left / right : 0 }
        ratio = [
            "frame": divide(large.frame.medianMicroseconds, small.frame.medianMicroseconds),
            "move": divide(large.move.medianMicroseconds, small.move.medianMicroseconds),
            "page": divide(large.page.medianMicroseconds, small.page.medianMicroseconds),
            "toggle": divide(large.toggle.medianMicroseconds, small.toggle.medianMicroseconds),
            "merge": divide(large.merge.medianMicroseconds, small.merge.medianMicroseconds),
            "merge_fresh": divide(large.mergeFresh.medianMicroseconds, small.mergeFresh.medianMicroseconds),
            "merge_unchanged": divide(
                large.mergeUnchanged.medianMicroseconds, small.mergeUnchanged.medianMicroseconds),
            "filter": divide(large.filter.medianMicroseconds, small.filter.medianMicroseconds),
            "filter_widen": divide(large.filterWiden.medianMicroseconds, small.filterWiden.medianMicroseconds),
            "resident": divide(Double(large.residentBytes), Double(small.residentBytes)),
        ]
    }

    var json: String { JSONLine.encode(self) }

    var table: String {
        func cell(_ text: String, _ width: Int) -> String {
            String(repeating: " ", count: max(0, width - text.count)) + text
        }
        func line(_ label: String, _ small: Double, _ large: Double, ratio: Double?, unit: String) -> String {
            label.padding(toLength: 15, withPad: " ", startingAt: 0) + cell(String(format: "%.1f", small), 12)
                + cell(String(format: "%.1f", large), 12) + cell(ratio.map { String(format: "%.2f×", $0) } ?? "", 12)
                + "  " + unit
        }
        let mebibyte = 1_048_576.0
        var lines = [
            "rows           " + cell("\(small.rows)", 12) + cell("\(large.rows)", 12) + cell("large/small", 12)
        ]
        for (key, timing) in [
            ("frame", \RenderScenario.Figures.frame), ("move", \.move), ("page", \.page), ("toggle", \.toggle),
            ("merge", \.merge), ("merge_fresh", \.mergeFresh), ("merge_unchanged", \.mergeUnchanged),
            ("filter", \.filter), ("filter_widen", \.filterWiden),
        ] {
            lines.append(
                line(
                    key, small[keyPath: timing].medianMicroseconds, large[keyPath: timing].medianMicroseconds,
                    ratio: ratio[key], unit: "µs median"))
        }
        lines.append(
            line(
                "resident", Double(small.residentBytes) / mebibyte, Double(large.residentBytes) / mebibyte,
                ratio: ratio["resident"], unit: "MiB VmRSS"))
        lines.append(
            line(
                "data", Double(small.dataBytes) / mebibyte, Double(large.dataBytes) / mebibyte, ratio: nil,
                unit: "MiB of it the deployments alone"))
        return lines.joined(separator: "\n")
    }
}
