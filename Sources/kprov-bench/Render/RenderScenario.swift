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
        /// A refresh as the running dashboard gets one: the page holding the running builds (which progressed)
        /// decoded afresh, its unchanged deployments and every other page those of the last refresh (the
        /// client's reply cache).
        var merge: Timing
        /// A refresh in which every page was decoded afresh (as fresh values), a few deployments changed: the
        /// worst case, as after a change on every page.
        var mergeFresh: Timing
        /// A refresh in which nothing changed: every page the very array of the last refresh.
        var mergeUnchanged: Timing
        /// A key typed on into the `/` filter (`svc-1` → `svc-11`): only the deployments `svc-1` showed are matched again.
        var filter: Timing
        /// Backspace in the `/` filter (`svc-11` → `svc-1`): every deployment is matched again.
        var filterWiden: Timing
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
            let listing = DeploymentListing(pages: shape.pages())
            dataBytes = ResidentMemory.currentBytes() - before
            frames = DashboardFrames(listing: listing, size: size, now: shape.now)
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
        let fresh = [1, 2].map { DeploymentListing(pages: shape.pages(progress: $0)) }
        let mergeFresh = refreshes(&frames, listings: fresh)
        // The running builds are on the first page: only it comes back changed and is decoded afresh, and the
        // client hands out its unchanged deployments as it did last time (work of the fetch task, not timed).
        let reused = fresh[0].pages.dropFirst()
        let polled = [2, 3].map { progress in
            let page = DeploymentListing.page(
                shape.pages(progress: progress)[0], sharingUnchangedWith: fresh[0].pages[0])
            return DeploymentListing(pages: [page] + reused)
        }
        let merge = refreshes(&frames, listings: polled)
        let mergeUnchanged = refreshes(&frames, listings: [polled[1]])
        frames.frame(.command(.startFilter))
        for character in "svc-1" { frames.frame(.command(.filterInsert(character))) }
        var filter = Samples()
        var filterWiden = Samples()
        for index in 0..<(2 * mergeIterations) {
            let typed = ContinuousClock().measure { frames.frame(.command(.filterInsert("1"))) }
            let erased = ContinuousClock().measure { frames.frame(.command(.filterDeleteBackward)) }
            if index >= mergeIterations {
                filter.record(typed.microseconds)
                filterWiden.record(erased.microseconds)
            }
        }
        return Figures(
            deployments: shape.count, rows: rows, frame: Timing(frame), move: Timing(move), page: Timing(page),
            toggle: Timing(toggle), merge: Timing(merge), mergeFresh: Timing(mergeFresh),
            mergeUnchanged: Timing(mergeUnchanged), filter: Timing(filter),
            filterWiden: Timing(filterWiden), residentBytes: resident,
            treeBytes: resident - before,
            dataBytes: dataBytes)
    }

    /// Refreshes answered with `listings` in turn, `mergeIterations` to warm up and as many timed.
    private func refreshes(_ frames: inout DashboardFrames, listings: [DeploymentListing]) -> Samples {
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
