/// The known name a mistyped one was most likely meant to be, for "did you mean …?" in errors.
enum ClosestName {
    /// The name among `names` fewest edits away from `name`, ignoring case, when few enough edits (a third of
    /// its length, at least one, at most three) make it; `nil` otherwise.
    static func closest(to name: String, among names: [String]) -> String? {
        let typed = Array(name.lowercased())
        let limit = min(3, max(1, typed.count / 3))
        let scored = names.compactMap { candidate -> (name: String, edits: Int)? in
            let other = Array(candidate.lowercased())
            // Lengths further apart than `limit` take more edits than that: skip them without counting.
            guard abs(other.count - typed.count) <= limit else { return nil }
            return (candidate, edits(typed, other))
        }
        guard let best = scored.min(by: { $0.edits < $1.edits }), best.edits <= limit else { return nil }
        return best.name
    }

    /// The Levenshtein distance: insertions, deletions and substitutions turning `a` into `b`.
    private static func edits(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}
