import Foundation
import ProvisioningCore

/// The deployments on screen, their expansion and filter, and an index of visible rows.
///
/// Rows are never materialised for the whole tree: each deployment's visible row count sits in a
/// `RowCountIndex`, and rows are flattened per deployment on demand. Moving the cursor, paging and rendering a
/// viewport cost O(log n + rows shown); toggling a node recounts one deployment; a refresh re-flattens only the
/// deployments whose data changed (the whole index is rebuilt only when the set or order of deployments
/// changes, or the filter does).
public struct DeploymentTree: Sendable {
    /// Every deployment, newest first (by `created_at`, then id).
    public private(set) var deployments: [Deployment] = []
    public private(set) var expansion = ExpansionState()
    public private(set) var filter = TreeFilter.none
    /// How many deployments there are per status group (all of them, not only the filtered ones).
    public private(set) var groupCounts: [DeploymentStatus.Group: Int] = [:]
    private var positions: [String: Int] = [:]
    private var counts = RowCountIndex()
    /// The last listing merged, while the tree holds its deployments as it listed them, id for id and in its
    /// order: the next merge skips the pages it shares with it.
    private var lastListing: DeploymentListing?

    public init(deployments: [Deployment] = []) {
        replaceAll(withSorted: Self.sorted(deployments))
    }

    // MARK: - Reading rows

    /// The number of visible rows.
    public var rowCount: Int { counts.total }

    /// How many deployments the filter lets through.
    public var visibleDeploymentCount: Int {
        filter.isActive ? (0..<counts.blockCount).count { counts.count(at: $0) > 0 } : deployments.count
    }

    /// The visible row at `index`.
    public func row(at index: Int) -> TreeRow? {
        rows(from: index, count: 1).first
    }

    /// Up to `count` visible rows starting at `start`, flattening only the deployments they belong to.
    public func rows(from start: Int, count: Int) -> [TreeRow] {
        guard count > 0, var (block, offset) = counts.locate(row: max(0, start)) else { return [] }
        var result: [TreeRow] = []
        result.reserveCapacity(count)
        let flattener = self.flattener
        while result.count < count, block < deployments.count {
            if counts.count(at: block) > 0 {
                let blockRows = flattener.rows(of: deployments[block])
                result += blockRows[min(offset, blockRows.count)...].prefix(count - result.count)
            }
            offset = 0
            block += 1
        }
        return result
    }

    /// The row index of `id`, or `nil` when the node is not visible.
    public func rowIndex(of id: NodeID) -> Int? {
        guard let block = positions[id.deploymentID], counts.count(at: block) > 0 else { return nil }
        let blockRows = flattener.rows(of: deployments[block])
        guard let offset = blockRows.firstIndex(where: { $0.id == id }) else { return nil }
        return counts.prefix(block) + offset
    }

    /// The deployment with `id`.
    public func deployment(id: String) -> Deployment? {
        positions[id].map { deployments[$0] }
    }

    /// The node `id` names, with its model value.
    public func node(_ id: NodeID) -> TreeNode? {
        deployment(id: id.deploymentID).flatMap { TreeNode.find(id, in: $0) }
    }

    // MARK: - Changing data

    /// Merges a fresh listing by id: unchanged deployments keep their rows, changed ones are recounted, and
    /// the order is rebuilt only when deployments came, went or moved.
    ///
    /// Pages that are the very arrays of the last listing merged (the client did not decode them again, see
    /// `DeploymentListing.samePage`) are skipped without looking at their deployments; the others are compared
    /// deployment by deployment. A refresh usually lists the deployments the tree holds, newest first, as the
    /// API does: then the listing is used as it is. Otherwise it is deduplicated and sorted first; the result is
    /// the same either way.
    public mutating func merge(_ listing: DeploymentListing) {
        if let previous = lastListing, updateChangedPages(of: listing, since: previous) {
            lastListing = listing
            return
        }
        let fresh = listing.deployments
        let inOrder = listsTheSameDeploymentsInOrder(fresh)
        if inOrder {
            updateInPlace(from: fresh, at: 0)
        } else {
            let sorted = Self.sorted(fresh)
            if listsTheSameDeploymentsInOrder(sorted) {
                updateInPlace(from: sorted, at: 0)
            } else {
                replaceAll(withSorted: sorted)
            }
        }
        lastListing = inOrder || listsTheSameDeploymentsInOrder(fresh) ? listing : nil
    }

    /// Merges a fresh listing of one page (see `merge(_:)` for a listing).
    public mutating func merge(_ fresh: [Deployment]) {
        merge(DeploymentListing(fresh))
    }

    /// Replaces one deployment (an optimistic update after a declaration), keeping everything else.
    public mutating func update(_ deployment: Deployment) {
        guard let index = positions[deployment.id] else { return }
        // The tree no longer holds what the last listing said: the next refresh compares every page.
        lastListing = nil
        deployments[index] = deployment
        counts.set(flattener.count(of: deployment), at: index)
        recountGroups()
    }

    // MARK: - Expansion and filter

    /// Expands or collapses `id`; a no-op for nodes without children.
    public mutating func setExpanded(_ id: NodeID, _ expanded: Bool) {
        expansion.set(id, expanded: expanded, filtering: filter.isActive)
        recount(deploymentID: id.deploymentID)
    }

    /// Expands every node of every deployment.
    public mutating func expandAll() {
        expansion.expandAll()
        recountAll()
    }

    /// Collapses every node.
    public mutating func collapseAll() {
        expansion.collapseAll()
        recountAll()
    }

    /// Shows only what matches `text` (and the ancestors of matches); empty text shows everything.
    public mutating func setFilter(_ text: String) {
        guard text != filter.text else { return }
        let next = TreeFilter(text)
        // Typing on can only hide more: what the last filter hid stays hidden, and is not looked at again.
        let onlyHidesMore = next.narrows(filter)
        filter = next
        expansion.filterChanged()
        recountAll(keepingHidden: onlyHidesMore)
    }

    // MARK: - Internals

    private var flattener: DeploymentFlattener { DeploymentFlattener(expansion: expansion, filter: filter) }

    /// Whether `listing` holds the tree's deployments, id for id at the same positions, newest first. Such a
    /// listing has no duplicates (the tree has none) and sorting it would not change it.
    private func listsTheSameDeploymentsInOrder(_ listing: [Deployment]) -> Bool {
        guard listing.count == deployments.count else { return false }
        for index in listing.indices {
            guard listing[index].id == deployments[index].id else { return false }
            if index > 0, !Deployment.isListedBefore(listing[index - 1], listing[index]) { return false }
        }
        return true
    }

    /// Compares the pages of `listing` that are not `previous`'s with the tree and takes what changed. Returns
    /// `false` when a page does not hold the tree's deployments at its place (deployments came, went or
    /// moved), or the pages are laid out differently: then `merge` compares the whole listing. With every page
    /// as long as `previous`'s, each starts where it did, so a skipped page's deployments are where the tree
    /// holds them.
    private mutating func updateChangedPages(of listing: DeploymentListing, since previous: DeploymentListing) -> Bool {
        guard listing.pages.count == previous.pages.count else { return false }
        var start = 0
        for (index, page) in listing.pages.enumerated() {
            if !listing.samePage(index, as: previous) {
                guard page.count == previous.pages[index].count, holds(page, at: start) else { return false }
                updateInPlace(from: page, at: start)
            }
            start += page.count
        }
        return start == deployments.count
    }

    /// Whether the tree holds the deployments of `page`, id for id, from position `start` on, and `page` lists
    /// them in the listing order there, so the tree stays in that order once it takes the page's values.
    private func holds(_ page: [Deployment], at start: Int) -> Bool {
        let end = start + page.count
        guard end <= deployments.count else { return false }
        for index in page.indices {
            guard page[index].id == deployments[start + index].id else { return false }
            let before = index > 0 ? page[index - 1] : start > 0 ? deployments[start - 1] : nil
            if let before, !Deployment.isListedBefore(before, page[index]) { return false }
        }
        if let last = page.last, end < deployments.count, !Deployment.isListedBefore(last, deployments[end]) {
            return false
        }
        return true
    }

    /// Takes the deployments of `listing` (the tree's, in the tree's order from position `start` on) that
    /// differ, and recounts their rows.
    private mutating func updateInPlace(from listing: [Deployment], at start: Int) {
        var changedGroups = false
        let flattener = self.flattener
        for index in listing.indices where listing[index] != deployments[start + index] {
            let position = start + index
            changedGroups = changedGroups || listing[index].status.group != deployments[position].status.group
            deployments[position] = listing[index]
            counts.set(flattener.count(of: listing[index]), at: position)
        }
        if changedGroups { recountGroups() }
    }

    /// Replaces every deployment with `sorted`, which is deduplicated and sorted (`Self.sorted`).
    private mutating func replaceAll(withSorted sorted: [Deployment]) {
        deployments = sorted
        positions = Dictionary(deployments.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        expansion.prune(keeping: Set(positions.keys))
        recountAll()
        recountGroups()
    }

    /// Recounts every deployment's rows; with `keepingHidden`, a deployment that showed no row keeps 0 unlooked at.
    private mutating func recountAll(keepingHidden: Bool = false) {
        let flattener = self.flattener
        counts = RowCountIndex(
            deployments.indices.map {
                keepingHidden && counts.count(at: $0) == 0 ? 0 : flattener.count(of: deployments[$0])
            })
    }

    private mutating func recount(deploymentID: String) {
        guard let index = positions[deploymentID] else { return }
        counts.set(flattener.count(of: deployments[index]), at: index)
    }

    private mutating func recountGroups() {
        var groups: [DeploymentStatus.Group: Int] = [:]
        for deployment in deployments { groups[deployment.status.group, default: 0] += 1 }
        groupCounts = groups
    }

    /// The first of each id, newest first.
    static func sorted(_ deployments: [Deployment]) -> [Deployment] {
        var seen = Set<String>()
        let unique = deployments.filter { seen.insert($0.id).inserted }
        return unique.sorted(by: Deployment.isListedBefore)
    }
}
