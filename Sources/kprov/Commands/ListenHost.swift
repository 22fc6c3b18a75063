import ArgumentParser
import NIOCore
import ProvisioningCore

/// The `--host` of the servers kprov starts (`kprov sim`, `kprov serve`), and the usage error when it names
/// no address to listen on.
enum ListenHost {
    /// Runs `body`, which starts listening on `host`; a host name that does not resolve becomes a usage error
    /// naming `--host` and what it allows, instead of NIO's `SocketAddressError.UnknownHost: …`.
    static func resolving<T>(_ host: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch is SocketAddressError.UnknownHost {
            throw ValidationError(
                "--host: \"\(TerminalText.sanitized(host, limit: 80))\" is not an address to listen on; allowed: an "
                    + "IP address of this machine (127.0.0.1, ::1, or 0.0.0.0 for all), or a name that resolves to "
                    + "one, such as localhost")
        }
    }
}
