import ArgumentParser

/// `kprov sim` — being built in its own issue.
struct Sim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Not available in this build yet.")

    func run() async throws {
        throw ValidationError("`sim` is not available in this build yet")
    }
}
