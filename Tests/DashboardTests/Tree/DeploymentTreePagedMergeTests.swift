import DashboardCore
import Foundation
import ProvisioningCore
import Testing

/// `DeploymentTree.merge` of a listing in pages: pages shared with the last listing are skipped, and whatever
/// is shared, the tree ends as a one-page merge of the same deployments leaves it.
@Suite("Deployment tree: merging a listing page by page")
struct DeploymentTreePagedMergeTests {
    /// `deployments` in pages of 4.
    private func paged(_ deployments: [Deployment]) -> [[Deployment]] {
        stride(from: 0, to: deployments.count, by: 4).map { Array(deployments[$0..<min($0 + 4, deployments.count)]) }
    }

    /// A tree on `Fixtures.many(12)` with two deployments expanded, merged with the listing it shows, in pages.
    private func treeAndListing() -> (tree: DeploymentTree, listing: DeploymentListing) {
        var tree = DeploymentTree(deployments: Fixtures.many(12, attempts: 2))
        tree.setExpanded(NodeID(deployment: "dep-000001"), true)
        tree.setExpanded(NodeID(deployment: "dep-000006"), true)
        let listing = DeploymentListing(pages: paged(tree.deployments.map { $0 }))
        tree.merge(listing)
        return (tree, listing)
    }

    /// `tree` after a one-page merge of `listing`'s deployments: what every paged merge must give.
    private func expected(_ tree: DeploymentTree, after listing: DeploymentListing) -> DeploymentTree {
        var expected = tree
        expected.merge(listing.deployments.map { $0 })
        return expected
    }

    private func expectSame(_ tree: DeploymentTree, _ other: DeploymentTree, _ comment: Comment? = nil) {
        #expect(tree.deployments == other.deployments, comment)
        #expect(tree.rows(from: 0, count: tree.rowCount + 1) == other.rows(from: 0, count: other.rowCount + 1), comment)
        #expect(tree.groupCounts == other.groupCounts, comment)
    }

    @Test("a changed page is merged, the shared ones are kept")
    func changedPageAmongSharedOnes() {
        let (tree, listing) = treeAndListing()
        var page = listing.pages[1]
        page[1].provisioningInfo?.stages[0].buildAttempts.append(Fixtures.attempt(id: 3, done: 1))
        page[3].status = .error
        let next = DeploymentListing(pages: [listing.pages[0], page, listing.pages[2]])
        var merged = tree
        merged.merge(next)
        expectSame(merged, expected(tree, after: next))
        #expect(merged.deployment(id: page[1].id) == page[1])
        let failingBefore = tree.groupCounts[.failing] ?? 0
        #expect(merged.groupCounts[.failing] == failingBefore + 1)
    }

    @Test("a page whose deployments came, went or moved falls back to merging the whole listing")
    func pagesThatDoNotFit() {
        let (tree, listing) = treeAndListing()
        let newcomer = Fixtures.deployment("dep-new", createdAgo: 0, attempts: [])
        let pages = listing.pages
        var newest = pages[1]
        newest[2].createdAt = Fixtures.now
        var oldest = pages[1]
        oldest[0].createdAt = Fixtures.now.addingTimeInterval(-86_400)
        let listings: [(String, [[Deployment]])] = [
            ("a deployment that became the newest, listed where it was", [pages[0], newest, pages[2]]),
            ("a deployment that became the oldest, listed where it was", [pages[0], oldest, pages[2]]),
            ("a newcomer on the first page", [[newcomer] + pages[0], pages[1], pages[2]]),
            ("two swapped", [pages[0], pages[1].reversed(), pages[2]]),
            ("a page gone", [pages[0], pages[1]]),
            ("a page less, same deployments", [pages[0] + pages[1], pages[2]]),
            (
                "pages resized, the middle one shared",
                [pages[0] + [pages[1][0]], pages[1], Array(pages[2].dropFirst())]
            ),
            ("one gone from the last page", [pages[0], pages[1], Array(pages[2].dropLast())]),
        ]
        for (name, nextPages) in listings {
            let next = DeploymentListing(pages: nextPages)
            var merged = tree
            merged.merge(next)
            expectSame(merged, expected(tree, after: next), "\(name)")
            #expect(merged.deployments == DeploymentTree(deployments: next.deployments).deployments, "\(name)")
        }
    }

    @Test("an optimistic update is undone by the next refresh, though every page is the last one's")
    func optimisticUpdateThenSharedPages() {
        var (tree, listing) = treeAndListing()
        var optimistic = listing.pages[0][2]
        optimistic.status = .healthy
        tree.update(optimistic)
        #expect(tree.deployment(id: optimistic.id)?.status == .healthy)
        tree.merge(listing)
        #expect(tree.deployment(id: optimistic.id) == listing.pages[0][2])
    }

    @Test("merge after merge, shared and changed pages mixed, ends where a one-page merge does")
    func sequenceOfRefreshes() {
        var (tree, listing) = treeAndListing()
        var reference = tree
        for round in 1...6 {
            var pages = listing.pages
            let changed = round % pages.count
            pages[changed] = pages[changed].map { deployment in
                var deployment = deployment
                deployment.updatedAt = Fixtures.now.addingTimeInterval(Double(round))
                return deployment
            }
            // Some rounds also move a deployment to another status group, or give it an attempt (rows).
            if round.isMultiple(of: 2) { pages[changed][1].status = round.isMultiple(of: 4) ? .healthy : .error }
            if round.isMultiple(of: 3) {
                pages[changed][0].provisioningInfo?.stages[0].buildAttempts.append(Fixtures.attempt(id: 9, done: 1))
            }
            listing = DeploymentListing(pages: pages)
            tree.merge(listing)
            reference.merge(listing.deployments.map { $0 })
            expectSame(tree, reference, "round \(round)")
        }
    }
}
