import ArgumentParser

/// `kprov serve` — being built in its own issue.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Not available in this build yet.")

    func run() async throws {
        throw ValidationError("`serve` is not available in this build yet")
    }
}
