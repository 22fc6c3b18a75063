/// Row counts per deployment with prefix sums in O(log n) (a Fenwick tree): which deployment holds row `r`,
/// and where the block of deployment `i` starts, without walking the whole tree.
///
/// This is what keeps a 10,000-deployment tree as fast to scroll as a 10-deployment one: toggling a node
/// updates one count, and finding the rows of the viewport touches only the deployments it shows.
struct RowCountIndex: Sendable, Equatable {
    private var counts: [Int]
    private var tree: [Int]

    /// An index over `counts`, built in O(n).
    init(_ counts: [Int] = []) {
        self.counts = counts
        tree = [0] + counts
        for index in stride(from: 1, through: counts.count, by: 1) {
            let parent = index + (index & -index)
            if parent <= counts.count { tree[parent] += tree[index] }
        }
    }

    /// How many blocks there are.
    var blockCount: Int { counts.count }

    /// The sum of all counts: the number of visible rows.
    var total: Int { prefix(counts.count) }

    /// The count of block `index`.
    func count(at index: Int) -> Int { counts[index] }

    /// Sets the count of block `index`.
    mutating func set(_ value: Int, at index: Int) {
        let delta = value - counts[index]
        guard delta != 0 else { return }
        counts[index] = value
        var position = index + 1
        while position < tree.count {
            tree[position] += delta
            position += position & -position
        }
    }

    /// The sum of the counts of the first `length` blocks: the first row of block `length`.
    func prefix(_ length: Int) -> Int {
        var sum = 0
        var position = length
        while position > 0 {
            sum += tree[position]
            position -= position & -position
        }
        return sum
    }

    /// The block holding row `row` and the row's offset inside it; `nil` when `row` is out of range.
    func locate(row: Int) -> (block: Int, offset: Int)? {
        guard row >= 0, row < total else { return nil }
        var position = 0
        var remaining = row
        var step = 1
        while step * 2 < tree.count { step *= 2 }
        while step > 0 {
            let next = position + step
            if next < tree.count, tree[next] <= remaining {
                position = next
                remaining -= tree[next]
            }
            step /= 2
        }
        return (position, remaining)
    }
}
