import ArgumentParser
import Foundation
import ProvisioningCore

/// How a one-shot API command ends, the same way for every command: exit 0 done, 1 the API refused the request
/// (its fault lies with the caller: a 4xx), 3 the API could not be reached or failed (a 5xx, or a 429 or 408
/// after the client's retries) — trying again later may succeed.
enum CommandOutcome {
    static let refused = ExitCode(1)
    static let unavailable = ExitCode(3)

    /// Runs `body`; on an `APIError` prints it on standard error as one line and exits with the matching code.
    static func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as APIError {
            printError(error.description)
            throw exitCode(for: error)
        }
    }

    /// 1 when the API refused the request as the caller's fault, 3 when it could not be reached or failed.
    static func exitCode(for error: APIError) -> ExitCode {
        error.isClientError ? refused : unavailable
    }

    /// The code for declarations kept in the outbox because of `error`: 1 when the API refused them for the
    /// caller's credentials (a 401: only a fixed token sends them), 3 when they wait for the API to come back
    /// (`nil`: another process is sending them).
    static func exitCode(forKept error: APIError?) -> ExitCode {
        error.map(exitCode(for:)) ?? unavailable
    }

    /// Prints `message` on standard error, prefixed with `error: `.
    static func printError(_ message: String) {
        Console.note("error: \(message)")
    }

    // MARK: - Help

    /// The exit status list of the commands that read deployments, for their `--help`.
    static let readingExitStatus = """
        Exit status:
          0    done
          1    the API refused the request (e.g. 401: the token; 404: no such
               deployment)
          2    bad usage (nothing was sent)
          3    the API could not be reached, or failed (5xx); a 429, a 502–504
               or a lost connection is tried again first, with back-off
          141  standard output was closed by its reader (e.g. `| head -3`)
        """

    /// The exit status list of the commands that send a declaration, for their `--help`.
    static let declaringExitStatus = """
        Exit status:
          0    declared
          1    the API refused the declaration (the error says why); one refused
               for its token stays in the outbox: `kprov outbox flush --url …`
               sends it once the token is fixed
          2    bad usage or environment (nothing was sent)
          3    not delivered now: the API could not be reached, or failed (5xx);
               kept in the outbox, which the next declaration to that API or
               `kprov outbox flush --url …` sends
          141  standard output was closed by its reader (e.g. `| head -3`)
        """
}
