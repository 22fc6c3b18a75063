import DashboardCore
import Foundation
import ProvisioningCore

/// The render benchmark on one tree: builds it fully expanded, then times each operation over many frames.
struct RenderScenario {
    let shape: SyntheticDeployments
    let size: Size
    /// Frames timed per operation (after as many again to warm up).
    let iterations: Int
    /// Refreshes timed: each one compares every deployment, so fewer of them fit in the same time.
    let mergeIterations: Int

    /// Median and 99th percentile per operation, in microseconds, and memory.
    struct Figures: Encodable {
        var deployments: Int
        var rows: Int
        var frame: Timing
        var move: Timing
        var page: Timing
        var toggle: Timing
        var merge: Timing
        /// A refresh in which nothing changed, its values sharing storage with the tree's: what the running
        /// dashboard merges when the client hands back pages that came back byte for byte the same.
        var mergeUnchanged: Timing
        /// Resident memory once the tree is loaded, expanded and drawn.
        var residentBytes: Int
        /// Resident memory that loading the tree added.
        var treeBytes: Int
        /// Resident memory the deployments alone took, before the dashboard had them.
        var dataBytes: Int
    }

    struct Timing: Encodable {
        var medianMicroseconds: Double
        var p99Microseconds: Double

        init(_ samples: Samples) {
            medianMicroseconds = samples.median
            p99Microseconds = samples.p99
        }

        enum CodingKeys: String, CodingKey {
            case medianMicroseconds = "median_us"
            case p99Microseconds = "p99_us"
        }
    }

    func run() -> Figures {
        let before = ResidentMemory.currentBytes()
        var frames: DashboardFrames
        let dataBytes: Int
        do {
            // The listing alone, then the dashboard on it; the listing goes once the dashboard holds its copy.
            let listing = shape.make()
            dataBytes = ResidentMemory.currentBytes() - before
            frames = DashboardFrames(deployments: listing, size: size, now: shape.now)
        }
        frames.frame(.command(.expandAll))
        let rows = frames.state.tree.rowCount
        precondition(rows == shape.fullyExpandedRowCount, "expected \(shape.fullyExpandedRowCount) rows, got \(rows)")
        let resident = ResidentMemory.currentBytes()
        frames.placeCursorMidTree()

        let frame = time(&frames, iterations) { _, frames in frames.frame(nil) }
        let move = time(&frames, iterations) { index, frames in
            frames.frame(.command(index.isMultiple(of: 2) ? .moveDown : .moveUp))
        }
        let page = time(&frames, iterations) { index, frames in
            frames.frame(.command(index.isMultiple(of: 2) ? .pageDown : .pageUp))
        }
        let toggle = time(&frames, iterations) { _, frames in frames.frame(.command(.toggle)) }
        let merge = refreshes(&frames, listings: [shape.make(progress: 1), shape.make(progress: 2)])
        // A new array of the tree's own values, as the client assembles one from pages it did not decode again.
        let mergeUnchanged = refreshes(&frames, listings: [frames.state.tree.deployments.map { $0 }])
        return Figures(
            deployments: shape.count, rows: rows, frame: Timing(frame), move: Timing(move), page: Timing(page),
            toggle: Timing(toggle), merge: Timing(merge), mergeUnchanged: Timing(mergeUnchanged),
            residentBytes: resident, treeBytes: resident - before, dataBytes: dataBytes)
    }

    /// Refreshes answered with `listings` in turn, `mergeIterations` to warm up and as many timed.
    private func refreshes(_ frames: inout DashboardFrames, listings: [[Deployment]]) -> Samples {
        var samples = Samples()
        for index in 0..<(2 * mergeIterations) {
            let generation = frames.requestRefresh()
            let listing = listings[index % listings.count]
            let elapsed = ContinuousClock().measure {
                frames.frame(.refreshed(generation: generation, .success(listing)))
            }
            if index >= mergeIterations { samples.record(elapsed.microseconds) }
        }
        return samples
    }

    /// Runs `body` `count` times to warm up, then `count` times timed.
    private func time(
        _ frames: inout DashboardFrames, _ count: Int, _ body: (Int, inout DashboardFrames) -> Void
    ) -> Samples {
        var samples = Samples()
        for index in 0..<(2 * count) {
            if index < count {
                body(index, &frames)
            } else {
                samples.measure { body(index, &frames) }
            }
        }
        return samples
    }
}
