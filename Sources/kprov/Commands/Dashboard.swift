import ArgumentParser

/// `kprov dashboard` — being built in its own issue.
struct Dashboard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Not available in this build yet.")

    func run() async throws {
        throw ValidationError("`dashboard` is not available in this build yet")
    }
}
