import ArgumentParser

/// `kprov watch` — being built in its own issue.
struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Not available in this build yet.")

    func run() async throws {
        throw ValidationError("`watch` is not available in this build yet")
    }
}
