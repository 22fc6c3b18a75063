/// The lines that say where `kprov serve`'s servers listen, printed together once every server listens: a
/// server stopped because another could not start is never announced.
actor ListeningAnnouncement {
    private var lines: [String?]

    /// An announcement of `count` servers.
    init(count: Int) {
        lines = Array(repeating: nil, count: count)
    }

    /// Records that server `index` listens, as `line` says; prints every line, in index order, once the last
    /// server listens.
    func listening(_ index: Int, _ line: String) {
        lines[index] = line
        let all = lines.compactMap { $0 }
        if all.count == lines.count {
            for line in all { Console.line(line) }
        }
    }
}
