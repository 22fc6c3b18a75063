import DashboardCore
import Foundation
import ProvisioningCore
import Testing

@Suite("Deployment tree: flattening, row index, expansion, filter")
struct DeploymentTreeTests {
    @Test("deployments are sorted newest first and start collapsed")
    func collapsedByDefault() {
        let tree = DeploymentTree(deployments: Fixtures.deployments.reversed())
        #expect(tree.rowCount == 4)
        #expect(tree.rows(from: 0, count: 10).map(\.id.deploymentID) == Fixtures.deployments.map(\.id))
        #expect(tree.rows(from: 0, count: 10).allSatisfy { !$0.isExpanded })
    }

    @Test("expanding a deployment opens its latest stage and latest attempt")
    func standardExpansion() {
        var tree = DeploymentTree(deployments: Fixtures.deployments)
        tree.setExpanded(NodeID(deployment: "d3-failed-000003"), true)
        let ids = tree.rows(from: 0, count: 100).map(\.id.description)
        #expect(
            ids == [
                "d1-building-0001", "d2-healthy-00002", "d3-failed-000003", "d3-failed-000003/build",
                "d3-failed-000003/build/#1", "d3-failed-000003/build/#2", "d3-failed-000003/build/#2/git-clone",
                "d3-failed-000003/build/#2/detect", "d3-failed-000003/build/#2/restore",
                "d3-failed-000003/build/#2/build", "d3-failed-000003/build/#2/export", "d4-pending-00004",
            ])
        let steps = tree.rows(from: 6, count: 5)
        #expect(steps.map(\.depth) == [3, 3, 3, 3, 3])
        #expect(steps.map(\.isLastSibling) == [false, false, false, false, true])
        #expect(steps.allSatisfy { $0.continuingGuides == [false, false] })
        #expect(tree.row(at: 4)?.isLastSibling == false)
        #expect(tree.row(at: 4)?.isExpanded == false)
    }

    @Test("row index and row lookup agree in both directions")
    func rowIndexRoundTrip() {
        var tree = DeploymentTree(deployments: Fixtures.many(50))
        tree.expandAll()
        #expect(tree.rowCount == 50 * 8)
        for index in stride(from: 0, to: tree.rowCount, by: 7) {
            let row = tree.row(at: index)!
            #expect(tree.rowIndex(of: row.id) == index)
        }
        #expect(tree.row(at: tree.rowCount) == nil)
        #expect(tree.rowIndex(of: NodeID(deployment: "nope")) == nil)
    }

    @Test("collapse all, then expand all, counts every node")
    func expandAndCollapseAll() {
        var tree = DeploymentTree(deployments: Fixtures.deployments)
        tree.expandAll()
        #expect(tree.rowCount == 4 + (1 + 1 + 5) + (1 + 1 + 5) + (1 + 2 + 10))
        tree.collapseAll()
        #expect(tree.rowCount == 4)
    }

    @Test("the filter shows matches with their ancestors, expanded")
    func filterShowsAncestors() {
        var tree = DeploymentTree(deployments: Fixtures.deployments)
        tree.setFilter("RESTORE")
        let ids = tree.rows(from: 0, count: 100).map(\.id.description)
        #expect(
            ids == [
                "d1-building-0001", "d1-building-0001/build", "d1-building-0001/build/#1",
                "d1-building-0001/build/#1/restore", "d2-healthy-00002", "d2-healthy-00002/build",
                "d2-healthy-00002/build/#1", "d2-healthy-00002/build/#1/restore", "d3-failed-000003",
                "d3-failed-000003/build", "d3-failed-000003/build/#1", "d3-failed-000003/build/#1/restore",
                "d3-failed-000003/build/#2", "d3-failed-000003/build/#2/restore",
            ])
        #expect(tree.visibleDeploymentCount == 3)
    }

    @Test("the filter matches ids, app, service, stage, step labels and statuses")
    func filterFields() {
        var tree = DeploymentTree(deployments: Fixtures.deployments)
        let expectations: [(String, [String])] = [
            ("d4-pend", ["d4-pending-00004"]),
            ("app-2", ["d3-failed-000003", "d4-pending-00004"]),
            ("svc-9", ["d4-pending-00004"]),
            ("detect runtime", ["d1-building-0001", "d2-healthy-00002", "d3-failed-000003"]),
            ("healthy", ["d2-healthy-00002"]),
            ("zzz", []),
        ]
        for (text, deployments) in expectations {
            tree.setFilter(text)
            let shown = Set(tree.rows(from: 0, count: 1000).map(\.id.deploymentID))
            #expect(shown == Set(deployments), "filter \(text)")
        }
        tree.setFilter("")
        #expect(tree.rowCount == 4)
    }

    @Test("typing a filter key by key, on and back, shows what setting each text at once shows")
    func filterTypedKeyByKey() {
        var typed = DeploymentTree(deployments: Fixtures.deployments)
        for word in ["restore", "app-2", "D3-F", "#2", "RUNNING"] {
            var texts = (1...word.count).map { String(word.prefix($0)) }
            texts += texts.reversed().dropFirst()
            for text in texts {
                typed.setFilter(text)
                var direct = DeploymentTree(deployments: Fixtures.deployments)
                direct.setFilter(text)
                #expect(typed.rowCount == direct.rowCount, "filter \(text)")
                #expect(
                    typed.rows(from: 0, count: 1000).map(\.id) == direct.rows(from: 0, count: 1000).map(\.id),
                    "filter \(text)")
            }
        }
        #expect(TreeFilter("resto").narrows(TreeFilter("RES")))
        #expect(!TreeFilter("res").narrows(TreeFilter("resto")))
        #expect(!TreeFilter("res").narrows(.none))
    }

    @Test("collapsing a node under a filter lasts only while that filter is shown")
    func filterOverridesAreTemporary() {
        var tree = DeploymentTree(deployments: Fixtures.deployments)
        tree.setFilter("restore")
        tree.setExpanded(NodeID(deployment: "d1-building-0001"), false)
        #expect(tree.rowIndex(of: NodeID(deployment: "d1-building-0001", stage: "build")) == nil)
        tree.setFilter("restor")
        #expect(tree.rowIndex(of: NodeID(deployment: "d1-building-0001", stage: "build")) != nil)
    }

    @Test("merge keeps expansion by id and reorders when deployments come and go")
    func mergeByID() {
        var tree = DeploymentTree(deployments: Fixtures.deployments)
        tree.setExpanded(NodeID(deployment: "d2-healthy-00002"), true)
        var fresh = Fixtures.deployments
        fresh[1].status = .degraded
        fresh.append(Fixtures.deployment("d0-new-000000000", createdAgo: 5, attempts: []))
        tree.merge(fresh)
        #expect(tree.row(at: 0)?.id.deploymentID == "d0-new-000000000")
        #expect(tree.rowIndex(of: NodeID(deployment: "d2-healthy-00002", stage: "build")) == 3)
        #expect(tree.groupCounts[.degraded] == 1)
        tree.merge(Array(fresh.dropFirst()))
        #expect(tree.deployment(id: "d1-building-0001") == nil)
        #expect(tree.row(at: 0)?.id.deploymentID == "d0-new-000000000")
    }

    @Test("a refresh that changes one deployment recounts only its rows")
    func mergeChangesRows() {
        var tree = DeploymentTree(deployments: Fixtures.deployments)
        tree.expandAll()
        let before = tree.rowCount
        var fresh = Fixtures.deployments
        fresh[0].provisioningInfo?.stages[0].buildAttempts.append(Fixtures.attempt(id: 2, done: 0))
        tree.merge(fresh)
        #expect(tree.rowCount == before + 6)
    }

    // MARK: - Merge: the listing in order, out of order, or with duplicates gives the same tree

    /// What a tree shows and counts, to compare two trees.
    private func contents(_ tree: DeploymentTree) -> (deployments: [Deployment], rows: [TreeRow], groups: String) {
        let groups = tree.groupCounts.sorted { "\($0.key)" < "\($1.key)" }.map { "\($0.key)=\($0.value)" }
        return (tree.deployments, tree.rows(from: 0, count: tree.rowCount + 1), groups.joined(separator: ","))
    }

    /// A tree on `Fixtures.many(12)` with two deployments expanded, and a refresh of it: three deployments
    /// changed, one of them to another status group.
    private func treeAndRefresh() -> (tree: DeploymentTree, refresh: [Deployment]) {
        var tree = DeploymentTree(deployments: Fixtures.many(12, attempts: 2))
        tree.setExpanded(NodeID(deployment: "dep-000001"), true)
        tree.setExpanded(NodeID(deployment: "dep-000007"), true)
        var refresh = tree.deployments
        refresh[1].provisioningInfo?.stages[0].buildAttempts.append(Fixtures.attempt(id: 3, done: 1))
        refresh[4].status = .healthy
        refresh[7].updatedAt = Fixtures.now
        return (tree, refresh)
    }

    @Test("a refresh in order, out of order or with duplicates merges to the same tree")
    func mergeIsTheSameWhateverTheListingsOrder() {
        let (tree, refresh) = treeAndRefresh()
        let old = tree.deployments[1]
        var withOld = refresh
        withOld[1] = old
        // Each listing, and the listing in order without duplicates it stands for: the first of an id counts.
        let listings: [(name: String, listing: [Deployment], inOrder: [Deployment])] = [
            ("reversed", refresh.reversed(), refresh),
            ("shuffled", [7, 3, 11, 0, 5, 1, 9, 2, 10, 4, 8, 6].map { refresh[$0] }, refresh),
            ("a duplicate next to its first", Array(refresh[...4]) + [refresh[4]] + Array(refresh[5...]), refresh),
            ("an older copy after the fresh one", refresh + [old], refresh),
            ("an older copy before the fresh one", [old] + refresh, withOld),
            ("every deployment twice", refresh + refresh.reversed(), refresh),
        ]
        for (name, listing, inOrder) in listings {
            var merged = tree
            merged.merge(listing)
            var expected = tree
            expected.merge(inOrder)
            #expect(expected.deployments == inOrder, "\(name)")
            #expect(contents(merged).deployments == contents(expected).deployments, "\(name)")
            #expect(contents(merged).rows == contents(expected).rows, "\(name)")
            #expect(contents(merged).groups == contents(expected).groups, "\(name)")
        }
    }

    @Test("merging keeps expansion and gives the rows a tree built from the listing would show")
    func mergeMatchesAFreshTree() {
        let (tree, refresh) = treeAndRefresh()
        for listing in [refresh, refresh.reversed()] {
            var merged = tree
            merged.merge(listing)
            var rebuilt = DeploymentTree(deployments: listing)
            rebuilt.setExpanded(NodeID(deployment: "dep-000001"), true)
            rebuilt.setExpanded(NodeID(deployment: "dep-000007"), true)
            #expect(contents(merged).deployments == contents(rebuilt).deployments)
            #expect(contents(merged).rows == contents(rebuilt).rows)
            #expect(contents(merged).groups == contents(rebuilt).groups)
        }
    }

    @Test("a listing in order but with a deployment more, less or another one replaces the tree's set")
    func mergeInOrderWithOtherDeployments() {
        let (tree, refresh) = treeAndRefresh()
        let newcomer = Fixtures.deployment("dep-new", createdAgo: 1, attempts: [])
        let other = Fixtures.deployment("dep-other", createdAgo: 95, attempts: [])
        let listings: [[Deployment]] = [
            [newcomer] + refresh,
            Array(refresh.dropLast()),
            Array(refresh[..<3]) + [other] + Array(refresh[4...]),
        ]
        for listing in listings {
            var merged = tree
            merged.merge(listing)
            #expect(merged.deployments == DeploymentTree(deployments: listing).deployments)
            #expect(merged.rowIndex(of: NodeID(deployment: "dep-000001", stage: "build")) != nil)
        }
    }
}
