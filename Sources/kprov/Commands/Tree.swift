import ArgumentParser

/// `kprov tree` — being built in its own issue.
struct Tree: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Not available in this build yet.")

    func run() async throws {
        throw ValidationError("`tree` is not available in this build yet")
    }
}
